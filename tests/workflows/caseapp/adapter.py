"""The test case type's agenda adapter: what a case app implements to be decided by a committee."""

from decimal import Decimal

from meetings.agenda import AgendaAdapter, BudgetExceeded
from workflows.services import perform_transition
from workflows.templatetags.bidra import kr

from .models import Budget, Matter


class MatterAgenda(AgendaAdapter):
    model = Matter
    matter = "grant"

    def proposed_queryset(self, committee):
        return Matter.objects.filter(committee=committee, state=Matter.State.PROPOSED).select_related(
            "organisation"
        )

    def committee(self, case):
        return case.committee

    def group_label(self, case):
        return case.program

    def title(self, case):
        return str(case)

    def requested_amount(self, case):
        return case.requested

    def proposed_amount(self, case):
        return case.proposed

    def proposal_text(self, case):
        return case.motivation

    def officer_report_rows(self, cases):
        return [
            {
                "applicant": c.organisation.name,
                "case_number": c.case_number,
                "requested": c.requested,
                "proposed": c.proposed,
                "score": c.score if c.score is not None else "",
                "motivation": c.motivation,
            }
            for c in cases
        ]

    def budget_frame(self, cases):
        budget = Budget.objects.filter(committee=cases[0].committee).first() if cases else None
        if budget is None:
            return None
        return {"label": "Verksamhetsstöd 2027", "amount": budget.amount, "committed": budget.granted}

    def budget_check(self, decisions, by):
        committee = decisions[0].committee
        budget = Budget.objects.select_for_update().filter(committee=committee).first()
        if budget is None:
            return
        total = sum((d.amount or Decimal(0) for d in decisions), Decimal(0))
        over = budget.granted + total - budget.amount
        if over > 0:
            raise BudgetExceeded(f"Besluten överskrider budgeten med {kr(over)}.")
        budget.granted += total
        budget.save(update_fields=["granted"])

    def apply_decision(self, case, decision, by):
        name = {"granted": "grant", "partly_granted": "grant", "rejected": "reject"}.get(
            decision.outcome, "note"
        )
        perform_transition(case, name, by=by, reason=decision.reasons)
        if decision.amount:
            Matter.objects.filter(pk=case.pk).update(granted_amount=decision.amount)
