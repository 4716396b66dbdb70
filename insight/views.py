"""The public register and open data (no sign-in), and the staff dashboards (own municipality)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from grants.models import ProgramBudget, Round
from organizations.models import Committee, Municipality
from organizations.permissions import staff_municipality_ids
from workflows.pdf import html_to_pdfa

from . import figures, opendata, selectors
from .forms import DashboardForm, RegisterFilterForm

PAGE_SIZE = 25


class RegisterPaginator(Paginator):
    """A page past the middle is read from the other end of the register's order.

    Reading the last page of ten thousand entries newest first skips ten thousand rows; read
    oldest first it skips none.  Either way the OFFSET is at most half the entries.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom > self.count - top and self.object_list.ordered:
            rows = list(self.object_list.reverse()[self.count - top : self.count - bottom])
            rows.reverse()
        else:
            rows = self.object_list[bottom:top]
        return Page(rows, number, self)


def _municipality(slug: str) -> Municipality:
    return get_object_or_404(Municipality, slug=slug)


# -- the public register -----------------------------------------------------------------------------


def register(request, slug):
    municipality = _municipality(slug)
    choices = selectors.filter_choices(municipality=municipality)
    years = selectors.register_years(municipality=municipality)
    form = RegisterFilterForm(request.GET or None, years=years, **choices)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.RegisterFilter(
        committee_id=data.get("committee"),
        program_id=data.get("program"),
        year=data.get("year"),
        kind=data.get("kind") or "",
        query=(data.get("q") or "").strip(),
    )
    rows = selectors.register_entries(municipality=municipality, filters=filters)
    page = RegisterPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [selectors.row_dict(r) for r in page.object_list]
    query = {k: v for k, v in data.items() if v not in (None, "")}
    return render(
        request,
        "insight/register.html",
        {
            "municipality": municipality,
            "form": form,
            "page": page,
            "query_string": urlencode(query),
            "filtered": bool(query),
        },
    )


def organisation(request, slug, pk):
    municipality = _municipality(slug)
    org = selectors.public_organisation(municipality=municipality, pk=pk)
    if org is None:
        raise Http404
    rows = selectors.received_by_organisation(org, municipality=municipality)
    return render(
        request,
        "insight/organisation.html",
        {
            "municipality": municipality,
            "organisation": org,
            "org_number": selectors.org_number_display(org.org_number),
            "rows": rows,
            "total": sum((r["amount"] for r in rows), Decimal(0)),
        },
    )


# -- open data ---------------------------------------------------------------------------------------


def open_data(request, slug):
    municipality = _municipality(slug)
    years = selectors.register_years(municipality=municipality)
    files = [
        {
            "year": year,
            "json": reverse("insight:open_data_file", kwargs={"slug": slug, "year": year, "fmt": "json"}),
            "csv": reverse("insight:open_data_file", kwargs={"slug": slug, "year": year, "fmt": "csv"}),
        }
        for year in years
    ]
    return render(
        request,
        "insight/open_data.html",
        {
            "municipality": municipality,
            "files": files,
            "funder_id": selectors.org_id(municipality.org_number),
        },
    )


def open_data_file(request, slug, year, fmt):
    municipality = _municipality(slug)
    filename = f"bidrag-{municipality.slug}-{year}"
    if fmt == "json":
        url = request.build_absolute_uri(request.path)
        package = opendata.package_360giving(municipality=municipality, year=year, url=url)
        response = HttpResponse(
            json.dumps(package, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
    elif fmt == "csv":
        response = HttpResponse(
            opendata.csv_text(municipality=municipality, year=year), content_type="text/csv; charset=utf-8"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'inline; filename="{filename}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


# -- staff dashboards --------------------------------------------------------------------------------


def _staff_context(request):
    if not request.user.has_perm("insight.view_statistics"):
        raise PermissionDenied
    municipalities = list(
        Municipality.objects.filter(pk__in=staff_municipality_ids(request.user)).order_by("name")
    )
    if not municipalities:
        raise PermissionDenied
    wanted = request.GET.get("kommun")
    municipality = next((m for m in municipalities if m.slug == wanted), municipalities[0])
    this_year = timezone.localdate().year
    years = set(
        Round.objects.filter(program__municipality=municipality).values_list("year", flat=True).distinct()
    )
    years |= set(
        ProgramBudget.objects.filter(program__municipality=municipality)
        .values_list("year", flat=True)
        .distinct()
    )
    years.add(this_year)
    years = sorted(years, reverse=True)
    form = DashboardForm(request.GET or None, years=years, municipalities=municipalities)
    year = form.cleaned_data["ar"] if form.is_valid() else this_year
    return municipality, municipalities, year, form


@login_required
def dashboard(request):
    municipality, municipalities, year, form = _staff_context(request)
    tables, counted_at = figures.dashboard_cached(municipality=municipality, year=year)
    committees = list(municipality.committees.order_by("name"))
    return render(
        request,
        "insight/dashboard.html",
        {
            "municipality": municipality,
            "year": year,
            "form": form,
            "tables": tables,
            "counted_at": counted_at,
            "committees": committees,
            "export_query": urlencode({"ar": year, "kommun": municipality.slug}),
        },
    )


@login_required
def dashboard_export(request, key, fmt):
    municipality, _municipalities, year, _form = _staff_context(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    table = figures.section(municipality=municipality, year=year, key=key)
    if table is None:
        raise Http404
    filename = f"statistik-{municipality.slug}-{year}-{key}"
    rows = [[_plain(v) for v in row] for row in table.rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(table.columns)
        for row in rows:
            writer.writerow([opendata.csv_safe(v) for v in row])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(key[:31])
        sheet.append([table.title])
        sheet.append(table.columns)
        for row in rows:
            sheet.append([opendata.csv_safe(v) if isinstance(v, str) else v for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return "" if value is None else value


@login_required
def committee_summary(request, pk, year):
    committee = get_object_or_404(Committee.objects.select_related("municipality"), pk=pk)
    if not request.user.has_perm("insight.view_committee_summary", committee):
        raise Http404
    with translation.override("sv"):
        context = figures.committee_year_summary(committee=committee, year=year)
        context["made_on"] = timezone.localdate()
        html = render_to_string("documents/insight/committee_year.html", context)
    pdf = html_to_pdfa(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="arssammanstallning-{committee.code}-{year}.pdf"'
    return response
