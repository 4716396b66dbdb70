from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organisation register")

    def ready(self):
        from . import attention, permissions, transitions  # noqa: F401
