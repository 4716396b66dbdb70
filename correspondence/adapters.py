"""What messages need to know of the case they are written on, without importing the case's app.

``correspondence`` sits beside ``payments``, below ``grants`` and the case types built on it.  A
case app registers a ``CorrespondenceAdapter`` for its case model in its ``AppConfig.ready()``;
the thread asks it for the case's organisation, municipality, number, title and page, who on the
municipality's staff may read and write on it (the case's own handle permission) and whom to tell
when the organisation writes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from workflows.adapters import AdapterRegistry


class CorrespondenceAdapter(ABC):
    """The questions the message thread asks of a case type; a case app answers them for its model."""

    def queryset(self, model):
        """The cases of ``model`` with what the questions below read (one query for a list)."""
        return model.objects.all()

    def case_number(self, case) -> str:
        return case.case_number

    def title(self, case) -> str:
        return case.title

    def organisation(self, case):
        return case.organisation

    def creator(self, case):
        """The person who made the case on the organisation's side (told when staff write), or None."""
        return getattr(case, "created_by", None)

    def visible_to_organisation(self, case) -> bool:
        """Whether the organisation may see the case now (a reclaim only proposed is the staff's own)."""
        return True

    def committee_id(self, case) -> int | None:
        """The committee the case belongs to: caseworkers limited to another are not told."""
        return None

    @abstractmethod
    def municipality_id(self, case) -> int:
        raise NotImplementedError

    @abstractmethod
    def url(self, case) -> str:
        """The case page (a path); the thread is on it under ``#meddelanden``."""
        raise NotImplementedError

    @abstractmethod
    def may_handle(self, user, case) -> bool:
        """Whether ``user`` is staff allowed to handle the case (and so read and write on its thread)."""
        raise NotImplementedError

    def handlers(self, case) -> list:
        """The staff told when the organisation writes: the caseworkers of the case's municipality
        (and committee) who may handle it."""
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        from organizations.models import StaffRole

        committee_id = self.committee_id(case)
        roles = StaffRole.objects.filter(
            municipality_id=self.municipality_id(case),
            role=StaffRole.Role.CASEWORKER,
            state=StaffRole.State.ACTIVE,
        )
        if committee_id is not None:
            roles = roles.filter(Q(committee_id=None) | Q(committee_id=committee_id))
        users = get_user_model().objects.filter(pk__in=roles.values("user_id"), is_active=True)
        return [user for user in users.order_by("pk") if self.may_handle(user, case)]


_registry: AdapterRegistry[CorrespondenceAdapter] = AdapterRegistry("message")

register = _registry.register
registered = _registry.registered
#: the adapter of a case, of a case model, or of the case a message is written on
adapter_for = _registry.adapter_for
