"""The staff dashboards: figures that match a generated year, as page, CSV, XLSX and the yearly PDF."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ..pdf import pdf_text, pdfa_conformance
from .factories import scenario

pytestmark = pytest.mark.django_db


def _client(world, role="caseworker"):
    client = Client()
    client.force_login(world.users[role])
    return client


def _csv(world, key, year, role="caseworker"):
    url = reverse("insight:dashboard_export", kwargs={"key": key, "fmt": "csv"})
    response = _client(world, role).get(f"{url}?ar={year}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return rows[0], {r[0]: r[1:] for r in rows[1:]}


def test_the_dashboard_shows_the_years_figures(world):
    s = scenario(world)
    html = _client(world).get(f"{reverse('insight:dashboard')}?ar={s['year']}").content.decode()
    for figure in (
        "500\u00a0000\u00a0kr",
        "215\u00a0000\u00a0kr",
        "60\u00a0000\u00a0kr",
        "120\u00a0000\u00a0kr",
    ):
        assert figure in html, figure
    # every chart has a text alternative and the table behind it
    assert html.count('role="img"') >= 6
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html


def test_budget_granted_and_paid_per_program(world):
    s = scenario(world)
    header, rows = _csv(world, "budget", s["year"])
    assert header[1:] == ["Budget", "Beviljat", "Utbetalt", "Återkrävt"]
    assert rows["Verksamhetsstöd"][:3] == ["500000", "215000", "60000"]
    assert rows["Årets eldsjäl"][:3] == ["0", "15000", "0"]


def test_applications_by_state_and_round(world):
    s = scenario(world)
    header, rows = _csv(world, "states", s["year"])
    counts = rows["Verksamhetsstöd: Vårens omgång"]
    assert counts[-1] == "7"  # the total
    by_state = dict(zip(header[1:-1], counts[:-1], strict=True))
    assert sorted(by_state.values()) == ["1", "1", "1", "4"]  # submitted, granted, partly granted, rejected
    assert len(header) == 6


def test_days_from_submission_to_decision(world):
    s = scenario(world)
    _header, rows = _csv(world, "decision_time", s["year"])
    assert rows["Verksamhetsstöd"] == ["6", "28", "10", "40"]


def test_distribution_by_organisation_kind_and_target_group(world):
    s = scenario(world)
    _h, kinds = _csv(world, "organisation_kind", s["year"])
    assert list(kinds.values()) == [["3", "150000"], ["2", "65000"]]  # non-profit, then religious
    _h, targets = _csv(world, "target_group", s["year"])
    assert targets == {"Barn": ["2", "120000"], "Äldre": ["3", "95000"]}


def test_partnership_contributions_by_party(world):
    s = scenario(world)
    header, rows = _csv(world, "partnerships", s["year"])
    assert rows["kommunen"][-1] == "300000"
    assert rows["organisationen"][-1] == "320000"


def test_reporting_compliance_says_when_it_is_not_available(world):
    s = scenario(world)
    html = _client(world).get(f"{reverse('insight:dashboard')}?ar={s['year']}").content.decode()
    try:
        import reporting.selectors  # noqa: F401
    except ImportError:
        assert "Inte tillgängligt" in html


def test_the_xlsx_export_has_the_same_figures(world):
    s = scenario(world)
    url = reverse("insight:dashboard_export", kwargs={"key": "budget", "fmt": "xlsx"})
    response = _client(world).get(f"{url}?ar={s['year']}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["Verksamhetsstöd"][:3] == (500000, 215000, 60000)


def test_staff_of_another_municipality_see_only_their_own(world):
    s = scenario(world)
    html = (
        _client(world, "other_caseworker")
        .get(f"{reverse('insight:dashboard')}?ar={s['year']}")
        .content.decode()
    )
    assert "Grannby" in html
    assert "Verksamhetsstöd" not in html
    url = reverse("insight:committee_summary", kwargs={"pk": world.committee.pk, "year": s["year"]})
    assert _client(world, "other_caseworker").get(url).status_code == 404


def test_the_yearly_summary_of_a_committee_is_a_pdfa(world):
    s = scenario(world)
    url = reverse("insight:committee_summary", kwargs={"pk": world.committee.pk, "year": s["year"]})
    response = _client(world, "secretary").get(url)
    assert response.status_code == 200
    assert pdfa_conformance(response.content) == "3B"
    text = " ".join(pdf_text(response.content).replace("\u00a0", " ").split())
    assert "Verksamhetsstöd" in text
    assert "230 000 kr" in text  # 215 000 in grants and 15 000 in awards
    assert "till 3 organisationer" in text
    assert "1 idéburna offentliga partnerskap" in text


def test_the_dashboard_reuses_its_figures_for_a_few_minutes_and_says_when_they_were_counted(world):
    from django.core.cache import cache

    from grants.models import Application

    s = scenario(world)
    url = f"{reverse('insight:dashboard')}?ar={s['year']}"
    client = _client(world)
    first = client.get(url).content.decode()
    assert "Siffrorna räknades" in first
    assert "215\u00a0000\u00a0kr" in first
    # a grant decided a moment later: the page a minute later still shows the figures it counted
    Application.objects.filter(state__in=Application.GRANTED_STATES).update(granted_amount=1000)
    again = client.get(url).content.decode()
    assert "215\u00a0000\u00a0kr" in again
    # once they expire, they are counted again
    cache.clear()
    fresh = client.get(url).content.decode()
    assert "215\u00a0000\u00a0kr" not in fresh
