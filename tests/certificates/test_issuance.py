"""Issuing: the rule at that moment, a stored PDF, versions, revocation, the mail."""

import hashlib
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import segno
from babel.dates import format_date
from flask_babel import force_locale, gettext
from sqlalchemy.exc import IntegrityError

from app.certificates import services
from app.certificates.codes import normalise
from app.certificates.models import Certificate, CertificateStatus
from app.enrolments.models import EnrolmentEvent
from app.extensions import db
from app.notifications.models import Notification
from tests.certificates.helpers import AFTER, demo_cohort, take_part
from tests.certificates.pdf_checks import fonts, reader, text
from tests.factories import UserFactory

CODE = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){7}$")


@pytest.fixture
def cohort(app):
    return demo_cohort()


@pytest.fixture
def organiser(cohort):
    return cohort.programme.managers[0]


def issue(enrolment, organiser, **kw):
    certificate = services.issue(enrolment, actor=organiser, now=AFTER, **kw)
    db.session.commit()
    return certificate


def test_issuing_stores_what_the_certificate_says_and_its_pdf(cohort, organiser):
    enrolment = take_part(cohort, user=UserFactory(name="Erika Mustermann", locale="en"))
    certificate = issue(enrolment, organiser)

    assert CODE.match(certificate.code)
    assert certificate.version == 1
    assert certificate.status is CertificateStatus.VALID
    assert certificate.holder_name == "Erika Mustermann"
    assert certificate.holder_organisation == "Stadt Musterstadt"
    assert certificate.programme_title == cohort.programme.title
    assert certificate.cohort_name == cohort.name
    assert certificate.issuer_name == "Kompetenznetz Klima Mobil"
    assert certificate.signatory_name == organiser.name
    assert certificate.total_hours == 13.5
    assert [m["kind"] for m in certificate.modules] == [
        "info",
        "kickoff",
        "impulse",
        "impulse",
        "closing",
    ]
    assert certificate.criteria == (
        "Attended the kick-off workshop, at least 2 impulse trainings, and the closing event."
    )
    assert certificate.pdf.startswith(b"%PDF-")
    assert certificate.pdf_sha256 == hashlib.sha256(certificate.pdf).hexdigest()
    assert certificate.pdf_size == len(certificate.pdf)


def test_the_pdf_shows_everything_asked_for(cohort, organiser):
    enrolment = take_part(cohort, user=UserFactory(name="Erika Mustermann", locale="en"))
    certificate = issue(enrolment, organiser)
    printed = text(certificate.pdf)
    for expected in (
        "Certificate of participation",
        "Erika Mustermann",
        "Stadt Musterstadt",
        cohort.programme.title,
        cohort.name,
        "Verkehrsplaner:innen",
        "Total: 13.5 hours",
        "Kompetenznetz Klima Mobil",
        organiser.name,
        certificate.code,
        f"http://localhost/verify/{certificate.code}",
    ):
        assert expected in printed
    for module in certificate.modules:
        assert module["title"] in printed
    kickoff = next(m for m in certificate.modules if m["kind"] == "kickoff")
    day = datetime.fromisoformat(kickoff["starts_at"]).astimezone(ZoneInfo("Europe/Berlin"))
    assert f"{format_date(day.date(), 'medium', locale='en')} · {kickoff['title']} · 3 h" in printed
    assert f"Issued on {AFTER:%b} {AFTER.day}, {AFTER.year}" in printed


def test_the_pdf_is_a_tagged_archival_document_with_the_bundled_font(cohort, organiser):
    certificate = issue(take_part(cohort, user=UserFactory(name="Erika Mustermann")), organiser)
    pdf = reader(certificate.pdf)
    catalog = pdf.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "de"
    with force_locale("de"):
        assert pdf.metadata.title == gettext(
            "Certificate of participation: %(name)s", name="Erika Mustermann"
        )
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3" pdfaid:conformance="U"' in xmp
    assert b"Erika Mustermann</rdf:li>" in xmp
    assert "/OutputIntents" in catalog
    assert {name.split("+", 1)[1] for name in fonts(certificate.pdf)} <= {
        "Liberation-Sans",
        "Liberation-Sans-Bold",
    }
    assert len(pdf.pages) == 1


def test_the_qr_code_is_the_verify_address(cohort, organiser):
    certificate = issue(take_part(cohort), organiser)
    (image,) = reader(certificate.pdf).pages[0].images
    picture = image.image.convert("1")
    expected = segno.make(services.verify_url(certificate.code), error="m")
    border = 4
    size = len(expected.matrix)
    assert picture.size == (size + 2 * border, size + 2 * border)
    for row, modules in enumerate(expected.matrix):
        for column, dark in enumerate(modules):
            assert (picture.getpixel((column + border, row + border)) == 0) == bool(dark)


def test_not_eligible_is_refused_with_what_is_missing(cohort, organiser):
    enrolment = take_part(cohort, impulse=1)
    with force_locale("en"), pytest.raises(services.CertificateRefused) as refused:
        services.issue(enrolment, actor=organiser, now=AFTER)
    assert "1 more impulse training" in str(refused.value)
    assert db.session.query(Certificate).count() == 0


def test_a_second_certificate_needs_an_explicit_new_version(cohort, organiser):
    enrolment = take_part(cohort)
    first = issue(enrolment, organiser)
    with pytest.raises(services.CertificateRefused):
        services.issue(enrolment, actor=organiser, now=AFTER)
    db.session.rollback()

    second = issue(enrolment, organiser, reissue=True)
    db.session.refresh(first)
    assert second.version == 2
    assert second.code != first.code
    assert first.status is CertificateStatus.SUPERSEDED
    assert first.superseded_by_id == second.id
    assert second.status is CertificateStatus.VALID
    assert first.pdf != second.pdf
    actions = [
        e.action for e in db.session.query(EnrolmentEvent).filter_by(enrolment_id=enrolment.id)
    ]
    assert actions.count("certificate_issued") == 1
    assert actions.count("certificate_reissued") == 1


def test_a_later_name_change_does_not_alter_an_issued_certificate(cohort, organiser):
    enrolment = take_part(cohort, user=UserFactory(name="Erika Mustermann"))
    certificate = issue(enrolment, organiser)
    stored = certificate.pdf
    enrolment.user.name = "Erika Musterfrau"
    cohort.programme.title = "Ein neuer Titel"
    db.session.commit()
    db.session.expire_all()
    again = db.session.get(Certificate, certificate.id)
    assert again.pdf == stored
    assert again.holder_name == "Erika Mustermann"
    assert "Erika Mustermann" in text(again.pdf)


def test_revocation_needs_a_reason_and_is_kept_in_the_history(cohort, organiser):
    enrolment = take_part(cohort)
    certificate = issue(enrolment, organiser)
    with pytest.raises(services.CertificateRefused):
        services.revoke(certificate, actor=organiser, now=AFTER, reason="  ")
    services.revoke(certificate, actor=organiser, now=AFTER, reason="Attendance was misrecorded")
    db.session.commit()
    assert certificate.status is CertificateStatus.REVOKED
    assert certificate.revoked_by_id == organiser.id
    with pytest.raises(services.CertificateRefused):
        services.revoke(certificate, actor=organiser, now=AFTER, reason="again")
    event = db.session.query(EnrolmentEvent).filter_by(action="certificate_revoked").one()
    assert event.reason == f"{certificate.code}: Attendance was misrecorded"

    # A revoked certificate stays revoked when a new version replaces it.
    replacement = issue(enrolment, organiser, reissue=True)
    db.session.refresh(certificate)
    assert certificate.status is CertificateStatus.REVOKED
    assert replacement.status is CertificateStatus.VALID


def test_the_holder_is_told_by_mail(cohort, organiser):
    enrolment = take_part(cohort)
    certificate = issue(enrolment, organiser)
    notification = (
        db.session.query(Notification)
        .filter_by(enrolment_id=enrolment.id, reason="certificate_issued")
        .one()
    )
    assert notification.user_id == enrolment.user_id
    assert notification.params["download_url"] == (
        f"http://localhost/me/certificates/{certificate.id}.pdf"
    )


def test_one_current_certificate_per_enrolment_is_enforced_by_the_database(cohort, organiser):
    enrolment = take_part(cohort)
    certificate = issue(enrolment, organiser)
    twin = Certificate(
        enrolment_id=enrolment.id,
        version=2,
        code="A" * 32,
        language="de",
        holder_name="x",
        programme_title="x",
        cohort_name="x",
        issuer_name="x",
        total_hours=1,
        pdf=b"%PDF-",
        pdf_sha256="0" * 64,
        pdf_size=5,
    )
    db.session.add(twin)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(Certificate, certificate.id).is_current


def test_codes_are_read_in_any_case_with_or_without_dashes(cohort, organiser):
    code = issue(take_part(cohort), organiser).code
    assert normalise(code.lower()) == code
    assert normalise(code.replace("-", "")) == code
    assert normalise(f" {code.replace('-', ' ')} ") == code
    assert normalise(code[:-1]) is None
    assert normalise("not a code") is None


def test_the_mail_goes_out_after_the_commit_with_the_download_link(cohort, organiser, mailbox):
    enrolment = take_part(cohort)
    certificate = issue(enrolment, organiser)
    link = mailbox.last_link(enrolment.user.email)
    assert link == f"http://localhost/me/certificates/{certificate.id}.pdf"
