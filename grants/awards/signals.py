"""A self-application: an application submitted in an award round becomes a candidate after commit."""

from django.db import transaction
from django.dispatch import receiver
from django_fsm.signals import post_transition
from django_fsm_log.helpers import FSMLogDescriptor

from ..models import Application


@receiver(post_transition, sender=Application, dispatch_uid="grants.awards.self_application")
def application_submitted(sender, instance, name, **kwargs):
    if name != "submit" or instance.round.program.kind != "award":
        return
    try:
        by = FSMLogDescriptor(instance, "by").get()
    except AttributeError:
        by = instance.created_by
    application_id, user_id = instance.pk, by.pk

    def make_candidate():
        from django.contrib.auth import get_user_model

        from .services import candidate_from_application

        application = Application.objects.select_related("round__program", "organisation").get(
            pk=application_id
        )
        candidate_from_application(application=application, by=get_user_model().objects.get(pk=user_id))

    # robust: a failure here must not undo the applicant's submission; the candidates page repairs it
    transaction.on_commit(make_candidate, robust=True)
