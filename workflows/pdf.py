"""HTML to PDF/A with WeasyPrint: every document Bidra hands out goes through here.

Documents may only use Bundled files: ``/static/...`` references are resolved
through Django's static finders, and nothing is fetched over the network.
"""

import functools

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


def html_to_pdfa(html: str) -> bytes:
    return HTML(string=html, base_url="/", url_fetcher=BundledFilesFetcher()).write_pdf(
        pdf_variant=PDF_VARIANT, font_config=_fonts()
    )
