"""What follow-up needs to know of the case it follows up, without importing the case's app.

``reporting`` sits below the case types built on grants (partnerships, awards, the compact) and
above ``grants``.  A case app registers a ``FollowUpAdapter`` for its case model in its
``AppConfig.ready()``; ``reporting`` asks it for the case number, the organisation, the
municipality, the case's page and who may see the case or record its follow-up.  ``grants`` sits
below ``reporting`` and cannot import it, so ``reporting`` registers the grant's adapter itself
(``ReportingConfig.ready()``), as it already knows the application its report belongs to.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from workflows.adapters import AdapterRegistry


class FollowUpAdapter(ABC):
    """The questions follow-up asks of a case type; a case app answers them for its model."""

    #: the case type as the API names it ("application", "partnership")
    case_type: str = ""

    def case_number(self, case) -> str:
        return case.case_number

    def title(self, case) -> str:
        return case.title

    def organisation(self, case):
        return case.organisation

    @abstractmethod
    def municipality_id(self, case) -> int:
        raise NotImplementedError

    @abstractmethod
    def url(self, case) -> str:
        raise NotImplementedError

    @abstractmethod
    def may_view(self, user, case) -> bool:
        raise NotImplementedError

    @abstractmethod
    def may_record(self, user, case) -> bool:
        """Whether ``user`` may record the case's follow-up (together with the other party)."""
        raise NotImplementedError


_registry: AdapterRegistry[FollowUpAdapter] = AdapterRegistry("follow-up")

register = _registry.register
registered = _registry.registered
#: the adapter of a case, of a case model, or of the case a follow-up row is for
adapter_for = _registry.adapter_for
