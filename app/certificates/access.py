"""Object-level access to certificates and batches.

A participant reaches only their own certificates (anything else, and revoked ones: 404, so ids
do not leak); organisers reach those of programmes they manage (otherwise 403).
"""

from flask import abort

from app.certificates.models import Certificate, CertificateBatch
from app.extensions import db


def get_own_certificate_or_404(certificate_id: int, *, user) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if (
        certificate is None
        or certificate.enrolment.user_id != user.id
        or certificate.revoked_at is not None
    ):
        abort(404)
    return certificate


def get_managed_certificate_or_404(certificate_id: int, *, user) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        abort(404)
    if not certificate.enrolment.cohort.can_manage(user):
        abort(403)
    return certificate


def get_managed_batch_or_404(batch_id: int, *, user) -> CertificateBatch:
    batch = db.session.get(CertificateBatch, batch_id)
    if batch is None:
        abort(404)
    if not batch.cohort.can_manage(user):
        abort(403)
    return batch
