"""Handing out stored PDFs: one certificate as it was stored, or a cohort's as one ZIP.

Nothing here renders: the bytes come from the database exactly as issued.
"""

import re
import unicodedata
import zipfile
from collections.abc import Iterator

from flask import Response, request
from sqlalchemy import select

from app.certificates.models import Certificate
from app.enrolments.models import Enrolment
from app.extensions import db
from app.programs.models import Cohort


def pdf_response(certificate: Certificate) -> Response:
    response = Response(certificate.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{certificate.filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(certificate.pdf_sha256)
    return response.make_conditional(request)


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[A-Za-z0-9]+", ascii_name))[:60] or "certificate"


def archive_name(cohort: Cohort) -> str:
    return f"certificates-{cohort.programme.slug}-{cohort.slug}.zip"


class _Chunks:
    """A write-only file for zipfile whose contents are handed on as they are written."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> Iterator[bytes]:
        parts, self._parts = self._parts, []
        yield from parts


def cohort_archive(cohort: Cohort) -> Iterator[bytes]:
    """The cohort's valid certificates as a ZIP, one stored PDF at a time (not all in memory)."""
    rows = db.session.execute(
        select(Certificate.id, Certificate.code, Certificate.holder_name, Certificate.issued_at)
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .where(
            Enrolment.cohort_id == cohort.id,
            Certificate.superseded_at.is_(None),
            Certificate.revoked_at.is_(None),
        )
        .order_by(Certificate.holder_name, Certificate.id)
    ).all()
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate_id, code, holder_name, issued_at in rows:
            pdf = db.session.scalar(select(Certificate.pdf).where(Certificate.id == certificate_id))
            entry = zipfile.ZipInfo(f"{_slug(holder_name)}-{code}.pdf", issued_at.timetuple()[:6])
            archive.writestr(entry, pdf)
            yield from sink.drain()
    yield from sink.drain()
