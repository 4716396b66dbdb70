"""How the committee decides award candidates at its meeting (``meetings.agenda``).

Shortlisted candidates with a proposal wait for the committee.  A decision
"granted" awards the candidate the award amount; "rejected" (or "noted")
means not awarded.  The budget check keeps every round within its number of
recipients and each award within the award amount, also when two meetings
record at once (the award settings' row is locked).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from meetings.agenda import AgendaAdapter, BudgetExceeded, register_agenda_adapter
from organizations.models import Delegation
from workflows.templatetags.bidra import kr

from .models import AwardSettings, Candidate

C = Candidate.State
AWARD_OUTCOMES = ("granted", "partly_granted")


class CandidateAgenda(AgendaAdapter):
    model = Candidate
    matter = Delegation.Matter.AWARD

    def proposed_queryset(self, committee):
        return (
            Candidate.objects.filter(state=C.SHORTLISTED, round__program__committee=committee)
            .exclude(proposal="")
            .select_related("round__program__award", "organisation")
        )

    def committee(self, case):
        return case.round.program.committee

    def group_label(self, case):
        return f"{case.round.program.name} {case.round.year}"

    def title(self, case):
        return _("%(name)s – candidate for %(award)s") % {"name": case.name, "award": case.round.program.name}

    def requested_amount(self, case):
        return None

    # an award is given or not, for the award's prize sum: no grant period, report or share of it
    outcomes = ("granted", "rejected")
    grant_terms = False

    def outcome_label(self, outcome):
        """ "granted" on the agenda means the candidate is given the award: never read as "beviljad"."""
        return str(_("awarded") if outcome in AWARD_OUTCOMES else _("not awarded"))

    def amount_label(self):
        return _("Prize sum (kr)")

    def proposed_amount(self, case):
        if case.proposal != Candidate.Proposal.AWARDED:
            return None
        settings = getattr(case.round.program, "award", None)
        return settings.amount if settings is not None else None

    def proposed_outcome(self, case):
        return "granted" if case.proposal == Candidate.Proposal.AWARDED else "rejected"

    def proposal_text(self, case):
        return case.proposal_motivation

    def case_url(self, case):
        return reverse("awards:candidate_detail", kwargs={"pk": case.pk})

    def officer_report_rows(self, cases):
        return [
            {
                "applicant": c.name,
                "case_number": c.case_number,
                "requested": None,
                "proposed": self.proposed_amount(c),
                "score": c.score if c.score is not None else "",
                "motivation": c.proposal_motivation,
            }
            for c in cases
        ]

    def budget_frame(self, cases):
        if not cases:
            return None
        round = cases[0].round
        settings = getattr(round.program, "award", None)
        if settings is None:
            return None
        awarded = Candidate.objects.filter(round=round, state__in=Candidate.AWARDED_STATES)
        return {
            "label": _("%(award)s %(year)s: %(n)s × %(amount)s")
            % {
                "award": round.program.name,
                "year": round.year,
                "n": settings.recipients,
                "amount": kr(settings.amount),
            },
            "amount": settings.amount * settings.recipients,
            "committed": sum((c.awarded_amount or Decimal(0) for c in awarded), Decimal(0)),
        }

    def budget_check(self, decisions, by):
        by_round = defaultdict(list)
        for decision in decisions:
            by_round[decision.case.round_id].append(decision)
        for round_id, group in by_round.items():
            settings = (
                AwardSettings.objects.select_for_update(of=("self",)).filter(program__rounds=round_id).first()
            )
            if settings is None:
                raise BudgetExceeded(
                    _("The award has no settings: its amount and number of recipients are missing.")
                )
            awarded = [d for d in group if d.outcome in AWARD_OUTCOMES]
            for decision in awarded:
                if decision.amount and decision.amount > settings.amount:
                    raise BudgetExceeded(
                        _("%(name)s: the award is %(amount)s; %(decided)s is more than that.")
                        % {
                            "name": decision.case.name,
                            "amount": kr(settings.amount),
                            "decided": kr(decision.amount),
                        }
                    )
            already = Candidate.objects.filter(round_id=round_id, state__in=Candidate.AWARDED_STATES).count()
            if already + len(awarded) > settings.recipients:
                raise BudgetExceeded(
                    _(
                        "The award goes to at most %(n)s recipient(s) per round; "
                        "these decisions would make %(total)s."
                    )
                    % {"n": settings.recipients, "total": already + len(awarded)}
                )

    def apply_decision(self, case, decision, by):
        from .services import candidate_decide

        candidate_decide(candidate=case, decision=decision, by=by)


register_agenda_adapter(CandidateAgenda())
