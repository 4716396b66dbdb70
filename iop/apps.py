from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IopConfig(AppConfig):
    name = "iop"
    verbose_name = _("Partnerships")

    def ready(self):
        from meetings.agenda import register_agenda_adapter

        from . import attention, permissions, signals, transitions  # noqa: F401
        from .agenda import PartnershipAgendaAdapter

        register_agenda_adapter(PartnershipAgendaAdapter())
