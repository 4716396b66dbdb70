"""How a case type takes part in committee meetings: one ``AgendaAdapter`` per case model.

The meeting engine (``meetings``) knows no case type.  A case app
subclasses ``AgendaAdapter`` for each model that a committee decides and
registers an instance in its ``AppConfig.ready()``::

    class ApplicationAgenda(AgendaAdapter):
        model = Application
        matter = Delegation.Matter.GRANT

        def proposed_queryset(self, committee):
            return Application.objects.filter(state="proposed", round__program__committee=committee)
        ...

    register_agenda_adapter(ApplicationAgenda())

What an item shows on the agenda (title, group, organisation, amounts,
proposal) is copied from the adapter when the item is added, so the agenda
and minutes keep what the committee was asked, whatever happens to the case
later.  Only ``apply_decision`` and ``budget_check`` are called afterwards,
inside the transaction that records the decisions.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from meetings.models import Decision
    from organizations.models import Committee, Organisation


class BudgetExceeded(Exception):
    """Raised by ``budget_check`` when the decisions would grant more than the budget allows.

    The message is shown to the secretary as it is, e.g. "… exceeds the free budget by 2 500 kr".
    """


class AgendaAdapter:
    """What the meeting engine needs to know about one case model.

    Override what your case type has; the defaults work for a case that only
    has a title.  Every method gets the case instance (or a list of them).
    """

    #: the case model (a ``workflows.models.CaseModel`` subclass)
    model: type[models.Model]
    #: the ``organizations.Delegation.Matter`` whose delegation allows deciding it outside a meeting
    matter: str = ""

    # -- which cases are waiting for a committee --------------------------------------------------

    def proposed_queryset(self, committee: Committee) -> models.QuerySet:
        """Cases of this type that are ready to be put on ``committee``'s agenda."""
        return models.QuerySet(model=self.model).none()

    def committee(self, case) -> Committee | None:
        """The committee that decides ``case`` (used to check delegations)."""
        return getattr(case, "committee", None)

    # -- what the agenda shows (copied onto the item when it is added) ---------------------------

    def group_label(self, case) -> str:
        """The heading the agenda groups the case under, e.g. "Verksamhetsstöd 2027 – omgång 1"."""
        return str(self.model._meta.verbose_name_plural).capitalize()

    def title(self, case) -> str:
        """One line for the agenda, e.g. "Föreningen Trygg Vardag – ansökan om verksamhetsstöd"."""
        return str(case)

    def case_number(self, case) -> str:
        return getattr(case, "case_number", "") or ""

    def organisation(self, case) -> Organisation | None:
        """The organisation concerned, for conflict-of-interest matching and the officer's report."""
        return getattr(case, "organisation", None)

    def requested_amount(self, case) -> Decimal | None:
        return None

    def proposed_amount(self, case) -> Decimal | None:
        return None

    def proposed_outcome(self, case) -> str:
        """One of ``Decision.Outcome``: by default granted when an amount is proposed, else rejected."""
        amount = self.proposed_amount(case)
        if amount is None:
            return "noted"
        return "granted" if amount > 0 else "rejected"

    def proposal_text(self, case) -> str:
        """The caseworker's proposal and its motivation, as plain text."""
        return ""

    def outcome_label(self, outcome: str) -> str:
        """How a decision's outcome reads for this case type (a reclaim is not "granted")."""
        from meetings.models import Decision

        return str(dict(Decision.Outcome.choices).get(outcome, outcome))

    # -- how the meeting's decision page words a case of this type -------------------------------

    #: the outcomes the committee chooses between (values of ``Decision.Outcome``), in that order
    outcomes: tuple[str, ...] = ("granted", "partly_granted", "rejected", "noted")
    #: whether a decision has a grant's terms: a period, a report due date and shared conditions
    grant_terms: bool = True

    def amount_label(self) -> str:
        """The label of the decided amount, e.g. "Prize sum (kr)" for an award."""
        from django.utils.translation import gettext

        return gettext("Amount (kr)")

    def requested_label(self) -> str:
        """What the item's requested amount is called, e.g. "Requested" for an application."""
        from django.utils.translation import gettext

        return gettext("Requested")

    def case_url(self, case) -> str:
        """Where staff read the case (empty when the case type has no page)."""
        return ""

    # -- the officer's report (tjänsteutlåtande), one per group -----------------------------------

    def officer_report_rows(self, cases: list) -> list[dict[str, Any]]:
        """Rows for the officer's report table.

        Keys: ``applicant``, ``case_number``, ``requested``, ``proposed`` (Decimal or None),
        ``score`` (text or number, may be empty) and ``motivation``.
        """
        return [
            {
                "applicant": str(self.organisation(case) or ""),
                "case_number": self.case_number(case),
                "requested": self.requested_amount(case),
                "proposed": self.proposed_amount(case),
                "score": "",
                "motivation": self.proposal_text(case),
            }
            for case in cases
        ]

    def budget_frame(self, cases: list) -> dict[str, Any] | None:
        """The budget the group is decided within: ``{"label": str, "amount": Decimal,
        "committed": Decimal}`` (committed = already granted or earmarked), or None."""
        return None

    # -- deciding -----------------------------------------------------------------------------------

    def budget_check(self, decisions: list[Decision], by) -> None:
        """Raise ``BudgetExceeded`` when these decisions together exceed the budget.

        Called inside the recording transaction before any ``apply_decision``;
        lock the budget row (``select_for_update``) so that two meetings
        recording at once cannot both pass.  ``decision.case`` is the case.
        """

    def apply_decision(self, case, decision: Decision, by) -> None:
        """Perform the case's own transition for ``decision`` (grant, reject …).

        Called inside the recording transaction, for committee decisions and
        for delegated ones; anything raised here undoes every decision of the group.
        """
        raise NotImplementedError

    def apply_decisions(self, decisions: list[Decision], by) -> None:
        """``apply_decision`` for every decision of a group recorded at once (in agenda order).

        A case type with many cases per meeting loads (and locks) its cases here in one query.
        """
        for decision in decisions:
            self.apply_decision(decision.case, decision, by)


_adapters: dict[type[models.Model], AgendaAdapter] = {}


def register_agenda_adapter(adapter: AgendaAdapter) -> AgendaAdapter:
    """Let the meeting engine put cases of ``adapter.model`` on agendas (idempotent per model)."""
    _adapters[adapter.model] = adapter
    return adapter


def registered_adapters() -> list[AgendaAdapter]:
    return list(_adapters.values())


def adapter_for(case_or_model) -> AgendaAdapter:
    """The adapter of a case (or model); ``LookupError`` when its app registered none."""
    model = case_or_model if isinstance(case_or_model, type) else type(case_or_model)
    model = getattr(model._meta, "concrete_model", model)
    try:
        return _adapters[model]
    except KeyError as exc:
        raise LookupError(f"No agenda adapter is registered for {model.__name__}") from exc
