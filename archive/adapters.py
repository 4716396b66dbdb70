"""How a case type is described in an archive package: one ``ArchiveAdapter`` per case model.

The package builder (``archive.package``) knows no case type.  Each adapter says which cases
of a committee and year are there, whether a case is closed, and what the package holds:
its description after FGS Ärendehantering (case number, title, parties, dates), its
documents and the objects whose transition log rows are its actions.  The adapters live in
``archive.cases``, which reads the case apps through their models and selectors (``archive``
sits above the case types in the layers of ``pyproject.toml``), and are registered in
``ArchiveConfig.ready()``::

    register_archive_adapter(ApplicationArchive())
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from organizations.models import Committee, Organisation


@dataclass
class ArchiveFile:
    """A stored file of the case: its name in the package and where to read it."""

    name: str
    title: str
    file: object  # a FieldFile
    mimetype: str = "application/pdf"
    created: dt.datetime | None = None
    kind: str = ""


@dataclass
class ArchiveDescription:
    """What FGS Ärendehantering asks of a case (the descriptive metadata)."""

    case_number: str
    title: str
    case_type: str
    committee: Committee
    organisation: Organisation | None = None
    opened: dt.datetime | dt.date | None = None
    decided: dt.datetime | dt.date | None = None
    closed: dt.datetime | dt.date | None = None
    status: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)


class ArchiveAdapter(ABC):
    """What the archive needs to know about one case model."""

    #: the case model
    model: type[models.Model]
    #: the package's type (METS TYPE) and a short word for ids, e.g. "application"
    slug: str = ""

    @abstractmethod
    def year_queryset(self, committee: Committee, year: int) -> models.QuerySet:
        """Every case of the committee opened in ``year``, closed or not."""
        raise NotImplementedError

    @abstractmethod
    def closed_queryset(self, committee: Committee, year: int) -> models.QuerySet:
        """The committee's closed cases of ``year`` (the year the case was opened)."""
        raise NotImplementedError

    def open_queryset(self, committee: Committee, year: int) -> models.QuerySet:
        """The committee's cases of ``year`` that are not closed yet (the page names them)."""
        return self.year_queryset(committee, year).exclude(
            pk__in=self.closed_queryset(committee, year).values("pk")
        )

    @abstractmethod
    def is_closed(self, case) -> bool:
        raise NotImplementedError

    @abstractmethod
    def committee(self, case) -> Committee:
        raise NotImplementedError

    @abstractmethod
    def describe(self, case) -> ArchiveDescription:
        raise NotImplementedError

    def files(self, case) -> list[ArchiveFile]:
        """Every stored document and attachment of the case."""
        return []

    def logged_objects(self, case) -> list[models.Model]:
        """The case and the objects of it whose transition log rows are its actions."""
        return [case]

    def cull(self, case) -> int:
        """Remove from Bidra what the archive now holds; return how many records went."""
        return 0


_adapters: dict[str, ArchiveAdapter] = {}


def register_archive_adapter(adapter: ArchiveAdapter) -> None:
    _adapters[adapter.model._meta.label_lower] = adapter


def archive_adapters() -> list[ArchiveAdapter]:
    return list(_adapters.values())


def archive_adapter_for(case_or_model) -> ArchiveAdapter | None:
    return _adapters.get(case_or_model._meta.label_lower)
