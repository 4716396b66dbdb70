from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IopConfig(AppConfig):
    name = "iop"
    verbose_name = _("Partnerships")

    def ready(self):
        from correspondence.adapters import register as register_correspondence_adapter
        from meetings.agenda import register_agenda_adapter
        from payments.adapters import register as register_payment_adapter
        from reporting.adapters import register as register_follow_up_adapter

        from . import attention, permissions, signals, transitions  # noqa: F401
        from .agenda import PartnershipAgendaAdapter
        from .correspondence_adapter import PartnershipCorrespondenceAdapter
        from .follow_up_adapter import PartnershipFollowUpAdapter
        from .models import Partnership
        from .payment_adapter import PartnershipPaymentAdapter

        register_agenda_adapter(PartnershipAgendaAdapter())
        register_payment_adapter(Partnership, PartnershipPaymentAdapter())
        register_follow_up_adapter(Partnership, PartnershipFollowUpAdapter())
        register_correspondence_adapter(Partnership, PartnershipCorrespondenceAdapter())
