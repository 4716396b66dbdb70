"""Open data of the public pages: open calls as JSON and Atom, and the notice board as Atom.

The addresses are described in docs/open-data.md.  Every answer here may be kept by a cache for
ten minutes (``Cache-Control: public, max-age=600``): none of it depends on who asks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meetings.selectors import notices_current
from organizations.models import Municipality

from .selectors import OpenCall, open_calls

#: seconds a cache may keep the open data
MAX_AGE = 600
JSON_VERSION = 1


def _amount(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _datetime(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat()


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def call_as_data(call: OpenCall) -> dict:
    """One open or coming round as the JSON of /utlysningar.json (see docs/open-data.md)."""
    entry, program, round_ = call.entry, call.program, call.round
    return {
        "id": f"round-{round_.pk}",
        "status": call.status,
        "municipality": {"name": call.municipality.name, "slug": call.municipality.slug},
        "program": {
            "id": program.pk,
            "name": program.name,
            "kind": program.kind,
            "kind_label": str(program.get_kind_display()),
            "description": program.description,
            "rules_reference": program.rules_reference,
            "rules_url": program.rules_url or None,
        },
        "round": {
            "id": round_.pk,
            "name": round_.name,
            "year": round_.year,
            "opens_at": _datetime(round_.opens_at),
            "closes_at": _datetime(round_.closes_at),
            "decision_date": round_.decision_date.isoformat() if round_.decision_date else None,
        },
        "who_may_apply": {
            "text": entry.who_may_apply,
            "organisation_kinds": entry.org_kinds,
            "organisation_kind_labels": entry.org_kind_labels,
            "min_resident_members": entry.min_members,
            "max_resident_members": entry.max_members,
        },
        "amounts": {
            "currency": "SEK",
            "min": _amount(entry.min_amount),
            "max": _amount(entry.max_amount),
            "award": _amount(entry.award_amount),
        },
        "apply_url": _absolute(call.apply_path()),
    }


def calls_as_data(*, municipality: Municipality | None) -> dict:
    return {
        "version": JSON_VERSION,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "municipality": {"name": municipality.name, "slug": municipality.slug} if municipality else None,
        "calls": [call_as_data(c) for c in open_calls(municipality=municipality)],
    }


class OpenCallsFeed(Feed):
    """Open and coming rounds as Atom: of one municipality, or of all of them."""

    feed_type = Atom1Feed

    def get_object(self, request, slug=None):
        return get_object_or_404(Municipality, slug=slug) if slug else None

    def title(self, obj):
        if obj is None:
            return _("Open calls for grants and awards in Bidra")
        return _("Open calls for grants and awards in %(name)s") % {"name": obj.name}

    def link(self, obj):
        return reverse("portal:start", kwargs={"slug": obj.slug}) if obj else reverse("portal:municipalities")

    def subtitle(self, obj):
        return _("Rounds that are open now or open later, with who may apply and the amounts.")

    def items(self, obj):
        return open_calls(municipality=obj)

    def item_title(self, item: OpenCall):
        return f"{item.program.name}: {item.round.name}"

    def item_description(self, item: OpenCall):
        opens = date_format(timezone.localtime(item.round.opens_at), "Y-m-d")
        closes = date_format(timezone.localtime(item.round.closes_at), "Y-m-d")
        parts = [
            _("%(municipality)s. Open %(opens)s to %(closes)s.")
            % {"municipality": item.municipality.name, "opens": opens, "closes": closes}
        ]
        if item.entry.who_may_apply:
            parts.append(_("Who may apply: %(text)s") % {"text": item.entry.who_may_apply})
        if item.entry.max_amount is not None:
            parts.append(_("At most %(amount)s kr.") % {"amount": _amount(item.entry.max_amount)})
        return " ".join(parts)

    def item_link(self, item: OpenCall):
        return item.apply_path()

    def item_guid(self, item: OpenCall):
        return _absolute(f"{item.apply_path().split('#')[0]}#round-{item.round.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, item: OpenCall):
        return item.round.opens_at

    def item_updateddate(self, item: OpenCall):
        return item.round.opens_at


class NoticesFeed(Feed):
    """The notices on a municipality's notice board today, as Atom."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Municipality, slug=slug)

    def title(self, obj):
        return _("Notice board of %(name)s") % {"name": obj.name}

    def link(self, obj):
        return reverse("portal:notices", kwargs={"slug": obj.slug})

    def subtitle(self, obj):
        return _("Posted minutes and other notices of the municipality's committees.")

    def items(self, obj):
        return notices_current(municipality=obj)[:100]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        dates = _("Posted %(posted)s, taken down %(down)s.") % {
            "posted": item.posted_on.isoformat(),
            "down": item.taken_down_on.isoformat(),
        }
        return f"{item.body}\n\n{dates}".strip()

    def item_link(self, item):
        return reverse("portal:notices", kwargs={"slug": item.municipality.slug}) + f"#notice-{item.pk}"

    def item_pubdate(self, item):
        return timezone.make_aware(dt.datetime.combine(item.posted_on, dt.time()))

    def item_updateddate(self, item):
        return self.item_pubdate(item)
