from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IopConfig(AppConfig):
    name = "iop"
    verbose_name = _("Partnerships")

    def ready(self):
        from . import attention, permissions  # noqa: F401
