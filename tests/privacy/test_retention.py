"""Retention: a year after a cohort ended, its participants' data is erased; figures and
certificates stay."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.bookings.models import Booking
from app.catalogues.models import Question, QuestionMark, QuestionSource
from app.certificates import services as certificates
from app.certificates.models import Certificate
from app.enrolments.models import Enrolment, EnrolmentEvent
from app.extensions import db
from app.notifications.models import Notification, SignupDraft
from app.notifications.scheduler import RETENTION_JOB_ID, run_retention
from app.privacy import retention
from app.programs import cohort_services
from app.programs.errors import CohortErased
from app.reports.figures import cohort_figures
from app.sessions import services as session_services
from tests.certificates.helpers import AFTER, demo_cohort, enrol, take_part
from tests.factories import UserFactory

YEAR = timedelta(days=365)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def cohort(app):
    return demo_cohort()


@pytest.fixture
def story(cohort):
    """Certified Clara (kick-off, two trainings, closing), Bruno who booked, asked and marked a
    question but did not finish, and Dora who only opened the sign-up form."""
    organiser = cohort.programme.managers[0]
    clara = take_part(cohort, user=UserFactory(name="Clara Zertifiziert"))
    certificate = certificates.issue(clara, actor=organiser, now=AFTER)
    bruno = take_part(cohort, user=UserFactory(name="Bruno Ohne"), impulse=0, closing=False)
    catalogue_question = db.session.scalar(
        select(Question).where(Question.source == QuestionSource.PROGRAMME.value)
    )
    own = Question(
        target_group_id=bruno.target_group_id,
        text="Wie überzeugen wir den Gemeinderat?",
        source=QuestionSource.PARTICIPANT.value,
        author_id=bruno.user_id,
        cohort_id=cohort.id,
    )
    db.session.add_all(
        [
            own,
            QuestionMark(enrolment_id=bruno.id, question_id=catalogue_question.id),
            SignupDraft(cohort_id=cohort.id, user=UserFactory(name="Dora Entwurf")),
        ]
    )
    db.session.commit()
    return {"clara": clara, "bruno": bruno, "certificate": certificate, "own": own}


def ended(cohort):
    return retention.cohort_ended_at(cohort)


def test_the_cohort_ends_with_its_last_session_that_took_place(cohort):
    last = max(cohort.sessions, key=lambda s: s.ends_at)
    assert ended(cohort) == last.ends_at
    last.status, last.cancelled_at, last.cancellation_reason = "cancelled", AFTER, "Sturm"
    db.session.commit()
    assert ended(cohort) < last.ends_at


def test_nothing_is_erased_before_the_retention_period_is_over(cohort, story):
    almost = ended(cohort) + YEAR - timedelta(minutes=1)
    assert retention.due_cohorts(now=almost, retention=YEAR) == []
    assert retention.erase_due(now=almost, retention=YEAR) == []
    assert count(Enrolment, Enrolment.cohort_id == cohort.id) == 2
    assert count(Notification, Notification.cohort_id == cohort.id) > 0


def test_a_year_after_the_end_the_participants_data_is_erased(cohort, story):
    clara, bruno, own = story["clara"], story["bruno"], story["own"]
    enrolment_ids = [clara.id, bruno.id]
    bruno_id, clara_id, own_id = bruno.id, clara.id, own.id
    catalogue_before = count(Question, Question.source != QuestionSource.PARTICIPANT.value)
    people_before = count(User)

    erased = retention.erase_due(now=ended(cohort) + YEAR, retention=YEAR)

    assert [due.cohort.id for due in erased] == [cohort.id]
    assert db.session.get(Enrolment, bruno_id) is None
    assert db.session.get(Question, own_id) is None
    assert count(Booking, Booking.enrolment_id.in_(enrolment_ids)) == 0
    assert count(EnrolmentEvent, EnrolmentEvent.enrolment_id.in_(enrolment_ids)) == 0
    assert count(QuestionMark) == 0
    assert count(Notification, Notification.cohort_id == cohort.id) == 0
    assert count(SignupDraft, SignupDraft.cohort_id == cohort.id) == 0
    # The holder's sign-up stays as a bare link; the answers are gone.
    stub = db.session.get(Enrolment, clara_id)
    assert (stub.organisation, stub.job_function, stub.confirmed_criteria) == ("", "", [])
    # Catalogue work and the accounts are not the cohort's participant data.
    assert count(Question, Question.source != QuestionSource.PARTICIPANT.value) == catalogue_before
    assert count(User) == people_before
    assert cohort.personal_data_erased_at == ended(cohort) + YEAR


def test_the_cohorts_figures_are_kept(cohort, story):
    figures_before = cohort_figures(cohort)
    retention.erase_due(now=ended(cohort) + YEAR, retention=YEAR)
    db.session.refresh(cohort)
    assert cohort.retained_figures == figures_before
    assert figures_before["enrolments"] == {"approved": 2}
    assert figures_before["certificates"] == 1
    closing = next(s for s in figures_before["sessions"] if s["kind"] == "closing")
    assert (closing["booked"], closing["attended"]) == (1, 1)
    kickoff = next(
        s
        for s in figures_before["sessions"]
        if s["kind"] == "kickoff" and s["title"].endswith("Verkehrsplaner:innen")
    )
    assert (kickoff["booked"], kickoff["attended"]) == (2, 2)
    # What is left is erased: counting again now finds nobody.
    assert cohort_figures(cohort)["enrolments"] == {"approved": 1}


def test_certificates_stay_verifiable_and_downloadable(cohort, story, client, sign_in):
    certificate = story["certificate"]
    code, certificate_id, holder = certificate.code, certificate.id, story["clara"].user
    retention.erase_due(now=ended(cohort) + YEAR, retention=YEAR)

    assert db.session.get(Certificate, certificate_id).holder_name == "Clara Zertifiziert"
    page = client.get(f"/verify/{code}")
    assert page.status_code == 200
    assert "Clara Zertifiziert" in page.get_data(as_text=True)
    sign_in(holder)
    download = client.get(f"/me/certificates/{certificate_id}.pdf")
    assert download.status_code == 200
    assert download.data.startswith(b"%PDF")


def test_a_cohort_is_erased_once(cohort, story):
    at = ended(cohort) + YEAR
    assert len(retention.erase_due(now=at, retention=YEAR)) == 1
    figures = db.session.get(type(cohort), cohort.id).retained_figures
    # A second scheduler that already chose the cohort finds it stamped and leaves it alone.
    assert retention.erase_cohort(cohort, now=at + timedelta(hours=1)) is None
    assert retention.erase_due(now=at + timedelta(days=1), retention=YEAR) == []
    db.session.refresh(cohort)
    assert cohort.retained_figures == figures
    assert cohort.personal_data_erased_at == at


def test_the_organiser_sees_when_the_data_goes_and_what_stayed(cohort, story, client, sign_in):
    organiser = cohort.programme.managers[0]
    organiser.password_hash = UserFactory.password_hash
    db.session.commit()
    sign_in(organiser)
    url = f"/manage/cohorts/{cohort.id}"
    before = client.get(url).get_data(as_text=True)
    assert "Wird am" in before
    assert "gelöscht" in before

    retention.erase_due(now=ended(cohort) + YEAR, retention=YEAR)
    after = client.get(url).get_data(as_text=True)
    assert "Gelöscht am" in after
    assert "2 Anmeldungen" in after
    assert "1 gültige Zertifikate" in after


@pytest.fixture
def past_cohort(app):
    """The demo as it ran two years ago: its retention period is over by the real clock."""
    return demo_cohort(today=datetime.now(UTC).date() - timedelta(days=2 * 365))


def test_the_daily_job_and_the_command_erase_what_is_due(app, past_cohort):
    enrol(past_cohort)
    listed = app.test_cli_runner().invoke(args=["privacy", "erase-due", "--dry-run"])
    assert listed.exit_code == 0, listed.output
    assert "1 cohort(s) due." in listed.output
    assert count(Enrolment) == 1

    run_retention(app)
    assert count(Enrolment) == 0
    again = app.test_cli_runner().invoke(args=["privacy", "erase-due"])
    assert "0 cohort(s) erased." in again.output


@pytest.mark.parametrize("config_overrides", [{"SCHEDULER_ENABLED": True}], indirect=True)
def test_the_embedded_scheduler_runs_the_retention_job_daily(app):
    scheduler = app.extensions.pop("fahrplan_scheduler")
    try:
        job = scheduler.get_job(RETENTION_JOB_ID)
        assert job.trigger.interval == timedelta(days=1)
    finally:
        scheduler.shutdown(wait=True)


def test_an_erased_cohort_is_a_record_that_no_longer_changes(cohort, story, english_messages):
    retention.erase_due(now=ended(cohort) + YEAR, retention=YEAR)
    organiser = cohort.programme.managers[0]
    with pytest.raises(CohortErased, match="erased"):
        cohort_services.change_status(cohort, "open", actor=organiser)
    with pytest.raises(CohortErased):
        session_services.cancel_session(
            cohort.sessions[0], "Zu spät", actor=organiser, now=ended(cohort) + YEAR
        )
