"""Background work of awards.  Each task loads ids, calls a service and is safe to run twice."""

from celery import shared_task


@shared_task
def award_documents(candidate_id: int, user_id: int) -> list[int]:
    """Make the award letter and the diploma of an awarded candidate (unchanged ones are kept)."""
    from django.contrib.auth import get_user_model

    from .models import Candidate
    from .services import award_documents_make

    candidate = Candidate.objects.get(pk=candidate_id)
    documents = award_documents_make(candidate=candidate, by=get_user_model().objects.get(pk=user_id))
    return [d.pk for d in documents.values()]
