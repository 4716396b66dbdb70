"""Decision letters: PDF/A with the letter's text, styled by the letter's own stylesheet
(``grants.services.LETTER_CSS``, given to WeasyPrint with ``stylesheets=``)."""

import io

import pytest
from pypdf import PdfReader

from ..pdf import pdf_text, pdfa_conformance
from .decisions import decided_meeting

pytestmark = pytest.mark.django_db


def _font_sizes(data: bytes) -> dict[str, float]:
    """Each line of text on the first page and its font size in CSS pixels (1 pt = 4/3 px)."""
    sizes = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.setdefault(text.strip(), round(size, 2))

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return sizes


def test_a_decision_letter_is_styled_by_the_letters_stylesheet(world):
    letter = decided_meeting(world)["letter"]
    sizes = _font_sizes(letter.document.file.read())
    assert letter.subject.startswith("Beslut om ")
    heading = [size for text, size in sizes.items() if text.startswith("Beslut om ")]
    assert heading == [18.67]  # h1: 14 pt
    assert sizes["Hej!"] == 13.33  # body: 10 pt


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
