"""Charts as inline SVG drawn on the server: no JavaScript, nothing fetched.

Each chart is an ``<svg role="img">`` with a ``<title>`` and an ``aria-label`` that say
what it shows; the numbers themselves are in the table printed next to it, which is
what a screen reader reads.  Bars are horizontal, so long program names fit.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from workflows.templatetags.bidra import kr

#: colours with at least 3:1 contrast against white (WCAG 1.4.11)
PALETTE = ["#1f5f99", "#b35900", "#2e7d32", "#8e24aa", "#c62828", "#00796b", "#5d4037", "#455a64", "#ad1457"]
WIDTH = 720
LABEL_WIDTH = 230
ROW = 26
INK = "#1a1a1a"


def _num(value) -> float:
    if value is None:
        return 0.0
    return float(value) if isinstance(value, (int, float, Decimal)) else 0.0


def _fmt(value, money: bool) -> str:
    if value is None:
        return "–"
    return kr(value) if money else f"{value}"


def _short(text: str, length: int = 34) -> str:
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def _svg(title: str, height: int, body: list[str], summary: str) -> SafeString:
    label = f"{title}. {summary}".strip()
    return mark_safe(
        f'<svg class="chart" role="img" aria-label="{escape(label)}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="sans-serif" font-size="13"><title>{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def _empty(title: str) -> SafeString:
    return _svg(title, 40, [f'<text x="0" y="24" fill="{INK}">{escape(_("No data."))}</text>'], _("No data."))


def _legend(names: list[str], y: int) -> tuple[list[str], int]:
    parts, x = [], 0
    for i, name in enumerate(names):
        width = 24 + 7.2 * len(_short(name, 28))
        if x + width > WIDTH:
            x, y = 0, y + 20
        parts.append(
            f'<rect x="{x}" y="{y - 11}" width="14" height="14" fill="{PALETTE[i % len(PALETTE)]}"/>'
        )
        parts.append(f'<text x="{x + 19}" y="{y}" fill="{INK}">{escape(_short(name, 28))}</text>')
        x += width + 12
    return parts, y + 14


def _summary(labels, values, money) -> str:
    if not labels:
        return _("No data.")
    top = max(range(len(values)), key=lambda i: _num(values[i]))
    return _("Highest: %(label)s, %(value)s.") % {"label": labels[top], "value": _fmt(values[top], money)}


def bars(*, title: str, labels: list[str], values: list, money: bool = False) -> SafeString:
    """One horizontal bar per label."""
    if not labels:
        return _empty(title)
    top = max((_num(v) for v in values), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 110
    body = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = i * ROW + 4
        w = max(0.0, _num(value) / top * span)
        body.append(f'<text x="0" y="{y + 15}" fill="{INK}">{escape(_short(label))}</text>')
        body.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{w:.1f}" height="{ROW - 8}" fill="{PALETTE[0]}"/>'
        )
        body.append(
            f'<text x="{LABEL_WIDTH + w + 6:.1f}" y="{y + 15}" fill="{INK}">{escape(_fmt(value, money))}</text>'
        )
    return _svg(title, len(labels) * ROW + 8, body, _summary(labels, values, money))


def grouped_bars(
    *, title: str, labels: list[str], series: list[tuple[str, list]], money: bool = False
) -> SafeString:
    """For each label one bar per series (e.g. budget, granted, paid), side by side."""
    if not labels:
        return _empty(title)
    top = max((_num(v) for _n, vs in series for v in vs), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 110
    bar = 14
    group = bar * len(series) + 12
    body, y = [], 4
    for i, label in enumerate(labels):
        body.append(f'<text x="0" y="{y + bar}" fill="{INK}">{escape(_short(label))}</text>')
        for j, (_name, values) in enumerate(series):
            w = max(0.0, _num(values[i]) / top * span)
            by = y + j * bar
            body.append(
                f'<rect x="{LABEL_WIDTH}" y="{by}" width="{w:.1f}" height="{bar - 2}" fill="{PALETTE[j % len(PALETTE)]}"/>'
            )
            body.append(
                f'<text x="{LABEL_WIDTH + w + 6:.1f}" y="{by + bar - 3}" fill="{INK}" font-size="11">'
                f"{escape(_fmt(values[i], money))}</text>"
            )
        y += group
    legend, height = _legend([n for n, _v in series], y + 14)
    return _svg(
        title,
        height + 4,
        body + legend,
        _("Compared: %(names)s.") % {"names": ", ".join(n for n, _v in series)},
    )


def stacked_bars(
    *, title: str, labels: list[str], series: list[tuple[str, list]], money: bool = False
) -> SafeString:
    """One bar per label, made of one segment per series (e.g. applications by state)."""
    if not labels or not series:
        return _empty(title)
    totals = [sum(_num(vs[i]) for _n, vs in series) for i in range(len(labels))]
    top = max(totals, default=0) or 1
    span = WIDTH - LABEL_WIDTH - 110
    body = []
    for i, label in enumerate(labels):
        y = i * ROW + 4
        x = float(LABEL_WIDTH)
        body.append(f'<text x="0" y="{y + 15}" fill="{INK}">{escape(_short(label))}</text>')
        for j, (_name, values) in enumerate(series):
            w = max(0.0, _num(values[i]) / top * span)
            if w:
                body.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{ROW - 8}" fill="{PALETTE[j % len(PALETTE)]}"/>'
                )
            x += w
        body.append(
            f'<text x="{x + 6:.1f}" y="{y + 15}" fill="{INK}">{escape(_fmt(_total(totals[i], money), money))}</text>'
        )
    legend, height = _legend([n for n, _v in series], len(labels) * ROW + 24)
    return _svg(title, height + 4, body + legend, _summary(labels, totals, money))


def _total(value: float, money: bool):
    return Decimal(round(value)) if money else round(value)


def line(*, title: str, labels: list[str], values: list, money: bool = False) -> SafeString:
    """A line over time (e.g. granted per year), with the value at each point."""
    if not labels:
        return _empty(title)
    height, left, bottom, top_pad = 220, 20, 30, 24
    top = max((_num(v) for v in values), default=0) or 1
    step = (WIDTH - left * 2 - 60) / max(1, len(labels) - 1)
    points = []
    for i, value in enumerate(values):
        x = left + 30 + i * step
        y = top_pad + (height - bottom - top_pad) * (1 - _num(value) / top)
        points.append((x, y, value, labels[i]))
    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{WIDTH - left}" y2="{height - bottom}" stroke="{INK}"/>',
        '<polyline fill="none" stroke="{}" stroke-width="3" points="{}"/>'.format(
            PALETTE[0], " ".join(f"{x:.1f},{y:.1f}" for x, y, _v, _l in points)
        ),
    ]
    for x, y, value, label in points:
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{PALETTE[0]}"/>')
        body.append(
            f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" fill="{INK}" font-size="11">'
            f"{escape(_fmt(value, money))}</text>"
        )
        body.append(
            f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" fill="{INK}">{escape(label)}</text>'
        )
    return _svg(title, height, body, _summary(labels, values, money))
