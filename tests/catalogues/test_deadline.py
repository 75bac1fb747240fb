"""Questions are taken until `question_deadline_hours` before the person's next impulse
training; later submissions, changes and marks are refused."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.catalogues.deadline import question_window
from app.catalogues.models import Question, QuestionMark
from app.enrolments.models import EnrolmentStatus
from app.extensions import db
from app.sessions.models import SessionStatus
from tests.catalogues.helpers import NOW, ask, browser_for, enrol, load, text_of, tr


@pytest.fixture
def demo(app):
    return load()


def _hours_before(training_session, hours: float):
    return training_session.starts_at - timedelta(hours=hours)


def test_the_window_closes_48_hours_before_the_booked_training(demo):
    enrolment = enrol(demo, book=(0,))
    window = question_window(enrolment, now=NOW)
    assert window.next_session == demo.impulse(0)
    assert window.closes_at == _hours_before(demo.impulse(0), 48)
    assert window.is_open
    assert not question_window(enrolment, now=window.closes_at).is_open
    assert question_window(enrolment, now=window.closes_at - timedelta(seconds=1)).is_open


def test_the_booked_training_counts_not_the_groups_first(demo):
    enrolment = enrol(demo, book=(1,))
    window = question_window(enrolment, now=NOW)
    assert window.next_session == demo.impulse(1)
    # Within 48 hours of the group's first training (which this person did not book): open.
    assert question_window(enrolment, now=_hours_before(demo.impulse(0), 1)).is_open


def test_without_a_booking_the_groups_next_training_counts(demo):
    enrolment = enrol(demo, book=(), status=EnrolmentStatus.APPLIED)
    window = question_window(enrolment, now=NOW)
    assert window.next_session == demo.impulse(0)
    later = demo.impulse(0).starts_at + timedelta(minutes=1)
    assert question_window(enrolment, now=later).next_session == demo.impulse(1)


def test_the_window_opens_again_for_the_following_training(demo):
    enrolment = enrol(demo, book=(0, 1))
    assert not question_window(enrolment, now=_hours_before(demo.impulse(0), 1)).is_open
    after_first = demo.impulse(0).starts_at + timedelta(minutes=1)
    window = question_window(enrolment, now=after_first)
    assert (window.next_session, window.is_open) == (demo.impulse(1), True)


def test_nothing_ahead_means_closed(demo):
    enrolment = enrol(demo, book=(0,))
    after_all = demo.impulse(2).starts_at + timedelta(minutes=1)
    window = question_window(enrolment, now=after_all)
    assert (window.next_session, window.closes_at, window.is_open) == (None, None, False)


def test_cancelled_trainings_do_not_count(demo):
    enrolment = enrol(demo, book=(0,))
    demo.impulse(0).status = SessionStatus.CANCELLED.value
    db.session.commit()
    assert question_window(enrolment, now=NOW).next_session == demo.impulse(1)


def test_the_programme_sets_the_hours(demo):
    demo.programme.question_deadline_hours = 24
    db.session.commit()
    enrolment = enrol(demo, book=(0,))
    assert question_window(enrolment, now=NOW).closes_at == _hours_before(demo.impulse(0), 24)
    assert question_window(enrolment, now=_hours_before(demo.impulse(0), 30)).is_open


@pytest.mark.parametrize("status", [EnrolmentStatus.WITHDRAWN, EnrolmentStatus.COMPLETED])
def test_closed_for_enrolments_no_longer_open(demo, status):
    assert not question_window(enrol(demo, book=(), status=status), now=NOW).is_open


def test_after_the_deadline_submissions_changes_and_marks_are_refused(
    server_app, demo, frozen_clock
):
    enrolment = enrol(demo, book=(0,))
    own = ask(enrolment, "Vorher gefragt")
    question = demo.catalogue()[0]
    frozen_clock.move_to(_hours_before(demo.impulse(0), 47))
    client = browser_for(server_app, enrolment.user)
    base = f"/me/enrolments/{enrolment.id}/questions"

    page = text_of(client.get(base))
    assert tr("Submit question") not in page
    assert tr("Mark as important") not in page
    assert f"/me/questions/{own.id}/edit" not in page

    refused = tr(
        "Questions can be added and changed only until %(hours)s hours before your next "
        "impulse training.",
        hours=48,
    )
    response = client.submit(base, {"text": "Zu spät"})
    assert response.status_code == 302
    assert refused in text_of(client.get(response.headers["Location"]))
    client.submit(f"/me/questions/{own.id}/edit", {"text": "Geändert"})
    client.submit(f"/me/questions/{own.id}/delete")
    client.submit(f"{base}/{question.id}/mark", {"marked": "1"})

    db.session.expire_all()
    texts = db.session.scalars(select(Question.text).where(Question.source == "participant"))
    assert list(texts) == ["Vorher gefragt"]
    assert db.session.scalar(select(func.count(QuestionMark.id))) == 0


def test_just_before_the_deadline_a_question_is_taken(server_app, demo, frozen_clock):
    enrolment = enrol(demo, book=(0,))
    frozen_clock.move_to(_hours_before(demo.impulse(0), 49))
    client = browser_for(server_app, enrolment.user)
    page = text_of(client.get(f"/me/enrolments/{enrolment.id}/questions"))
    assert "48" in page
    response = client.submit(f"/me/enrolments/{enrolment.id}/questions", {"text": "Knapp"})
    assert response.status_code == 302
    assert db.session.scalar(select(Question.text).where(Question.source == "participant")) == (
        "Knapp"
    )


def test_organisers_set_the_deadline(server_app, demo):
    client = browser_for(server_app, demo.organiser)
    url = f"/catalogues/programmes/{demo.programme.id}"
    assert client.get(url).status_code == 200
    assert client.submit(f"{url}/deadline", {"hours": "24"}).status_code == 302
    db.session.refresh(demo.programme)
    assert demo.programme.question_deadline_hours == 24

    for bad in ("-1", "10000", "", "viele"):
        response = client.submit(f"{url}/deadline", {"hours": bad})
        assert response.status_code == 422, bad
    db.session.refresh(demo.programme)
    assert demo.programme.question_deadline_hours == 24
