"""Certificate PDFs: one WeasyPrint layout for a whole batch, one stored PDF per certificate.

Every WeasyPrint document pays a fixed cost (stylesheets, loading the bundled font into
fontconfig, the page machinery) of about a third of what a one-page certificate costs alone.
So a batch is rendered as ONE HTML document, one <section> per certificate, laid out once; each
certificate's pages are then written as their own PDF with `Document.copy(pages)` (WeasyPrint's
public API), so each file is complete on its own: tagged, PDF/A-3u, the bundled font subset to
what its page uses, its own title. A single issuance is simply a batch of one. What remains is
WeasyPrint's per-page layout and drawing (see benchmarks/bench_certificates.py).

The QR code is a tiny 1-bit PNG (one pixel per module, scaled up without smoothing): as SVG it
would be parsed and drawn as hundreds of path segments, costing more than the rest of the page.
"""

import copy
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import segno
from babel.dates import format_date
from babel.numbers import format_decimal
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app.pdf import render_document, write_document
from app.sessions.timezones import local_date

TEMPLATE = "certificates/certificate.html"


@dataclass(frozen=True)
class Module:
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    hours: float


@dataclass(frozen=True)
class CertificateContent:
    """Everything a certificate prints; stored with it, so it can be shown and verified."""

    code: str
    verify_url: str
    language: str
    timezone: str
    holder_name: str
    holder_organisation: str
    programme_title: str
    cohort_name: str
    target_group_name: str
    issuer_name: str
    signatory_name: str
    modules: tuple[Module, ...]
    total_hours: float
    issued_at: datetime


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").png_data_uri(scale=1)


def _printable(content: CertificateContent) -> dict:
    """The template's view of one certificate: dates and numbers in its language."""
    language, zone = content.language, content.timezone

    def day(instant: datetime) -> str:
        return format_date(local_date(instant, zone), "medium", locale=language)

    return {
        **{name: getattr(content, name) for name in content.__dataclass_fields__},
        "modules": [
            {
                "title": m.title,
                "date": day(m.starts_at),
                "hours": format_decimal(m.hours, locale=language),
            }
            for m in content.modules
        ],
        "total_hours": format_decimal(content.total_hours, locale=language),
        "issued_on": day(content.issued_at),
        "qr": qr_data_uri(content.verify_url),
    }


def render_certificates(contents: list[CertificateContent]) -> list[bytes]:
    """One PDF per certificate, in the given order (one layout per language in the batch)."""
    pdfs: list[bytes] = [b""] * len(contents)
    by_language: dict[str, list[int]] = defaultdict(list)
    for index, content in enumerate(contents):
        by_language[content.language].append(index)
    for language, indices in by_language.items():
        rendered = _render_same_language(language, [contents[i] for i in indices])
        for index, pdf in zip(indices, rendered, strict=True):
            pdfs[index] = pdf
    return pdfs


def render_certificate(content: CertificateContent) -> bytes:
    return render_certificates([content])[0]


def certificate_html(language: str, contents: list[CertificateContent]) -> tuple[str, list[str]]:
    """The batch's HTML document and each certificate's PDF title."""
    with force_locale(language):
        html = render_template(
            TEMPLATE,
            certificates=[_printable(c) for c in contents],
            lang=language,
            title=_("Certificate of participation"),
        )
        titles = [_("Certificate of participation: %(name)s", name=c.holder_name) for c in contents]
    return html, titles


def _render_same_language(language: str, contents: list[CertificateContent]) -> list[bytes]:
    html, titles = certificate_html(language, contents)
    document = render_document(html)
    starts = _first_pages(document, len(contents))
    ends = [*starts[1:], len(document.pages)]
    pdfs = []
    for start, end, title in zip(starts, ends, titles, strict=True):
        part = document.copy(document.pages[start:end])
        part.metadata = copy.copy(document.metadata)
        part.metadata.title = title
        pdfs.append(write_document(part))
    return pdfs


def _first_pages(document, count: int) -> list[int]:
    """The page on which each certificate's <section id="certificate-N"> begins."""
    first: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            first.setdefault(anchor, number)
    return [first[f"certificate-{index}"] for index in range(count)]
