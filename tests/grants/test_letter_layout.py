"""Decision letters are rendered with a compact user-agent stylesheet: they must look exactly as
with WeasyPrint's full one, box for box, and still be PDF/A with the letter's text."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from grants.services import LETTER_CSS, letter_context
from workflows.pdf import BundledFilesFetcher, _CompactHTML, _fonts, stylesheet

from ..pdf import pdf_text, pdfa_conformance
from .decisions import decided_meeting

pytestmark = pytest.mark.django_db


def boxes(html: str, document_class) -> list[list[tuple]]:
    """Every box of every page: its kind, text, position and size (to a hundredth of a point)."""
    document = document_class(string=html, base_url="/", url_fetcher=BundledFilesFetcher()).render(
        stylesheets=[stylesheet(str(LETTER_CSS))], font_config=_fonts()
    )
    return [
        [
            (
                type(box).__name__,
                getattr(box, "text", None),
                *(round(v, 2) for v in (box.position_x, box.position_y, box.width, box.height)),
                box.style["font_weight"],
                box.style["font_style"],
                round(box.style["font_size"], 2),
            )
            for box in page._page_box.descendants()
        ]
        for page in document.pages
    ]


def test_a_decision_letter_is_laid_out_the_same_with_the_compact_stylesheet(world):
    decided = decided_meeting(world)
    application = decided["application"]
    with translation.override("sv"):
        context = letter_context(application=application, decision=application.decision)
        html = render_to_string("documents/grant_decision_letter.html", context)

    full, compact = boxes(html, HTML), boxes(html, _CompactHTML)

    assert len(full) >= 1 and len(full[0]) > 100  # a real letter, not an empty page
    assert compact == full
    # the letter's own stylesheet applies: its heading is 14 pt (18.67 px)
    heading = {box[-1] for box in full[0] if box[0] == "TextBox" and box[1] in context["subject"]}
    assert 18.67 in heading


def test_the_stored_letter_is_pdfa_with_its_heading_table_and_appeal_instructions(world):
    letter = decided_meeting(world)["letter"]
    data = letter.document.file.read()

    assert pdfa_conformance(data) == "3B"
    text = pdf_text(data)
    for phrase in ("Beslutsbrev", "Beviljat belopp", "Så här överklagar du beslutet", "Sida 1"):
        assert phrase in text


def test_a_decision_letter_begins_with_the_municipality_not_with_developer_text(world):
    text = pdf_text(decided_meeting(world)["letter"].document.file.read())

    assert text.lstrip().startswith("Exempelö kommun")
    assert "{#" not in text and "#}" not in text
