"""What follow-up needs to know of the case it follows up, without importing the case's app.

``reporting`` sits below the case types built on grants (partnerships, awards, the compact) and
above ``grants``.  A case app registers a ``FollowUpAdapter`` for its case model in its
``AppConfig.ready()``; ``reporting`` asks it for the case number, the organisation, the
municipality, the case's page and who may see the case or record its follow-up.  ``grants`` sits
below ``reporting`` and cannot import it, so ``reporting`` registers the grant's adapter itself
(``ReportingConfig.ready()``), as it already knows the application its report belongs to.
"""

from __future__ import annotations

from django.db.models import Model


class FollowUpAdapter:
    """The questions follow-up asks of a case type; a case app answers them for its model."""

    #: the case type as the API names it ("application", "partnership")
    case_type: str = ""

    def case_number(self, case) -> str:
        return case.case_number

    def title(self, case) -> str:
        return case.title

    def organisation(self, case):
        return case.organisation

    def municipality_id(self, case) -> int:
        raise NotImplementedError

    def url(self, case) -> str:
        raise NotImplementedError

    def may_view(self, user, case) -> bool:
        raise NotImplementedError

    def may_record(self, user, case) -> bool:
        """Whether ``user`` may record the case's follow-up (together with the other party)."""
        raise NotImplementedError


_ADAPTERS: dict[type[Model], FollowUpAdapter] = {}


def register(model: type[Model], adapter: FollowUpAdapter) -> None:
    _ADAPTERS[model] = adapter


def registered() -> dict[type[Model], FollowUpAdapter]:
    return dict(_ADAPTERS)


def adapter_for(obj) -> FollowUpAdapter:
    """The adapter of a case, of a case model, or of the case a joint follow-up is for."""
    from django.contrib.contenttypes.models import ContentType

    from .models import JointFollowUp

    if isinstance(obj, JointFollowUp):
        model = ContentType.objects.get_for_id(obj.content_type_id).model_class()
    elif isinstance(obj, type):
        model = obj
    else:
        model = type(obj)
    for registered_model, adapter in _ADAPTERS.items():
        if issubclass(model, registered_model):
            return adapter
    raise LookupError(f"No follow-up adapter is registered for {model.__name__}.")
