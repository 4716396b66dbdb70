from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Follow-up reports and reclaims")

    def ready(self):
        from . import setup  # noqa: F401 - rules, agenda adapter, signals, panel, admin
