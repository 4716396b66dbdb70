"""The application's state graph as an inline SVG, drawn from the transitions in code.

No Graphviz: states known to the layout get a place, new states (e.g. the
decision states that come later) are put on an extra row, and every
transition becomes an arrow.  The page lists the same transitions as text for
screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from .models import Application

S = Application.State
BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 150, 44, 40, 70, 20
LAYOUT = {
    S.COMPLETION_REQUESTED: (1, 0),
    S.DRAFT: (0, 1),
    S.SUBMITTED: (1, 1),
    S.IN_ASSESSMENT: (2, 1),
    S.ASSESSED: (3, 1),
    S.PROPOSED: (4, 1),
    S.WITHDRAWN: (1, 2),
    S.DISMISSED: (3, 2),
}


@dataclass
class Edge:
    source: str
    target: str
    label: str


def transitions_of(model=Application) -> list[Edge]:
    field = model._meta.get_field("state")
    edges = []
    for transition in field.get_all_transitions(model):
        if transition.custom.get("hidden"):
            continue
        edges.append(
            Edge(transition.source, transition.target, str(transition.custom.get("label", transition.name)))
        )
    return edges


def _positions(states: list[str]) -> dict[str, tuple[int, int]]:
    positions = {s: LAYOUT[s] for s in states if s in LAYOUT}
    extra = [s for s in states if s not in LAYOUT]
    for index, state in enumerate(extra):
        positions[state] = (index, 3)
    return positions


def _center(pos):
    col, row = pos
    return PAD + col * (BOX_W + GAP_X) + BOX_W / 2, PAD + row * (BOX_H + GAP_Y) + BOX_H / 2


def _edge_point(center, other):
    """Where the line from ``center`` towards ``other`` leaves the box."""
    (x, y), (ox, oy) = center, other
    dx, dy = ox - x, oy - y
    if dx == 0 and dy == 0:
        return x, y
    scale = min((BOX_W / 2) / abs(dx) if dx else float("inf"), (BOX_H / 2) / abs(dy) if dy else float("inf"))
    return x + dx * scale, y + dy * scale


def state_graph() -> dict:
    labels = dict(S.choices)
    edges = transitions_of()
    states = list(dict.fromkeys([s for s, _l in S.choices] + [e.target for e in edges]))
    positions = _positions(states)
    cols = max(p[0] for p in positions.values()) + 1
    rows = max(p[1] for p in positions.values()) + 1
    width = PAD * 2 + cols * BOX_W + (cols - 1) * GAP_X
    height = PAD * 2 + rows * BOX_H + (rows - 1) * GAP_Y
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="state-graph" '
        'role="img" aria-labelledby="state-graph-title">',
        '<title id="state-graph-title">Ansökans tillstånd och övergångar</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1b1f24"/></marker></defs>',
    ]
    drawn = set()
    for edge in edges:
        if edge.source in ("*", "+") or edge.source == edge.target:
            continue
        key = (edge.source, edge.target)
        if key in drawn or edge.source not in positions:
            continue
        drawn.add(key)
        a, b = _center(positions[edge.source]), _center(positions[edge.target])
        back = (edge.target, edge.source) in drawn
        offset = 6 if back else 0
        x1, y1 = _edge_point(a, b)
        x2, y2 = _edge_point(b, a)
        parts.append(
            f'<line x1="{x1 + offset:.0f}" y1="{y1 + offset:.0f}" x2="{x2 + offset:.0f}" y2="{y2 + offset:.0f}" '
            f'stroke="#1b1f24" stroke-width="1.5" marker-end="url(#arrow)"><title>{escape(edge.label)}</title></line>'
        )
    for state in states:
        x, y = _center(positions[state])
        end = state in (S.DISMISSED, S.WITHDRAWN)
        fill = "#f3f5f7" if end else "#ffffff"
        parts.append(
            f'<g><rect x="{x - BOX_W / 2:.0f}" y="{y - BOX_H / 2:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" '
            f'fill="{fill}" stroke="#0b4f6c" stroke-width="2"/>'
            f'<text x="{x:.0f}" y="{y + 5:.0f}" text-anchor="middle" font-size="14" fill="#1b1f24">'
            f"{escape(str(labels.get(state, state)))}</text></g>"
        )
    parts.append("</svg>")
    text = [
        {
            "sources": [str(labels.get(e.source, e.source))],
            "target": str(labels.get(e.target, e.target)),
            "label": e.label,
        }
        for e in edges
    ]
    # One line per transition, with every state it can be taken from.
    merged: dict[tuple[str, str], dict] = {}
    for item in text:
        key = (item["label"], item["target"])
        if key in merged:
            merged[key]["sources"] += item["sources"]
        else:
            merged[key] = item
    return {"svg": "".join(parts), "transitions": list(merged.values())}
