"""The attendance sheet, the organisers' certificate pages and the participant's download."""

import io
import re
import zipfile

import pytest
import time_machine
import weasyprint

from app.bookings.models import Booking
from app.bookings.services import book
from app.certificates import rendering, services
from app.certificates.models import Certificate, CertificateBatch
from app.extensions import db
from tests.certificates.helpers import (
    AFTER,
    NOW,
    demo_cohort,
    enrol,
    participant_sessions,
    take_part,
)
from tests.factories import UserFactory


@pytest.fixture
def cohort(app):
    return demo_cohort()


@pytest.fixture
def later():
    """Every session of the demo cohort is over."""
    with time_machine.travel(AFTER, tick=True):
        yield


@pytest.fixture
def organiser(later, login_as, cohort):
    user = login_as("organiser", locale="en")
    cohort.programme.managers.append(user)
    db.session.commit()
    return user


def issued(enrolment, organiser=None):
    with time_machine.travel(AFTER, tick=True):
        certificate = services.issue(enrolment, actor=organiser, now=AFTER)
    db.session.commit()
    return certificate


def flashes(response) -> str:
    return " ".join(re.findall(r'class="alert[^"]*">([^<]*)<', response.get_data(as_text=True)))


def test_a_coach_records_attendance_for_the_whole_sheet(client, login_as, cohort, later):
    coach = login_as("coach", locale="en")
    kickoff = participant_sessions(cohort)["kickoff"][0]
    kickoff.coaches.append(coach)
    anna, bert, cleo = (enrol(cohort, user=UserFactory(name=n)) for n in ("Anna", "Bert", "Cleo"))
    seats = {
        e.user.name: book(e, kickoff.id, actor=None, now=NOW, quiet=True)
        for e in (anna, bert, cleo)
    }
    db.session.commit()
    url = f"/sessions/{kickoff.id}/attendance"

    page = client.get(url)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert all(name in body for name in ("Anna", "Bert", "Cleo"))
    assert "0 of 3 people marked." in body

    response = client.submit(
        url,
        {f"booking_{seats['Anna'].id}": "attended", f"booking_{seats['Bert'].id}": "absent"},
        form_page=url,
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert {n: db.session.get(Booking, b.id).attendance for n, b in seats.items()} == {
        "Anna": "attended",
        "Bert": "absent",
        "Cleo": None,
    }

    response = client.submit(f"{url}/all", form_page=url, follow_redirects=True)
    assert "1 mark saved." in flashes(response)
    db.session.expire_all()
    assert db.session.get(Booking, seats["Cleo"].id).attendance == "attended"
    assert db.session.get(Booking, seats["Bert"].id).attendance == "absent"

    forged = client.submit(url, {f"booking_{seats['Anna'].id}": "present"}, form_page=url)
    assert forged.status_code == 422


def test_no_attendance_before_the_session_starts(client, login_as, cohort):
    kickoff = participant_sessions(cohort)["kickoff"][0]
    book(enrol(cohort), kickoff.id, actor=None, now=NOW, quiet=True)
    url = f"/sessions/{kickoff.id}/attendance"
    with time_machine.travel(NOW, tick=True):
        organiser = login_as("organiser", locale="en")
        cohort.programme.managers.append(organiser)
        db.session.commit()
        page = client.get(url).get_data(as_text=True)
        assert "Attendance can be recorded once the session has started." in page
        assert "Save attendance" not in page
        response = client.submit(f"{url}/all", form_page=url, follow_redirects=True)
    assert "Attendance can be recorded once the session has started." in flashes(response)
    assert db.session.query(Booking).filter(Booking.attendance.isnot(None)).count() == 0


def test_the_organisers_overview_shows_who_is_eligible_missing_or_certified(
    client, organiser, cohort, later
):
    done = take_part(cohort, user=UserFactory(name="Dora Done"))
    ready = take_part(cohort, user=UserFactory(name="Rita Ready"))
    take_part(cohort, user=UserFactory(name="Mia Missing"), impulse=1, closing=False)
    certificate = issued(done, organiser)

    page = client.get(f"/manage/cohorts/{cohort.id}/certificates")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert (
        "Attended the kick-off workshop, at least 2 impulse trainings, and the closing event."
        in body
    )
    assert certificate.code in body
    assert "1 person eligible without a certificate" in body
    assert "1 more impulse training, Closing event not attended" in body
    assert "Issue 1 certificate" in body
    assert ready.user.name in body


def test_the_overview_needs_a_fixed_number_of_queries(
    client, organiser, cohort, later, count_queries
):
    for _ in range(2):
        issued(take_part(cohort), organiser)
    url = f"/manage/cohorts/{cohort.id}/certificates"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for _ in range(4):
        issued(take_part(cohort), organiser)
    with count_queries() as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few)


def test_issuing_one_and_a_new_version_through_the_page(client, organiser, cohort, later):
    enrolment = take_part(cohort)
    url = f"/manage/enrolments/{enrolment.id}/certificate"
    overview = f"/manage/cohorts/{cohort.id}/certificates"
    response = client.submit(url, form_page=overview, follow_redirects=True)
    first = db.session.query(Certificate).one()
    assert f"Certificate {first.code} issued to {enrolment.user.name}." in flashes(response)
    client.submit(url, {"reissue": "1"}, form_page=overview)
    db.session.expire_all()
    assert [c.version for c in db.session.query(Certificate).order_by(Certificate.id)] == [1, 2]

    not_yet = take_part(cohort, impulse=0)
    response = client.submit(
        f"/manage/enrolments/{not_yet.id}/certificate", form_page=overview, follow_redirects=True
    )
    assert "The certificate rule is not met yet: 2 more impulse trainings." in flashes(response)


def test_bulk_issuance_from_the_page_with_progress(client, organiser, cohort, later):
    people = [take_part(cohort) for _ in range(3)]
    overview = f"/manage/cohorts/{cohort.id}/certificates"
    response = client.submit(f"/manage/cohorts/{cohort.id}/certificates/batch", form_page=overview)
    assert response.status_code == 302
    batch = db.session.query(CertificateBatch).one()
    assert response.headers["Location"].endswith(f"/manage/certificate-batches/{batch.id}")

    page = client.get(f"/manage/certificate-batches/{batch.id}").get_data(as_text=True)
    assert "Done: 3 certificates issued, 0 skipped." in page
    assert '<progress id="batch-progress-bar" max="3" value="3">' in page
    assert "certificate-batch.js" not in page  # finished: nothing to poll

    progress = client.get(f"/manage/certificate-batches/{batch.id}.json").get_json()
    assert progress | {"message": None} == {
        "id": batch.id,
        "state": "done",
        "total": 3,
        "done": 3,
        "issued": 3,
        "skipped": 0,
        "percent": 100,
        "finished": True,
        "stalled": False,
        "message": None,
    }
    assert {c.enrolment_id for c in db.session.query(Certificate)} == {p.id for p in people}


def test_a_running_batch_page_polls_and_works_without_javascript(client, organiser, cohort, later):
    take_part(cohort)
    take_part(cohort)
    from app.certificates import batches

    batch = batches.start(cohort, actor=organiser, now=AFTER, base_url="http://localhost/")
    db.session.commit()
    page = client.get(f"/manage/certificate-batches/{batch.id}").get_data(as_text=True)
    assert f'data-progress-url="/manage/certificate-batches/{batch.id}.json"' in page
    assert "0 of 2 processed." in page
    assert "Reload to see the latest progress" in page
    assert '<script src="/static/js/certificate-batch.js" defer></script>' in page
    script = client.get("/static/js/certificate-batch.js")
    assert script.status_code == 200
    assert b"data-progress-url" in script.data
    script.close()

    # A stalled batch (its worker died) offers to resume.
    batch.created_at = AFTER.replace(year=2020)
    db.session.commit()
    page = client.get(f"/manage/certificate-batches/{batch.id}").get_data(as_text=True)
    assert "Bulk issuance has stalled at 0 of 2." in page
    response = client.submit(
        f"/manage/certificate-batches/{batch.id}/resume",
        form_page=f"/manage/certificate-batches/{batch.id}",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CertificateBatch, batch.id).state == "done"


def test_revoking_through_the_page(client, organiser, cohort, later):
    certificate = issued(take_part(cohort), organiser)
    url = f"/manage/certificates/{certificate.id}/revoke"
    assert client.submit(url, {"reason": ""}, form_page=url).status_code == 422
    response = client.submit(url, {"reason": "Duplicate account"}, form_page=url)
    assert response.status_code == 302
    db.session.expire_all()
    revoked = db.session.get(Certificate, certificate.id)
    assert revoked.revocation_reason == "Duplicate account"
    assert revoked.revoked_by_id == organiser.id


def no_rendering(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("serving a certificate must not render anything")

    monkeypatch.setattr(rendering, "render_certificates", refuse)
    monkeypatch.setattr(rendering, "_render_same_language", refuse)
    monkeypatch.setattr(weasyprint.HTML, "render", refuse)
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", refuse)


def test_the_participant_downloads_the_stored_pdf_without_rendering(
    client, login_as, cohort, later, monkeypatch
):
    user = login_as(locale="en")
    certificate = issued(take_part(cohort, user=user))
    no_rendering(monkeypatch)

    enrolment_page = client.get(f"/me/enrolments/{certificate.enrolment_id}").get_data(as_text=True)
    assert f'href="/me/certificates/{certificate.id}.pdf"' in enrolment_page
    assert "2 of 2 impulse trainings attended (2 needed for the certificate)" in enrolment_page
    assert "Kick-off workshop attended" in enrolment_page
    assert "Attendance recorded" in enrolment_page  # the history tells what happened
    assert "Certificate issued" in enrolment_page
    dashboard = client.get("/me/").get_data(as_text=True)
    assert f'href="/me/certificates/{certificate.id}.pdf"' in dashboard

    response = client.get(f"/me/certificates/{certificate.id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data == certificate.pdf
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="certificate-{certificate.code}.pdf"'
    )
    again = client.get(
        f"/me/certificates/{certificate.id}.pdf",
        headers={"If-None-Match": f'"{certificate.pdf_sha256}"'},
    )
    assert again.status_code == 304


def test_the_participant_sees_progress_before_the_certificate(client, login_as, cohort, later):
    user = login_as(locale="en")
    enrolment = take_part(cohort, user=user, impulse=1, closing=False)
    page = client.get(f"/me/enrolments/{enrolment.id}").get_data(as_text=True)
    assert "1 of 1 impulse trainings attended (2 needed for the certificate)" in page
    assert "Closing event not attended yet" in page
    assert (
        "Still missing for the certificate: 1 more impulse training, Closing event not attended."
        in page
    )


def test_nobody_downloads_another_persons_certificate(client, login_as, cohort, later):
    certificate = issued(take_part(cohort))
    login_as()
    assert client.get(f"/me/certificates/{certificate.id}.pdf").status_code == 404


def test_a_revoked_certificate_is_no_longer_handed_out(client, login_as, cohort, later):
    user = login_as()
    certificate = issued(take_part(cohort, user=user))
    services.revoke(certificate, actor=None, now=AFTER, reason="Error")
    db.session.commit()
    assert client.get(f"/me/certificates/{certificate.id}.pdf").status_code == 404


def test_organisers_download_one_or_the_whole_cohort_as_zip(
    client, organiser, cohort, later, monkeypatch
):
    certificates = [
        issued(take_part(cohort, user=UserFactory(name=name)), organiser)
        for name in ("Zoë Zimmer", "Ali Arslan", "../../etc/passwd")
    ]
    superseded = certificates[0]
    current = issued_again = services.issue(
        superseded.enrolment, actor=organiser, now=AFTER, reissue=True
    )
    db.session.commit()
    revoked = certificates[1]
    services.revoke(revoked, actor=organiser, now=AFTER, reason="Error")
    db.session.commit()
    no_rendering(monkeypatch)

    single = client.get(f"/manage/certificates/{issued_again.id}.pdf")
    assert single.status_code == 200
    assert single.data == issued_again.pdf

    response = client.get(f"/manage/cohorts/{cohort.id}/certificates.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = archive.namelist()
        assert sorted(names) == sorted(
            [f"etc-passwd-{certificates[2].code}.pdf", f"Zoe-Zimmer-{current.code}.pdf"]
        )
        assert archive.read(f"Zoe-Zimmer-{current.code}.pdf") == current.pdf
