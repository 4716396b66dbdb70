"""Numbers and text from people and programs are bounded: a bad value answers a Swedish message
at its field (page) or 400 (API), never an error page, on SQLite and PostgreSQL alike."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grants.models import Application
from workflows.amounts import AMOUNT_CEILING, amount_clean

from ..grants.factories import application_in, draft_application

S = Application.State
NBSP = "\u00a0"

# ---- the one check of an amount ----


@pytest.mark.parametrize(
    "value, decimals, expected",
    [
        ("15 000", 0, Decimal("15000")),
        (f"15{NBSP}000 kr", 0, Decimal("15000")),
        ("2,50", 2, Decimal("2.50")),
        (35000, 0, Decimal("35000")),
        ("1E+3", 0, Decimal("1000")),
        ("", 0, None),
        ("100000000", 0, AMOUNT_CEILING),
    ],
)
def test_an_amount_is_read_as_people_write_it(value, decimals, expected):
    assert amount_clean(value, decimals=decimals) == expected


@pytest.mark.parametrize(
    "value, message",
    [
        ("NaN", "Ange beloppet i kronor"),
        ("sNaN", "Ange beloppet i kronor"),
        ("-Infinity", "Ange beloppet i kronor"),
        ("1E+999999999", "högst 100\u00a0000\u00a0000\u00a0kr"),
        ("1e30", "högst 100\u00a0000\u00a0000\u00a0kr"),
        ("999 999 999 999", "högst 100\u00a0000\u00a0000\u00a0kr"),
        ("-5", "kan inte vara negativt"),
        ("12.5", "hela kronor"),
        ("9" * 1000, "Ange beloppet i kronor"),
        (True, "Ange beloppet i kronor"),
        ([1], "Ange beloppet i kronor"),
    ],
)
def test_an_amount_that_is_not_a_sensible_number_of_kronor_is_refused_in_swedish(value, message):
    with pytest.raises(ValidationError) as refused:
        amount_clean(value)
    assert message in refused.value.messages[0]


def test_the_programs_largest_amount_is_the_ceiling_where_there_is_one():
    assert amount_clean("50000", ceiling=Decimal("50000")) == Decimal("50000")
    with pytest.raises(ValidationError) as refused:
        amount_clean("50001", ceiling=Decimal("50000"))
    assert refused.value.messages == ["Beloppet kan vara högst 50\u00a0000\u00a0kr."]


# ---- the caseworker's proposal ----


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["NaN", "1e30", "Infinity", "999999999999", "12.5", "-1", "tusen"])
def test_a_proposal_with_a_bad_amount_is_refused_on_the_page_and_by_the_api(client, world, value):
    application = application_in(world, "assessed")
    client.force_login(world.users["caseworker"])
    page = client.post(
        reverse("grants:application_transition", args=[application.pk, "propose"]),
        {"amount": value, "motivation": "Väl förankrad."},
        follow=True,
    )
    assert page.status_code == 200
    assert "Föreslaget belopp:" in page.content.decode()
    api = client.post(
        f"/api/v1/applications/{application.pk}/transitions/propose/",
        {"amount": value, "motivation": "Väl förankrad."},
        content_type="application/json",
    )
    assert api.status_code == 400, api.content
    assert "Föreslaget belopp:" in api.json()["detail"][0]
    application.refresh_from_db()
    assert application.state == S.ASSESSED and application.proposed_amount is None


# ---- the applicant's amount and numbers ----


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["999999999999", "1E+999999999", "NaN", "-5"])
def test_a_requested_amount_out_of_bounds_is_refused_at_its_field_and_by_the_api(client, world, value):
    application = draft_application(world)
    client.force_login(world.users["applicant"])
    page = client.post(
        reverse("grants:application_edit", args=[application.pk]),
        {"title": application.title, "requested_amount": value},
    )
    assert page.status_code == 200
    assert 'id="id_requested_amount_error"' in page.content.decode()
    api = client.patch(
        f"/api/v1/applications/{application.pk}/",
        {"requested_amount": value},
        content_type="application/json",
    )
    assert api.status_code == 400 and "requested_amount" in api.json()
    assert Application.objects.get(pk=application.pk).requested_amount == Decimal("40000")


@pytest.mark.django_db
def test_a_negative_count_is_refused_in_the_form_and_by_the_api(client, world):
    application = draft_application(world)
    participants = world.objects["config"]["fields"]["participants"]
    client.force_login(world.users["applicant"])
    page = client.post(
        reverse("grants:application_edit", args=[application.pk]),
        {"title": application.title, f"f{participants.pk}": "-5"},
    )
    assert f'id="id_f{participants.pk}_error"' in page.content.decode()
    api = client.patch(
        f"/api/v1/applications/{application.pk}/",
        {"answers": {f"field:{participants.pk}": "-5"}},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "Antal deltagare: talet kan inte vara negativt." in api.json()["detail"]


@pytest.mark.django_db
def test_text_that_cannot_be_saved_is_refused_with_a_message(client, world):
    """PostgreSQL stores no null character: refused with a message, not an error page."""
    application = draft_application(world)
    purpose = world.objects["config"]["fields"]["purpose"]
    client.force_login(world.users["applicant"])
    api = client.patch(
        f"/api/v1/applications/{application.pk}/",
        {"answers": {f"field:{purpose.pk}": "Träffar\x00"}},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "inte kan sparas" in json.dumps(api.json(), ensure_ascii=False)


# ---- whatever is sent, never an error page ----

AMOUNTS = st.one_of(
    st.sampled_from(
        [
            "NaN",
            "-0",
            "1e30",
            "1E+999999999",
            "1E+9999999999",
            "1E-9999999999",
            "999 999 999 999",
            "0x10",
            "١٢٣",
            "12,5",
            "",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=40),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
)
TEXTS = st.one_of(st.text(max_size=300), st.sampled_from(["\x00", "a\ud800b", "\u202eevil", "x" * 6000]))
EXAMPLES = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _answered(response) -> int:
    assert response.status_code < 500, response.content[:500]
    return response.status_code


def _json(value) -> str:
    # Python's json writes lone surrogates as \\udXXX escapes, as a client can
    return json.dumps(value)


@pytest.fixture
def proposing(client, world):
    application = application_in(world, "assessed")
    client.force_login(world.users["caseworker"])
    return application


@pytest.mark.django_db
@EXAMPLES
@given(amount=AMOUNTS, motivation=TEXTS)
def test_any_proposal_sent_to_the_api_is_answered_without_an_error(client, proposing, amount, motivation):
    with transaction.atomic():  # each example from the same assessed application
        _answered(
            client.post(
                f"/api/v1/applications/{proposing.pk}/transitions/propose/",
                _json({"amount": amount, "motivation": motivation}),
                content_type="application/json",
            )
        )
        transaction.set_rollback(True)


@pytest.fixture
def drafting(client, world):
    application = draft_application(world)
    client.force_login(world.users["applicant"])
    return application, world.objects["config"]["fields"]


@pytest.mark.django_db
@EXAMPLES
@given(amount=AMOUNTS, count=AMOUNTS, text=TEXTS, title=TEXTS)
def test_any_draft_sent_to_the_api_is_answered_without_an_error(client, drafting, amount, count, text, title):
    application, fields = drafting
    with transaction.atomic():
        body = {
            "title": title,
            "requested_amount": amount,
            "answers": {
                f"field:{fields['participants'].pk}": count,
                f"field:{fields['purpose'].pk}": text,
                f"field:{fields['focus'].pk}": text,
            },
        }
        url = f"/api/v1/applications/{application.pk}/"
        if _answered(client.patch(url, _json(body), content_type="application/json")) == 200:
            _answered(
                client.post(
                    f"{url}transitions/submit/", _json({"reason": text}), content_type="application/json"
                )
            )
        transaction.set_rollback(True)
