"""The PDFs of the tests: reading those Bidra makes (text, PDF/A claim), and a real one to upload."""

import io
import re

from pypdf import PdfReader, PdfWriter


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdfa_conformance(data: bytes) -> str | None:
    """'3B' for a PDF/A-3b file (from the XMP metadata), None when it claims none."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    if "/Metadata" not in root or "/OutputIntents" not in root:
        return None
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8", "replace")
    part = re.search(r"pdfaid:part(?:>|=\")(\d)", xmp)
    level = re.search(r"pdfaid:conformance(?:>|=\")([ABU])", xmp)
    return f"{part.group(1)}{level.group(1)}" if part and level else None


def tiny_pdf(pages: int = 1) -> bytes:
    """A real PDF of blank A4 pages, for uploads that must open as a PDF."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
