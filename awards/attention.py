"""Start-page panel of awards: candidates to screen (caseworkers) and to score (the jury)."""

from organizations.permissions import staff_municipality_ids
from workflows.attention import panel

from .models import Candidate, CandidateAssessment
from .permissions import CASEWORKER, JURY


@panel(order=25)
def award_candidates(request):
    if not staff_municipality_ids(request.user, JURY):
        return None
    from .selectors import award_programs_visible

    user = request.user
    candidates = Candidate.objects.filter(round__program__in=award_programs_visible(user=user))
    received = (
        candidates.filter(state=Candidate.State.RECEIVED).count()
        if staff_municipality_ids(user, (CASEWORKER,))
        else 0
    )
    scored = CandidateAssessment.objects.filter(assessor=user, completed_at__isnull=False).values(
        "candidate_id"
    )
    to_score = candidates.filter(state=Candidate.State.ELIGIBLE).exclude(pk__in=scored).count()
    if not received and not to_score:
        return None
    return {"template": "awards/panel.html", "received": received, "to_score": to_score}
