"""The start-page panel of payments: what is due for a run and what waits to be marked paid."""

from django.utils import timezone

from workflows.attention import panel


@panel(order=16)
def payments(request):
    if not request.user.has_perm("payments.use_payments"):
        return None
    from .models import Payment
    from .selectors import payments_managed

    today = timezone.localdate()
    managed = payments_managed(user=request.user)
    return {
        "template": "payments/panels/payments.html",
        "due": managed.filter(state=Payment.State.PLANNED, due_on__lte=today).count(),
        "exported": managed.filter(state=Payment.State.EXPORTED).count(),
    }
