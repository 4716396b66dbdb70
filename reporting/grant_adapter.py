"""What follow-up needs to know of a grant application.  ``grants`` sits below ``reporting`` and
cannot import it, so ``reporting`` answers for the application itself (from ``setup.py``)."""

from __future__ import annotations

from django.urls import reverse

from .adapters import FollowUpAdapter


class ApplicationFollowUpAdapter(FollowUpAdapter):
    """A granted application is followed up by its report (``FollowUpReport``)."""

    case_type = "application"

    def municipality_id(self, case) -> int:
        return case.round.program.municipality_id

    def url(self, case) -> str:
        return reverse("grants:application_detail", kwargs={"pk": case.pk})

    def may_view(self, user, case) -> bool:
        return user.has_perm("grants.view_application", case)

    def may_record(self, user, case) -> bool:
        """The grantee reports; the report itself says who acts on it (``grants.act_for_report``)."""
        report = getattr(case, "followup_report", None)
        return report is not None and user.has_perm("grants.act_for_report", report)
