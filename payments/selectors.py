"""Reads of payments and payment runs: the staff's own municipality's, and what a user may see."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Q, QuerySet

from organizations.permissions import staff_committee_ids, staff_municipality_ids

from .adapters import registered
from .models import Payment, PaymentBatch
from .permissions import PAYMENT_STAFF


def _of_cases(cases_of) -> Q:
    """Payments whose case is among ``cases_of(model, adapter)`` for every registered case type."""
    condition = Q(pk__in=[])
    for model, adapter in registered().items():
        condition |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=cases_of(model, adapter).values("pk"),
        )
    return condition


def with_cases(qs: QuerySet) -> QuerySet:
    """Fetch each payment's case with what the pages show of it, in one query per case type."""
    return qs.prefetch_related(
        GenericPrefetch("case", [adapter.queryset() for adapter in registered().values()])
    )


def payments_managed(*, user) -> QuerySet:
    """Payments of the municipalities (and committees) where ``user`` is a caseworker or program
    administrator."""
    qs = Payment.objects.filter(municipality_id__in=staff_municipality_ids(user, PAYMENT_STAFF))
    committees = staff_committee_ids(user, PAYMENT_STAFF)
    if committees is not None:
        qs = qs.filter(_of_cases(lambda model, adapter: adapter.of_committees(committees)))
    return qs


def payments_list(*, user, state: str = "", due_until=None) -> QuerySet:
    qs = with_cases(payments_managed(user=user).select_related("batch"))
    if state:
        qs = qs.filter(state=state)
    if due_until:
        qs = qs.filter(due_on__lte=due_until)
    return qs.order_by("due_on", "pk")


def payment_batches(*, user) -> QuerySet:
    return PaymentBatch.objects.filter(
        municipality_id__in=staff_municipality_ids(user, PAYMENT_STAFF)
    ).select_related("created_by")


def payments_visible(*, user) -> QuerySet:
    """Payments of the cases ``user`` may see (the applicant's own, staff's municipality's): one
    lazy query, each case type's visible cases a subquery."""
    return Payment.objects.filter(_of_cases(lambda model, adapter: adapter.visible(user=user)))


def payments_of(case) -> QuerySet:
    """The payments of one case."""
    return Payment.objects.filter(content_type=ContentType.objects.get_for_model(case), object_id=case.pk)
