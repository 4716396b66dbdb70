"""Grant applications on the committee's agenda: what the meeting engine needs to know about them."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings.agenda import AgendaAdapter, BudgetExceeded
from meetings.models import AgendaItem, Decision
from organizations.models import Delegation
from workflows.templatetags.bidra import kr

from .models import Application, Assessment, ProgramBudget, budget_free

S = Application.State
TRANSITIONS = {
    Decision.Outcome.GRANTED: "grant",
    Decision.Outcome.PARTLY_GRANTED: "grant_partly",
    Decision.Outcome.REJECTED: "reject",
}


def _round_label(name: str) -> str:
    """'Omgång 1' -> 'omgång 1' inside a heading; an acronym ('IOP …') keeps its capitals."""
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


class ApplicationAgendaAdapter(AgendaAdapter):
    model = Application
    matter = Delegation.Matter.GRANT

    # -- which applications wait for the committee ----------------------------------------------

    def proposed_queryset(self, committee):
        """Proposed applications of the committee's programs not on an agenda already.

        A decided application (by the committee or by delegation) is no longer "proposed".
        """
        on_agenda = AgendaItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Application),
            kind=AgendaItem.Kind.DECISION,
            decision__isnull=True,
        ).values("object_id")
        return (
            Application.objects.filter(state=S.PROPOSED, round__program__committee=committee)
            .exclude(pk__in=on_agenda)
            .select_related("round__program__committee", "organisation")
            .order_by("round__program__name", "round__opens_at", "registered_at", "pk")
        )

    def committee(self, case):
        return case.round.program.committee

    # -- what the agenda shows -----------------------------------------------------------------

    def group_label(self, case) -> str:
        round = case.round
        return f"{round.program.name} {round.year} – {_round_label(round.name)}"

    def title(self, case) -> str:
        return f"{case.organisation.name} – {case.title}"

    def organisation(self, case):
        return case.organisation

    def requested_amount(self, case):
        return case.requested_amount

    def proposed_amount(self, case):
        return case.proposed_amount

    def proposed_outcome(self, case) -> str:
        proposed = case.proposed_amount or Decimal(0)
        if proposed <= 0:
            return Decision.Outcome.REJECTED
        asked = case.amount_after_deduction
        if asked is not None and proposed < asked:
            return Decision.Outcome.PARTLY_GRANTED
        return Decision.Outcome.GRANTED

    def proposal_text(self, case) -> str:
        return case.proposal_motivation

    def case_url(self, case) -> str:
        return reverse("grants:application_detail", kwargs={"pk": case.pk})

    # -- the officer's report -------------------------------------------------------------------

    def officer_report_rows(self, cases: list) -> list[dict]:
        from .scoring import application_score

        ids = [c.pk for c in cases]
        applications = {
            a.pk: a
            for a in Application.objects.filter(pk__in=ids)
            .select_related("organisation")
            .prefetch_related(Prefetch("assessments", queryset=Assessment.objects.order_by("pk")))
        }
        rows = []
        for case in cases:
            application = applications[case.pk]
            score = application_score(application)  # without assessors with a conflict or a recusal
            rows.append(
                {
                    "applicant": application.organisation.name,
                    "case_number": application.case_number,
                    "requested": application.requested_amount,
                    "proposed": application.proposed_amount,
                    "score": score if score is not None else "",
                    "motivation": application.proposal_motivation,
                }
            )
        return rows

    def budget_frame(self, cases: list):
        if not cases:
            return None
        round = cases[0].round
        budget = ProgramBudget.objects.filter(program_id=round.program_id, year=round.year).first()
        if budget is None:
            return None
        money = budget_free(budget)
        return {
            "label": f"{round.program.name} {round.year}",
            "amount": money["amount"],
            "earmarked": money["earmarked"],
            "granted": money["granted"],
            "committed": money["earmarked"] + money["granted"],
        }

    # -- deciding -------------------------------------------------------------------------------

    def budget_check(self, decisions: list, by) -> None:
        """The granted amounts of each program year fit in its free budget.

        The budget row is locked first, so a second meeting (or a delegate) recording at the
        same moment waits here until this transaction ends, and then sees these grants.
        """
        totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        labels = {}
        prefetch_related_objects([d.case for d in decisions], "round__program")
        for decision in decisions:
            if decision.outcome not in Application.GRANTED_STATES or not decision.amount:
                continue
            round = decision.case.round
            key = (round.program_id, round.year)
            totals[key] += decision.amount
            labels[key] = f"{round.program.name} {round.year}"
        for key in sorted(totals):
            program_id, year = key
            budget = (
                ProgramBudget.objects.select_for_update(of=("self",))
                .filter(program_id=program_id, year=year)
                .order_by("pk")
                .first()
            )
            if budget is None:
                raise BudgetExceeded(
                    _("%(label)s has no budget; a program administrator sets it before grants are decided.")
                    % {"label": labels[key]}
                )
            money = budget_free(budget)
            over = totals[key] - money["free"]
            if over > 0:
                raise BudgetExceeded(
                    _(
                        "The grants for %(label)s (%(total)s) exceed the free budget by %(over)s. "
                        "Free budget: %(free)s (budget %(amount)s, earmarked %(earmarked)s, "
                        "already granted %(granted)s)."
                    )
                    % {
                        "label": labels[key],
                        "total": kr(totals[key]),
                        "over": kr(over),
                        "free": kr(money["free"]),
                        "amount": kr(money["amount"]),
                        "earmarked": kr(money["earmarked"]),
                        "granted": kr(money["granted"]),
                    }
                )

    def apply_decision(self, case, decision, by) -> None:
        from . import services

        services.application_decide(application=case, decision=decision, by=by)

    def apply_decisions(self, decisions: list, by) -> None:
        """The applications of the group locked and loaded at once, with what their scores need."""
        from meetings.models import Recusal

        from . import services
        from .models import ConflictOfInterest

        ids = [d.object_id for d in decisions]
        applications = {
            a.pk: a
            for a in Application.objects.select_for_update(of=("self",))
            .select_related("round__program", "organisation")
            .prefetch_related("assessments")
            .filter(pk__in=ids)
            .order_by("pk")
        }
        conflicted = defaultdict(set)
        for organisation_id, user_id in ConflictOfInterest.objects.filter(
            organisation_id__in={a.organisation_id for a in applications.values()}
        ).values_list("organisation_id", "user_id"):
            conflicted[organisation_id].add(user_id)
        recused = defaultdict(set)
        for object_id, user_id in Recusal.objects.filter(
            item__content_type=ContentType.objects.get_for_model(Application), item__object_id__in=ids
        ).values_list("item__object_id", "user_id"):
            recused[object_id].add(user_id)
        for application in applications.values():
            application._conflicted_ids = conflicted[application.organisation_id] | recused[application.pk]
        for decision in decisions:
            services.application_decide(
                application=applications[decision.object_id], decision=decision, by=by, locked=True
            )
        # the requests that these cases be decided are answered (one query for the group)
        services.decision_requests_close(application_ids=ids, outcome="decided", by=by)
