"""A certificate as an Open Badges 3.0 `OpenBadgeCredential` (a W3C Verifiable Credential 2.0).

The document is unsigned: it is trusted because it comes from this site's verify address, which
is also its `id`. Its `credentialStatus` says valid, revoked or superseded, as the page does.
Every IRI in it is a plain string; nothing is fetched to build it.
"""

from flask import url_for

from app.certificates.models import Certificate, CertificateStatus
from app.certificates.services import verify_url

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def _instant(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _status(certificate: Certificate, url: str) -> dict:
    status = certificate.status
    entry = {
        "id": f"{url}#status",
        "type": "FahrplanCertificateStatus",
        "statusPurpose": "revocation",
        "status": status.value,
    }
    if status is CertificateStatus.REVOKED:
        entry["statusDate"] = _instant(certificate.revoked_at)
    elif status is CertificateStatus.SUPERSEDED:
        entry["statusDate"] = _instant(certificate.superseded_at)
        if certificate.superseded_by is not None:
            entry["supersededBy"] = verify_url(certificate.superseded_by.code)
    return entry


def _achievement_id(certificate: Certificate) -> str:
    cohort = certificate.enrolment.cohort
    return url_for(
        "public.cohort", slug=cohort.programme.slug, cohort_slug=cohort.slug, _external=True
    )


def open_badge_credential(certificate: Certificate) -> dict:
    url = verify_url(certificate.code)
    title = f"{certificate.programme_title} – {certificate.cohort_name}"
    subject = {
        "type": ["AchievementSubject"],
        "name": certificate.holder_name,
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": certificate.holder_name,
            }
        ],
        "achievement": {
            "id": _achievement_id(certificate),
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": title,
            "description": certificate.programme_title,
            "criteria": {"narrative": certificate.criteria},
            "inLanguage": certificate.language,
        },
    }
    if certificate.modules:
        subject["activityStartDate"] = certificate.modules[0]["starts_at"]
        subject["activityEndDate"] = certificate.modules[-1]["ends_at"]
    return {
        "@context": CONTEXT,
        "id": url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title,
        "issuer": {
            "id": url_for("main.index", _external=True),
            "type": ["Profile"],
            "name": certificate.issuer_name,
        },
        "validFrom": _instant(certificate.issued_at),
        "credentialSubject": subject,
        "credentialStatus": _status(certificate, url),
    }
