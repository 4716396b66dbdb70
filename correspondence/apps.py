from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    """Messages on a case; ``correspondence/retention.py`` is found by accounts at start."""

    name = "correspondence"
    verbose_name = _("Messages")

    def ready(self):
        from . import attention  # noqa: F401 - the start page's panel of unread messages
