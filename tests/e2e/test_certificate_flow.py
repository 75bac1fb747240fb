"""Issue 7 in a browser: the organiser marks attendance and issues the cohort's certificates in
the background (the page's progress bar follows the worker); the participant downloads the PDF
from the dashboard and the verify page says the certificate is valid."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale, ngettext
from playwright.sync_api import expect
from sqlalchemy import select

from app.auth.models import User
from app.bookings.attendance import record_attendance
from app.bookings.models import Attendance
from app.bookings.services import book
from app.certificates import batches
from app.certificates.models import Certificate
from app.demo.loader import load_demo
from app.enrolments.models import Enrolment, EnrolmentStatus
from app.extensions import db
from app.programs.models import Programme
from tests.e2e.flows import ORGANISER, PARTICIPANT, flash, sign_in, sign_out

pytestmark = pytest.mark.parametrize(
    "config_overrides", [{"CERTIFICATE_BATCH_RUNNER": "thread"}], indirect=True
)


def _cohort_that_has_taken_place():
    """The demo cohort, dated so that every session is over, with the demo participant booked
    into the info event, the kick-off, two impulse trainings and the closing event."""
    today = datetime.now(UTC).date()
    load_demo(today=today - timedelta(days=120))
    db.session.commit()
    programme = db.session.scalar(select(Programme))
    cohort = programme.cohorts[0]
    group = next(g for g in programme.target_groups if g.slug == "verkehrsplanung")
    participant = db.session.scalar(select(User).where(User.email == PARTICIPANT))
    enrolment = Enrolment(
        cohort=cohort,
        user=participant,
        target_group=group,
        status=EnrolmentStatus.APPROVED.value,
        organisation=participant.organisation,
        job_function="Verkehrsplanerin",
        confirmed_criteria=[],
        consent_text=programme.consent_text,
        consented_at=cohort.signup_opens_at,
    )
    db.session.add(enrolment)
    db.session.flush()
    mine = [s for s in cohort.sessions if s.target_group_id in (None, group.id)]
    kickoff = next(s for s in mine if s.kind == "kickoff")
    impulse = [s for s in mine if s.kind == "impulse"][:2]
    others = [s for s in mine if s.kind in ("info", "closing")]
    before = cohort.signup_opens_at
    seats = {s.id: book(enrolment, s.id, actor=None, now=before, quiet=True) for s in mine}
    # The info and closing events and one impulse training were recorded already.
    for training_session in [*others, impulse[1]]:
        record_attendance(
            seats[training_session.id],
            Attendance.ATTENDED,
            actor=None,
            now=training_session.ends_at,
        )
    db.session.commit()
    return cohort, kickoff, impulse[0]


def n(singular: str, plural: str, num: int) -> str:
    """Like the `t` fixture, for a text with a number (German, as the pages are shown)."""
    with force_locale("de"):
        return ngettext(singular, plural, num)


@pytest.fixture
def held_worker(monkeypatch):
    """The batch worker waits until the test lets it go, so the page is seen while it runs."""
    release = threading.Event()
    work_chunk = batches.work_chunk

    def held(*args, **kwargs):
        release.wait(timeout=30)
        return work_chunk(*args, **kwargs)

    monkeypatch.setattr(batches, "work_chunk", held)
    yield release
    release.set()


def test_attendance_bulk_issuance_download_and_verification(page, t, axe_check, held_worker):
    cohort, kickoff, impulse = _cohort_that_has_taken_place()

    sign_in(page, t, ORGANISER)
    page.goto(f"/sessions/{kickoff.id}/coach")
    page.get_by_role("link", name=t("Record attendance")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("Attendance"))
    axe_check(page)
    sheet = page.get_by_role("group", name="Pat Planerin")
    sheet.get_by_label(t("attended")).check()
    page.get_by_role("button", name=t("Save attendance")).click()
    expect(flash(page)).to_have_text(n("%(num)s mark saved.", "%(num)s marks saved.", 1))

    page.goto(f"/sessions/{impulse.id}/attendance")
    page.get_by_role("button", name=t("Mark everyone not yet marked as attended")).click()
    expect(flash(page)).to_have_text(n("%(num)s mark saved.", "%(num)s marks saved.", 1))

    page.goto(f"/manage/cohorts/{cohort.id}/certificates")
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("Certificates"))
    axe_check(page)
    page.get_by_role(
        "button", name=n("Issue %(num)s certificate", "Issue %(num)s certificates", 1)
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("Issuing certificates"))
    expect(page.get_by_role("status")).to_have_text(
        t("%(done)s of %(total)s processed.", done=0, total=1)
    )
    # With JavaScript the reload link gives way to the live bar.
    expect(page.get_by_role("link", name=t("Reload to see the latest progress"))).to_be_hidden()
    axe_check(page)
    held_worker.set()
    expect(page.get_by_role("status")).to_have_text(
        t("Done: %(issued)s certificates issued, %(skipped)s skipped.", issued=1, skipped=0),
        timeout=30_000,
    )
    expect(page.get_by_label(t("Progress"))).to_have_attribute("value", "1")
    axe_check(page)
    sign_out(page, t)

    certificate = db.session.scalar(select(Certificate))
    sign_in(page, t, PARTICIPANT)
    page.get_by_role("link", name=t("My programmes")).click()
    with page.expect_download() as download:
        page.get_by_role("link", name=t("Download your certificate (PDF)")).first.click()
    path = download.value.path()
    with open(path, "rb") as downloaded:
        assert downloaded.read() == certificate.pdf
    assert download.value.suggested_filename == f"certificate-{certificate.code}.pdf"

    page.get_by_role("link", name=certificate.code).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Certificate verification"))
    expect(page.locator("#verify-status")).to_have_text(t("This certificate is valid."))
    expect(page.get_by_role("main")).to_contain_text("Pat Planerin")
    axe_check(page)
