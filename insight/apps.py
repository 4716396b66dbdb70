from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "insight"
    verbose_name = _("Openness and insight")

    def ready(self):
        from . import permissions, signals  # noqa: F401 - rules; the register's refresh on events
