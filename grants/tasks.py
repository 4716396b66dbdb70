"""Background work of grants.  Each task loads ids, calls a service and is safe to run twice."""

from celery import shared_task


@shared_task
def application_document(application_id: int, user_id: int) -> int:
    """Render the submitted application as PDF (the same content is kept once)."""
    from django.contrib.auth import get_user_model

    from .models import Application
    from .services import application_document as render

    application = Application.objects.select_related("round__program", "organisation").get(pk=application_id)
    return render(application=application, by=get_user_model().objects.get(pk=user_id)).pk


@shared_task
def rounds_take_due_snapshots() -> int:
    from .services import rounds_take_due_snapshots as take

    return take()
