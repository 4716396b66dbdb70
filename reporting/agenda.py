"""How the committee decides reclaims at its meeting (``meetings.agenda``), or a delegate outside one.

A proposed reclaim waits for the committee of its program.  "granted" (or
"partly granted") on the agenda means the reclaim is decided, for the
decision's amount; "rejected" or "noted" means nothing is reclaimed.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from meetings.agenda import AgendaAdapter, BudgetExceeded, register_agenda_adapter
from organizations.models import Delegation
from workflows.templatetags.bidra import kr

from .models import Reclaim


class ReclaimAgenda(AgendaAdapter):
    model = Reclaim
    matter = Delegation.Matter.RECLAIM

    def proposed_queryset(self, committee):
        return Reclaim.objects.filter(
            state=Reclaim.State.PROPOSED, program__committee=committee
        ).select_related("program", "organisation", "application")

    def committee(self, case):
        return case.program.committee

    def group_label(self, case):
        return _("Reclaims of grants")

    def title(self, case):
        return _("%(organisation)s – reclaim of %(program)s (%(case)s)") % {
            "organisation": case.organisation.name,
            "program": case.program.name,
            "case": case.application.case_number,
        }

    def requested_amount(self, case):
        return case.application.granted_amount

    def proposed_amount(self, case):
        return case.amount

    def proposed_outcome(self, case):
        return "granted"

    # a reclaim is decided for an amount of the grant: no grant period, report or shared conditions
    outcomes = ("granted", "partly_granted", "rejected")
    grant_terms = False

    def amount_label(self):
        return _("Amount to pay back (kr)")

    def requested_label(self):
        return _("Granted")

    def outcome_label(self, outcome):
        """ "granted" on the agenda means the grant is reclaimed: never read as "beviljad"."""
        return str(
            {
                "granted": _("reclaimed"),
                "partly_granted": _("partly reclaimed"),
                "rejected": _("not reclaimed"),
                "noted": _("not reclaimed"),
            }.get(outcome, outcome)
        )

    def proposal_text(self, case):
        return f"{case.get_grounds_display()}. {case.motivation}"

    def case_url(self, case):
        return reverse("reporting:reclaim_detail", kwargs={"pk": case.pk})

    def budget_check(self, decisions, by):
        for decision in decisions:
            reclaim = decision.case
            if decision.outcome in ("granted", "partly_granted"):
                granted = reclaim.application.granted_amount or 0
                if decision.amount and decision.amount > granted:
                    raise BudgetExceeded(
                        _("%(case)s: the reclaim of %(amount)s is more than the granted %(granted)s.")
                        % {"case": reclaim.case_number, "amount": kr(decision.amount), "granted": kr(granted)}
                    )

    def apply_decision(self, case, decision, by):
        from .services import reclaim_decide

        reclaim_decide(reclaim=case, decision=decision, by=by)


register_agenda_adapter(ReclaimAgenda())
