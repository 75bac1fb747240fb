"""Public verification: the page, the Open Badges 3.0 credential, unknown codes, the limit."""

import pytest

from app.certificates import services
from app.extensions import db
from tests.certificates.helpers import AFTER, demo_cohort, take_part
from tests.factories import UserFactory

OB3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


@pytest.fixture
def cohort(app):
    return demo_cohort()


@pytest.fixture
def certificate(cohort):
    enrolment = take_part(cohort, user=UserFactory(name="Erika Mustermann", locale="en"))
    certificate = services.issue(enrolment, actor=cohort.programme.managers[0], now=AFTER)
    db.session.commit()
    return certificate


def page(client, code):
    response = client.get(f"/verify/{code}", headers={"Accept-Language": "en"})
    return response, response.get_data(as_text=True)


def english(client):
    client.submit("/language", {"lang": "en", "next": "/"})


def test_a_valid_certificate(client, certificate):
    english(client)
    response, body = page(client, certificate.code)
    assert response.status_code == 200
    assert "This certificate is valid." in body
    for shown in (
        "Erika Mustermann",
        certificate.programme_title,
        certificate.cohort_name,
        certificate.issuer_name,
        certificate.code,
        "13.5 hours",
    ):
        assert shown in body
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["Cache-Control"] == "no-cache"


def test_codes_are_found_in_any_case_and_without_dashes(client, certificate):
    for typed in (certificate.code.lower(), certificate.code.replace("-", "")):
        assert page(client, typed)[0].status_code == 200


def test_revoked_and_superseded_codes_say_so(client, cohort, certificate):
    english(client)
    newer = services.issue(certificate.enrolment, actor=None, now=AFTER, reissue=True)
    db.session.commit()
    _, body = page(client, certificate.code)
    assert "This certificate was superseded on" in body
    assert f'href="/verify/{newer.code}"' in body

    services.revoke(newer, actor=None, now=AFTER, reason="Identity mix-up")
    db.session.commit()
    _, body = page(client, newer.code)
    assert "This certificate was revoked on" in body
    assert "2027" in body
    assert "Identity mix-up" not in body  # the reason stays with the organisers


def test_unknown_codes_get_a_plain_not_found(client, certificate):
    wrong = ("A" * 4 + "-") * 7 + "AAAA"
    assert page(client, wrong)[0].status_code == 404
    assert page(client, "nonsense")[0].status_code == 404
    response = client.get(f"/verify/{wrong}.json")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not found"}


def test_the_open_badges_credential(client, certificate):
    response = client.get(f"/verify/{certificate.code}.json")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    document = response.get_json()
    verify_url = f"http://localhost/verify/{certificate.code}"

    assert document["@context"] == OB3_CONTEXT
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["id"] == verify_url
    assert document["validFrom"] == "2027-02-01T09:00:00Z"
    assert document["name"] == f"{certificate.programme_title} – {certificate.cohort_name}"

    issuer = document["issuer"]
    assert issuer == {
        "id": "http://localhost/",
        "type": ["Profile"],
        "name": "Kompetenznetz Klima Mobil",
    }

    subject = document["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["name"] == "Erika Mustermann"
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": "Erika Mustermann",
        }
    ]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["id"].startswith("http://localhost/programmes/mutig-voran/")
    assert achievement["name"] == document["name"]
    assert achievement["description"] == certificate.programme_title
    assert achievement["criteria"] == {
        "narrative": "Attended the kick-off workshop, at least 2 impulse trainings, "
        "and the closing event."
    }
    assert subject["activityStartDate"] < subject["activityEndDate"]

    assert document["credentialStatus"] == {
        "id": f"{verify_url}#status",
        "type": "FahrplanCertificateStatus",
        "statusPurpose": "revocation",
        "status": "valid",
    }
    _assert_strings_and_iris(document)


def _assert_strings_and_iris(document):
    """Every id is an absolute http(s) IRI; every value is JSON the spec allows."""

    def walk(value):
        if isinstance(value, dict):
            if "id" in value:
                assert value["id"].startswith("http://"), value["id"]
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        else:
            assert isinstance(value, str | bool | int | float)

    walk(document)


def test_the_credential_of_a_revoked_or_superseded_certificate(client, certificate):
    newer = services.issue(certificate.enrolment, actor=None, now=AFTER, reissue=True)
    db.session.commit()
    status = client.get(f"/verify/{certificate.code}.json").get_json()["credentialStatus"]
    assert status["status"] == "superseded"
    assert status["supersededBy"] == f"http://localhost/verify/{newer.code}"
    services.revoke(newer, actor=None, now=AFTER, reason="x")
    db.session.commit()
    status = client.get(f"/verify/{newer.code}.json").get_json()["credentialStatus"]
    assert status["status"] == "revoked"
    assert status["statusDate"] == "2027-02-01T09:00:00Z"


def test_the_code_form(client, certificate):
    assert client.get("/verify/").status_code == 200
    response = client.get("/verify/", query_string={"code": certificate.code.lower()})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/verify/{certificate.code}"
    assert client.get("/verify/", query_string={"code": "1234"}).status_code == 422


@pytest.mark.parametrize(
    "config_overrides", [{"CERTIFICATE_VERIFY_RATE_LIMIT": "3 per minute"}], indirect=True
)
def test_verification_is_rate_limited_across_page_and_json(client, certificate):
    assert client.get(f"/verify/{certificate.code}").status_code == 200
    assert client.get(f"/verify/{certificate.code}.json").status_code == 200
    assert client.get("/verify/AAAA").status_code == 404
    assert client.get(f"/verify/{certificate.code}").status_code == 429
    assert client.get(f"/verify/{certificate.code}.json").status_code == 429
