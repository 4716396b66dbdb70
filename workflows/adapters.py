"""Adapters per case model: how an engine app learns what it needs of a case without importing
the case's app (payments and follow-up ask it; each case app registers its adapter in
``AppConfig.ready()``)."""

from __future__ import annotations

from typing import Generic, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

A = TypeVar("A")


class AdapterRegistry(Generic[A]):
    """The adapters of one engine app, by case model."""

    def __init__(self, kind: str):
        #: what the adapters are for, in the error when a case has none ("payment", "follow-up")
        self.kind = kind
        self._adapters: dict[type[Model], A] = {}

    def register(self, model: type[Model], adapter: A) -> None:
        self._adapters[model] = adapter

    def registered(self) -> dict[type[Model], A]:
        return dict(self._adapters)

    def adapter_for(self, obj) -> A:
        """The adapter of a case, of a case model, or of the case a row points at by its content
        type (a payment, a follow-up); ``LookupError`` when none is registered."""
        model = obj if isinstance(obj, type) else type(obj)
        adapter = self._find(model)
        if adapter is None and not isinstance(obj, type) and getattr(obj, "content_type_id", None):
            model = ContentType.objects.get_for_id(obj.content_type_id).model_class()
            adapter = self._find(model)
        if adapter is None:
            raise LookupError(f"No {self.kind} adapter is registered for {model.__name__}.")
        return adapter

    def _find(self, model) -> A | None:
        for registered_model, adapter in self._adapters.items():
            if issubclass(model, registered_model):
                return adapter
        return None
