from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompactConfig(AppConfig):
    name = "compact"
    verbose_name = _("Local compact")

    def ready(self):
        from . import permissions  # noqa: F401 - rules by name
