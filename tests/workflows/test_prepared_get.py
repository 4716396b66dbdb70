"""An application with its round, program, committee, municipality and organisation, read with
the SQL compiled once: the same objects as Django's own get, in one statement."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from grants.models import Application
from workflows.shortcuts import PreparedGet, get_permitted_or_404

from ..grants.factories import draft_application

pytestmark = pytest.mark.django_db

RELATED = ("round__program__municipality", "round__program__committee", "organisation")


def _values(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_prepared_read_gives_what_the_queryset_gives_in_one_statement(world):
    draft = draft_application(world)
    draft.answers = {"field:1": "Veckoträffar", "field:2": 25}
    draft.requested_amount = 40000
    draft.save()
    prepared = PreparedGet(lambda: Application.objects.select_related(*RELATED))
    expected = Application.objects.select_related(*RELATED).get(pk=draft.pk)
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            got = prepared.get(draft.pk)
            program = got.round.program
            related = (got.round, program, program.municipality, program.committee, got.organisation)
        assert len(ctx.captured_queries) == 1
        assert _values(got) == _values(expected)
        assert got.answers == {"field:1": "Veckoträffar", "field:2": 25}
        assert got.requested_amount == Decimal(40000) and isinstance(got.requested_amount, Decimal)
        wanted = expected.round.program
        for obj, other in zip(
            related,
            (expected.round, wanted, wanted.municipality, wanted.committee, expected.organisation),
            strict=True,
        ):
            assert type(obj) is type(other) and _values(obj) == _values(other)
        assert not got._state.adding and got._state.db == "default"


def test_a_missing_or_malformed_pk_is_not_found(world):
    draft = draft_application(world)
    prepared = PreparedGet(lambda: Application.objects.select_related(*RELATED))
    assert prepared.get(draft.pk + 1000) is None
    assert prepared.get("abc") is None
    with pytest.raises(Http404):
        get_permitted_or_404(
            prepared, "grants.view_application", world.users["applicant"], pk=draft.pk + 1000
        )
    # found, but not the user's to see: the same answer
    with pytest.raises(Http404):
        get_permitted_or_404(prepared, "grants.view_application", world.users["other_applicant"], pk=draft.pk)
    assert (
        get_permitted_or_404(prepared, "grants.view_application", world.users["applicant"], pk=draft.pk)
        == draft
    )


def test_a_queryset_whose_rows_are_not_plain_objects_is_refused(world):
    draft = draft_application(world)
    prepared = PreparedGet(lambda: Application.objects.annotate(files_count=Count("files")))
    with pytest.raises(ValueError, match="annotations"):
        prepared.get(draft.pk)
