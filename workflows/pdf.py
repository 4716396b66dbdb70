"""HTML to PDF/A with WeasyPrint: every document Bidra hands out goes through here.

Documents may only use Bundled files: ``/static/...`` references are resolved
through Django's static finders, and nothing is fetched over the network.
"""

import functools
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher

PDF_VARIANT = "pdf/a-3b"


class BundledFilesFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        prefix = "file:///" + settings.STATIC_URL.strip("/") + "/"
        if url.startswith(prefix):
            found = finders.find(url[len(prefix) :].split("?")[0])
            if found:
                return super().fetch(f"file://{found}", headers)
        raise ValueError(f"Documents may only use bundled files, not {url}")


@functools.cache
def _fonts():
    """One font configuration per process: finding and loading the fonts again for every
    document costs about a tenth of a letter's time (a meeting makes a thousand letters)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def stylesheet(path: str):
    """A document's CSS file, parsed once per process (the files are part of the release)."""
    from weasyprint import CSS

    return CSS(filename=path, font_config=_fonts())


def html_to_pdfa(html: str, *, stylesheets: tuple[str | Path, ...] = ()) -> bytes:
    """``stylesheets``: CSS files of the document, given to WeasyPrint's ``write_pdf`` and parsed
    once per process instead of in every document's ``<style>``."""
    document = HTML(string=html, base_url="/", url_fetcher=BundledFilesFetcher())
    return document.write_pdf(
        stylesheets=[stylesheet(str(path)) for path in stylesheets],
        pdf_variant=PDF_VARIANT,
        font_config=_fonts(),
    )
