"""How partnerships go on a committee's agenda: the meeting engine's adapter for Partnership.

Registered in ``IopConfig.ready``.  A partnership is ready for the committee when its
agreement is proposed; the committee's decision (or a delegate's) is recorded through
``partnership_decide``, the only way a partnership is decided.
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from meetings.agenda import AgendaAdapter as _Base
from workflows.queue import delay_on_commit
from workflows.templatetags.bidra import kr

from .models import Partnership, Party
from .services import partnership_decide, partnership_decide_renewal
from .tasks import decision_letter_make


def municipality_money(case: Partnership) -> Decimal:
    version = case.latest_version()
    if version is None:
        return Decimal(0)
    return sum(
        (c.value for c in version.contributions.all() if c.party == Party.MUNICIPALITY and c.kind == "money"),
        Decimal(0),
    )


class PartnershipAgendaAdapter(_Base):
    model = Partnership
    matter = "partnership"

    def proposed_queryset(self, committee):
        return Partnership.objects.filter(
            committee=committee, state__in=[Partnership.State.PROPOSED, Partnership.State.RENEWAL_PROPOSED]
        ).select_related("organisation", "committee")

    def committee(self, case):
        return case.committee

    def group_label(self, case) -> str:
        return _("Idea-driven public partnerships (IOP)")

    def title(self, case) -> str:
        if case.state == Partnership.State.RENEWAL_PROPOSED:
            return _("%(org)s – renewal of the IOP agreement: %(title)s") % {
                "org": case.organisation.name,
                "title": case.title,
            }
        return _("%(org)s – IOP agreement: %(title)s") % {"org": case.organisation.name, "title": case.title}

    def case_number(self, case) -> str:
        return case.case_number

    # the committee approves the agreement (or its renewal) or not; the agreement sets its own term
    outcomes = ("granted", "rejected")
    grant_terms = False

    def outcome_label(self, outcome: str) -> str:
        """ "granted" on the agenda means the agreement is approved: never read as "beviljad"."""
        if outcome in ("granted", "partly_granted"):
            return _("the agreement is approved")
        return _("the agreement is not approved")

    def amount_label(self) -> str:
        return _("The municipality's money over the term (kr)")

    def requested_label(self) -> str:
        return _("The municipality's money over the term")

    def organisation(self, case):
        return case.organisation

    def requested_amount(self, case) -> Decimal | None:
        """What the organisation asks of the municipality in money over the whole term."""
        return municipality_money(case)

    def proposed_amount(self, case) -> Decimal | None:
        return municipality_money(case)

    def proposed_outcome(self, case) -> str:
        return "granted"

    def proposal_text(self, case) -> str:
        version = case.latest_version()
        if version is None:
            return ""
        totals = version.totals()
        if case.state == Partnership.State.RENEWAL_PROPOSED:
            evaluation = case.evaluations.filter(term_end=case.term_end).first()
            return _(
                "The committee is proposed to renew the IOP agreement with %(org)s for %(start)s – %(end)s "
                "with the new version of the agreement. The evaluation of the current term found: "
                "%(found)s The municipality contributes %(m)s (%(ms)s %%) and the organisation %(o)s "
                "(%(os)s %%) over the new term."
            ) % {
                "org": case.organisation.name,
                "start": version.start_date,
                "end": version.end_date,
                "found": evaluation.summary.strip() if evaluation else "",
                "m": kr(totals["municipality"]),
                "ms": totals["municipality_share"],
                "o": kr(totals["organisation"]),
                "os": totals["organisation_share"],
            }
        return _(
            "The committee is proposed to approve the IOP agreement with %(org)s for %(start)s – %(end)s. "
            "The partnership meets this need: %(need)s "
            "The municipality contributes %(m)s (%(ms)s %%) and the organisation %(o)s (%(os)s %%) "
            "over the term."
        ) % {
            "org": case.organisation.name,
            "start": version.start_date,
            "end": version.end_date,
            "need": case.social_need.strip(),
            "m": kr(totals["municipality"]),
            "ms": totals["municipality_share"],
            "o": kr(totals["organisation"]),
            "os": totals["organisation_share"],
        }

    def case_url(self, case) -> str:
        return reverse("iop:detail", kwargs={"pk": case.pk})

    def officer_report_rows(self, cases: list) -> list[dict]:
        return [
            {
                "applicant": case.organisation.name,
                "case_number": case.case_number,
                "requested": self.requested_amount(case),
                "proposed": self.proposed_amount(case),
                "score": "",
                "motivation": self.proposal_text(case),
            }
            for case in cases
        ]

    def budget_frame(self, cases):
        return None

    def budget_check(self, decisions, by) -> None:
        return None

    def apply_decision(self, case, decision, by) -> None:
        """Approve or reject the partnership (or its renewal), recording where it was decided."""
        decide = (
            partnership_decide_renewal
            if case.state == Partnership.State.RENEWAL_PROPOSED
            else partnership_decide
        )
        decide(partnership=case, decision=decision, by=by)
        if getattr(decision, "pk", None):
            delay_on_commit(decision_letter_make, decision.pk, by.pk)
