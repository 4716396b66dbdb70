"""What payments need to know of the case they pay out for, without importing its app.

Each case app (grants, iop) registers an adapter for its case model in its ``AppConfig.ready()``;
``payments`` asks the adapter for the case number, the organisation, the municipality, the page
and who may see or handle the case's payments.  Payments import no case app.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from django.db.models import QuerySet

from workflows.adapters import AdapterRegistry


class PaymentAdapter(ABC):
    """The questions payments ask of a case type; a case app answers them for its model."""

    #: the case type as the API names it ("application", "partnership")
    case_type: str = ""
    #: True when a payment of this case type may be marked paid without a payment run
    paid_without_run: bool = False

    @abstractmethod
    def queryset(self) -> QuerySet:
        """The cases with what the payment pages show of them (for prefetching)."""
        raise NotImplementedError

    def case_number(self, case) -> str:
        return case.case_number

    def title(self, case) -> str:
        return case.title

    @abstractmethod
    def municipality_id(self, case) -> int:
        raise NotImplementedError

    def organisation(self, case):
        return case.organisation

    @abstractmethod
    def url(self, case) -> str:
        raise NotImplementedError

    @abstractmethod
    def may_view(self, user, case) -> bool:
        raise NotImplementedError

    @abstractmethod
    def may_handle(self, user, case) -> bool:
        raise NotImplementedError

    def may_be_paid(self, case) -> bool:
        """Whether money may go out for the case now (a partnership: its agreement signed)."""
        return True

    @abstractmethod
    def visible(self, *, user) -> QuerySet:
        """The cases ``user`` may see (for the API's lazy list of payments)."""
        raise NotImplementedError

    @abstractmethod
    def of_committees(self, committee_ids) -> QuerySet:
        """The cases of these committees (a staff member limited to some committees)."""
        raise NotImplementedError


_registry: AdapterRegistry[PaymentAdapter] = AdapterRegistry("payment")

register = _registry.register
registered = _registry.registered
#: the adapter of a case, of a case model, or of the case a payment row is for
adapter_for = _registry.adapter_for
