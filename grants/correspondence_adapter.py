"""What the message thread needs to know of an application: registered in ``GrantsConfig.ready()``."""

from __future__ import annotations

from django.urls import reverse

from correspondence.adapters import CorrespondenceAdapter


class ApplicationCorrespondenceAdapter(CorrespondenceAdapter):
    """The applicant's organisation writes with the caseworkers who handle the application (for an
    award's application, those who handle the award's candidates)."""

    def queryset(self, model):
        return model.objects.select_related("organisation", "round__program")

    def municipality_id(self, case) -> int:
        return case.round.program.municipality_id

    def committee_id(self, case) -> int | None:
        return case.round.program.committee_id

    def url(self, case) -> str:
        return reverse("grants:application_detail", kwargs={"pk": case.pk})

    def may_handle(self, user, case) -> bool:
        if case.round.program.kind == "award":
            return bool(case.case_number) and user.has_perm("grants.handle_award_candidate", case.round)
        return user.has_perm("grants.handle_application", case)
