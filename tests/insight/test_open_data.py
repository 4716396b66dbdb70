"""Open data: CSV and 360Giving JSON per municipality and year, valid against the 360Giving schema."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from insight.selectors import org_number_display

from .factories import CONTACT_EMAIL, CONTACT_NAME, ORG_EMAIL, ORG_PHONE, PERSON_AWARDED, scenario

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(__file__).parent / "schema"
GRANT_SCHEMA_URL = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/master/schema/360-giving-schema.json"
)
PRIVATE = [CONTACT_NAME, CONTACT_EMAIL, ORG_EMAIL, ORG_PHONE, PERSON_AWARDED, "Siv Sökande"]


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _format_checker() -> FormatChecker:
    """The formats 360Giving's own checker knows; date-time as RFC 3339 (jsonschema has none without
    an extra package, and the schema's oneOf between a date-time and a plain date needs one)."""
    checker = FormatChecker()

    @checker.checks("date-time")
    def is_date_time(value) -> bool:
        return not isinstance(value, str) or bool(RFC3339.match(value))

    return checker


def _validator() -> Draft4Validator:
    package = json.loads((SCHEMA_DIR / "360-giving-package-schema.json").read_text())
    grant = json.loads((SCHEMA_DIR / "360-giving-schema.json").read_text())
    registry = Registry().with_resource(
        GRANT_SCHEMA_URL, Resource.from_contents(grant, default_specification=DRAFT4)
    )
    return Draft4Validator(package, registry=registry, format_checker=_format_checker())


def _file(world, year, fmt):
    url = reverse(
        "insight:open_data_file", kwargs={"slug": world.municipality.slug, "year": year, "fmt": fmt}
    )
    return Client().get(url)


def test_the_360giving_file_validates_against_the_schema(world):
    s = scenario(world)
    response = _file(world, s["year"], "json")
    assert response.status_code == 200
    package = json.loads(response.content)
    errors = sorted(_validator().iter_errors(package), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    grants = {g["id"]: g for g in package["grants"]}
    year = s["year"]
    slug = world.municipality.slug
    a1 = grants[f"360G-bidra-{slug}-SN-{year}-101"]
    assert a1["amountAwarded"] == 100000
    assert a1["currency"] == "SEK"
    assert a1["fundingOrganization"][0]["id"] == f"SE-ON-{org_number_display(world.municipality.org_number)}"
    assert a1["recipientOrganization"][0] == {
        "id": f"SE-ON-{org_number_display(s['trygg'].org_number)}",
        "name": s["trygg"].name,
    }
    assert set(grants) == {
        f"360G-bidra-{slug}-SN-{year}-101",
        f"360G-bidra-{slug}-SN-{year}-102",
        f"360G-bidra-{slug}-SN-{year}-106",
        f"360G-bidra-{slug}-SN-{year}-201",
        f"360G-bidra-{slug}-{s['partnership'].case_number.replace(' ', '-').replace('/', '-')}",
    }


def test_the_export_holds_no_personal_data(world):
    s = scenario(world)
    for fmt in ("json", "csv"):
        text = _file(world, s["year"], fmt).content.decode("utf-8")
        for private in PRIVATE:
            assert private not in text, (fmt, private)


def test_the_csv_has_the_same_public_rows(world):
    s = scenario(world)
    response = _file(world, s["year"], "csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Identifierare", "Typ", "Organisation"]
    numbers = {r[header.index("Diarienummer")] for r in body}
    apps = s["apps"]
    assert numbers == {
        apps["a1"].case_number,
        apps["a2"].case_number,
        apps["a6"].case_number,
        s["award"].case_number,
        s["partnership"].case_number,
    }
    amounts = {r[header.index("Diarienummer")]: r[header.index("Belopp (kr)")] for r in body}
    assert amounts[apps["a2"].case_number] == "50000"


def test_the_page_lists_a_file_per_year(world):
    s = scenario(world)
    html = (
        Client().get(reverse("insight:open_data", kwargs={"slug": world.municipality.slug})).content.decode()
    )
    assert f"/kommun/{world.municipality.slug}/oppna-data/{s['year']}.json" in html
    assert f"/kommun/{world.municipality.slug}/oppna-data/{s['year']}.csv" in html


def test_an_unknown_format_or_municipality_is_not_found(world):
    assert _file(world, 2026, "xml").status_code == 404
    url = reverse("insight:open_data_file", kwargs={"slug": "finns-inte", "year": 2026, "fmt": "json"})
    assert Client().get(url).status_code == 404
