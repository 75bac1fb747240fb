"""Issuing and revoking certificates. Services flush; the caller (view or batch worker) commits.

Issuing checks the programme's rule at that moment, copies what the certificate says onto its
row, renders the PDF once and stores it. Re-issuing adds a version and marks the previous one
superseded; its code keeps working and says so. Links (the verify address printed on the PDF,
the download link in the mail) are built with `url_for(..., _external=True)`, so they need a
request context: the real one in a view, the batch's recorded address in the worker.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.certificates import rendering
from app.certificates.codes import new_code
from app.certificates.models import Certificate
from app.certificates.rendering import CertificateContent, Module
from app.certificates.rules import (
    EnrolmentStanding,
    Requirements,
    describe,
    session_hours,
    standings,
)
from app.enrolments.history import record
from app.enrolments.models import Enrolment
from app.errors import Refusal
from app.extensions import db
from app.notifications.services import queue_certificate_issued


class CertificateRefused(Refusal):
    """Issuing or revoking was refused."""


@dataclass(frozen=True)
class Issuer:
    """Who the certificate names as issuer, and who signs it."""

    name: str
    signatory: str

    @classmethod
    def acting(cls, actor) -> "Issuer":
        configured = current_app.config.get("CERTIFICATE_ISSUER_NAME") or ""
        organisation = getattr(actor, "organisation", "") or ""
        return cls(
            name=configured or organisation or "Fahrplan",
            signatory=getattr(actor, "name", "") or "",
        )


def verify_url(code: str) -> str:
    return url_for("verify.certificate", code=code, _external=True)


def download_url(certificate: Certificate) -> str:
    return url_for("certificates.my_pdf", certificate_id=certificate.id, _external=True)


def _language(user) -> str:
    languages = current_app.config["LANGUAGES"]
    return user.locale if user.locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def content_for(
    standing: EnrolmentStanding, *, code: str, issuer: Issuer, now: datetime
) -> CertificateContent:
    enrolment = standing.enrolment
    cohort = enrolment.cohort
    return CertificateContent(
        code=code,
        verify_url=verify_url(code),
        language=_language(enrolment.user),
        timezone=cohort.timezone,
        holder_name=enrolment.user.name,
        holder_organisation=enrolment.organisation or enrolment.user.organisation or "",
        programme_title=cohort.programme.title,
        cohort_name=cohort.name,
        target_group_name=enrolment.target_group.name,
        issuer_name=issuer.name,
        signatory_name=issuer.signatory,
        modules=tuple(
            Module(
                title=s.title,
                kind=s.kind,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                hours=session_hours(s),
            )
            for s in standing.progress.attended
        ),
        total_hours=standing.progress.hours,
        issued_at=now,
    )


def _lock(enrolments: Sequence[Enrolment]) -> None:
    """Serialise issuance per person (PostgreSQL row locks; SQLite serialises writers)."""
    if enrolments:
        db.session.execute(
            select(Enrolment.id)
            .where(Enrolment.id.in_([e.id for e in enrolments]))
            .order_by(Enrolment.id)
            .with_for_update()
        ).all()


def _next_versions(enrolment_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(Certificate.enrolment_id, func.max(Certificate.version))
        .where(Certificate.enrolment_id.in_(enrolment_ids))
        .group_by(Certificate.enrolment_id)
    )
    latest = dict(rows.all())
    return {i: latest.get(i, 0) + 1 for i in enrolment_ids}


def issue_many(
    enrolments: Sequence[Enrolment],
    *,
    actor,
    now: datetime,
    reissue: bool = False,
    batch=None,
) -> tuple[list[Certificate], list[Enrolment]]:
    """Issue to everyone who qualifies now; returns (issued, skipped).

    Skipped: the rule does not hold (any more), or the person has a certificate already (unless
    `reissue`, which supersedes it). All PDFs of the call come from one layout pass.
    """
    if not enrolments:
        return [], []
    _lock(enrolments)
    programme = enrolments[0].cohort.programme
    chosen, skipped = [], []
    for standing in standings(list(enrolments), programme, now=now):
        wanted = standing.verdict.eligible and (reissue or standing.certificate is None)
        (chosen if wanted else skipped).append(standing)
    if not chosen:
        return [], [s.enrolment for s in skipped]
    issuer = Issuer.acting(actor)
    requirements = Requirements.of(programme)
    contents = [content_for(s, code=new_code(), issuer=issuer, now=now) for s in chosen]
    pdfs = rendering.render_certificates(contents)
    versions = _next_versions([s.enrolment.id for s in chosen])
    previous = [s.certificate for s in chosen if s.certificate is not None]
    for old in previous:
        old.superseded_at = now
    db.session.flush()  # frees the "one current certificate" slot before the inserts
    issued = []
    for standing, content, pdf in zip(chosen, contents, pdfs, strict=True):
        enrolment = standing.enrolment
        certificate = _new_certificate(enrolment, content, pdf, actor=actor, batch=batch)
        with force_locale(content.language):
            certificate.criteria = describe(requirements)
        certificate.version = versions[enrolment.id]
        db.session.add(certificate)
        issued.append(certificate)
    db.session.flush()
    for standing, certificate in zip(chosen, issued, strict=True):
        old = standing.certificate
        if old is not None:
            old.superseded_by_id = certificate.id
        record(
            standing.enrolment,
            action="certificate_reissued" if old is not None else "certificate_issued",
            actor=actor,
            now=now,
            reason=certificate.code,
        )
        queue_certificate_issued(
            standing.enrolment.user,
            enrolment_id=standing.enrolment.id,
            download_url=download_url(certificate),
            now=now,
        )
    db.session.flush()
    return issued, [s.enrolment for s in skipped]


def _new_certificate(
    enrolment: Enrolment, content: CertificateContent, pdf: bytes, *, actor, batch
) -> Certificate:
    return Certificate(
        enrolment=enrolment,
        code=content.code,
        language=content.language,
        holder_name=content.holder_name,
        holder_organisation=content.holder_organisation,
        programme_title=content.programme_title,
        cohort_name=content.cohort_name,
        target_group_name=content.target_group_name,
        issuer_name=content.issuer_name,
        signatory_name=content.signatory_name,
        modules=[
            {
                "title": m.title,
                "kind": m.kind,
                "starts_at": m.starts_at.isoformat(),
                "ends_at": m.ends_at.isoformat(),
                "hours": m.hours,
            }
            for m in content.modules
        ],
        total_hours=content.total_hours,
        issued_at=content.issued_at,
        issued_by_id=actor.id if actor is not None else None,
        batch_id=batch.id if batch is not None else None,
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        pdf_size=len(pdf),
    )


def issue(enrolment: Enrolment, *, actor, now: datetime, reissue: bool = False) -> Certificate:
    """One person, on an organiser's request; says why when it cannot."""
    if enrolment.cohort.is_archived:
        raise CertificateRefused(_l("This cohort is archived."))
    _lock([enrolment])  # a parallel click waits here, then finds the certificate
    standing = standings([enrolment], enrolment.cohort.programme, now=now)[0]
    if not standing.verdict.eligible:
        missing = ", ".join(str(reason) for reason in standing.verdict.missing)
        raise CertificateRefused(
            _l("The certificate rule is not met yet: %(missing)s.", missing=missing)
        )
    if standing.certificate is not None and not reissue:
        raise CertificateRefused(_l("This person already has a certificate."))
    issued, _skipped = issue_many([enrolment], actor=actor, now=now, reissue=reissue)
    if not issued:
        raise CertificateRefused(_l("This person already has a certificate."))
    return issued[0]


def revoke(certificate: Certificate, *, actor, now: datetime, reason: str) -> Certificate:
    reason = reason.strip()
    if not reason:
        raise CertificateRefused(_l("Please give a reason for the revocation."))
    if certificate.revoked_at is not None:
        raise CertificateRefused(_l("This certificate has already been revoked."))
    actor_id = actor.id if actor is not None else None
    certificate.revocation_reason = reason
    certificate.revoked_by_id = actor_id
    certificate.revoked_at = now
    db.session.flush()
    record(
        certificate.enrolment,
        action="certificate_revoked",
        actor=actor,
        now=now,
        reason=f"{certificate.code}: {reason}",
    )
    return certificate
