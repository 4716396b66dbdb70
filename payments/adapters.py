"""What payments need to know of the case they pay out for, without importing its app.

Each case app (grants, iop) registers an adapter for its case model in its ``AppConfig.ready()``;
``payments`` asks the adapter for the case number, the organisation, the municipality, the page
and who may see or handle the case's payments.  Payments import no case app.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet


class PaymentAdapter:
    """The questions payments ask of a case type; a case app answers them for its model."""

    #: the case type as the API names it ("application", "partnership")
    case_type: str = ""
    #: True when a payment of this case type may be marked paid without a payment run
    paid_without_run: bool = False

    def queryset(self) -> QuerySet:
        """The cases with what the payment pages show of them (for prefetching)."""
        raise NotImplementedError

    def case_number(self, case) -> str:
        return case.case_number

    def title(self, case) -> str:
        return case.title

    def municipality_id(self, case) -> int:
        raise NotImplementedError

    def organisation(self, case):
        return case.organisation

    def url(self, case) -> str:
        raise NotImplementedError

    def may_view(self, user, case) -> bool:
        raise NotImplementedError

    def may_handle(self, user, case) -> bool:
        raise NotImplementedError

    def may_be_paid(self, case) -> bool:
        """Whether money may go out for the case now (a partnership: its agreement signed)."""
        return True

    def visible(self, *, user) -> QuerySet:
        """The cases ``user`` may see (for the API's lazy list of payments)."""
        raise NotImplementedError

    def of_committees(self, committee_ids) -> QuerySet:
        """The cases of these committees (a staff member limited to some committees)."""
        raise NotImplementedError


_ADAPTERS: dict[type[Model], PaymentAdapter] = {}


def register(model: type[Model], adapter: PaymentAdapter) -> None:
    _ADAPTERS[model] = adapter


def registered() -> dict[type[Model], PaymentAdapter]:
    return dict(_ADAPTERS)


def adapter_for(obj) -> PaymentAdapter:
    """The adapter of a case, of a case model, or of the case a payment is for."""
    from django.contrib.contenttypes.models import ContentType

    from .models import Payment

    if isinstance(obj, Payment):
        model = ContentType.objects.get_for_id(obj.content_type_id).model_class()
    elif isinstance(obj, type):
        model = obj
    else:
        model = type(obj)
    for registered_model, adapter in _ADAPTERS.items():
        if issubclass(model, registered_model):
            return adapter
    raise LookupError(f"No payment adapter is registered for {model.__name__}.")
