from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self):
        from . import attention, permissions  # noqa: F401 - registers rules and start-page panels
        from .awards import setup  # noqa: F401 - awards: rules, agenda adapter, signals, panel, admin
