"""PDF rendering with WeasyPrint that never fetches anything from outside the app.

Only the bundled assets under `app/pdf_assets/` (the Liberation Sans font, SIL OFL 1.1) and
`data:` URLs are served to the renderer; every other URL (http, file:///etc/passwd, ...) is
refused, so user-entered text can never pull in a remote or local resource. Templates refer to
the assets relatively (`fonts/LiberationSans-Regular.ttf`), resolved against ASSET_DIR.
"""

import mimetypes
import warnings
from pathlib import Path

from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSET_DIR = (Path(__file__).parent / "pdf_assets").resolve()
BASE_URL = ASSET_DIR.as_uri() + "/"
PDF_VARIANT = "pdf/a-3u"


class RefusedURL(ValueError):
    """WeasyPrint logs this and renders on without the resource."""


class BundledAssetFetcher(URLFetcher):
    def fetch(self, url: str, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            path = Path(url.removeprefix("file://")).resolve()
            if path.is_relative_to(ASSET_DIR) and path.is_file():
                mime, _ = mimetypes.guess_type(path.name)
                return URLFetcherResponse(
                    url, body=path.read_bytes(), headers={"Content-Type": mime or "font/ttf"}
                )
        raise RefusedURL(f"refused to fetch {url!r}: only bundled assets are allowed")


def render_document(html: str) -> Document:
    """Lay out a complete HTML document (with <title> and <html lang>) for a tagged PDF/A.

    Write it with `write_document`, whole or in parts (`document.copy(pages)`): a batch of
    certificates is laid out once and written as one PDF per certificate.
    """
    return HTML(string=html, base_url=BASE_URL, url_fetcher=BundledAssetFetcher()).render(
        pdf_variant=PDF_VARIANT, pdf_tags=True
    )


def write_document(document: Document, **options) -> bytes:
    with warnings.catch_warnings():
        # WeasyPrint opens its sRGB output-intent profile for PDF/A and never closes it; the
        # warning is about that one file only.
        warnings.filterwarnings(
            "ignore", message=r"unclosed file .*sRGB2014\.icc", category=ResourceWarning
        )
        return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True, **options)


def render_pdf(html: str, **options) -> bytes:
    """Render a complete HTML document (with <title> and <html lang>) as a tagged PDF/A."""
    return write_document(render_document(html), **options)
