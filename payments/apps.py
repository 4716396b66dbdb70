from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self):
        from . import attention, permissions, transitions  # noqa: F401 - rules, panel, steps by name
