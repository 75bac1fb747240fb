"""Object-level access to certificates and batches.

A participant reaches only their own certificates (anything else, and revoked ones: 404, so ids
do not leak); organisers reach those of programmes they manage (otherwise 403).
"""

from app.access import load_or_404
from app.certificates.models import Certificate, CertificateBatch


def get_own_certificate_or_404(certificate_id: int, *, user) -> Certificate:
    return load_or_404(
        Certificate,
        certificate_id,
        visible=lambda certificate: (
            certificate.enrolment.user_id == user.id and certificate.revoked_at is None
        ),
    )


def get_managed_certificate_or_404(certificate_id: int, *, user) -> Certificate:
    return load_or_404(
        Certificate,
        certificate_id,
        allowed=lambda certificate: certificate.enrolment.cohort.can_manage(user),
    )


def get_managed_batch_or_404(batch_id: int, *, user) -> CertificateBatch:
    return load_or_404(
        CertificateBatch, batch_id, allowed=lambda batch: batch.cohort.can_manage(user)
    )
