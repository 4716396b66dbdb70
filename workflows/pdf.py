"""HTML to PDF/A with WeasyPrint: every document Bidra hands out goes through here."""

from django.conf import settings
from django.contrib.staticfiles import finders


def _fetch_static(url: str):
    """Resolve /static/ URLs from the static finders, never over the network."""
    from weasyprint import default_url_fetcher

    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if url.startswith("file://") or url.startswith("data:"):
        return default_url_fetcher(url)
    path = url.split("://", 1)[-1]
    path = path[path.find("/") :] if "://" in url else path
    if path.startswith(prefix):
        found = finders.find(path[len(prefix) :])
        if found:
            return default_url_fetcher(f"file://{found}")
    raise ValueError(f"Documents may only use bundled files, not {url}")


def html_to_pdfa(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url="/", url_fetcher=_fetch_static).write_pdf(
        pdf_variant="pdf/a-3b", uncompressed_pdf=False
    )
