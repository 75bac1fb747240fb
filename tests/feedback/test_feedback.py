"""Feedback on a session: who gives it and when, what organisers and coaches read, and that it
leaves with the participant data."""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from app.bookings.models import Attendance
from app.extensions import db
from app.feedback import services
from app.feedback.models import SessionFeedback
from app.notifications.models import Reason
from app.privacy import retention
from app.reports.programme import programme_report
from tests.certificates.helpers import book_and_attend, demo_cohort, enrol, participant_sessions
from tests.factories import UserFactory
from tests.notifications.helpers import dispatch, notifications


@pytest.fixture
def cohort(app):
    return demo_cohort()


@pytest.fixture
def training(cohort):
    return participant_sessions(cohort)["impulse"][0]


@pytest.fixture
def booking(cohort, training):
    person = enrol(cohort, user=UserFactory(name="Fritzi Feedback"))
    book_and_attend(person, [training], attendance=None)
    return person.bookings[0]


def after(training, **delta):
    return training.ends_at + timedelta(**delta)


def others_rate(cohort, training, *ratings, comment=""):
    """More people with a seat in `training` give feedback (the summaries need three)."""
    for rating in ratings:
        person = enrol(cohort)
        book_and_attend(person, [training], attendance=None)
        at = after(training, hours=1)
        services.give(person.bookings[0], rating=rating, comment=comment, now=at)
    db.session.commit()


def count() -> int:
    return db.session.scalar(select(func.count(SessionFeedback.id)))


# The rules, at the service.


def test_feedback_is_taken_from_the_end_of_the_session_for_thirty_days(
    training, booking, english_messages
):
    with pytest.raises(services.FeedbackRefused, match="once the session is over"):
        services.give(booking, rating=5, comment="", now=after(training, minutes=-1))
    services.give(booking, rating=5, comment="", now=after(training, minutes=1))
    services.give(booking, rating=3, comment="", now=after(training, days=30))
    with pytest.raises(services.FeedbackRefused, match="closed"):
        services.give(booking, rating=4, comment="", now=after(training, days=30, minutes=1))
    db.session.commit()
    assert db.session.scalars(select(SessionFeedback.rating)).all() == [3]  # changed in place


@pytest.mark.parametrize("attendance", [Attendance.ABSENT, Attendance.EXCUSED])
def test_people_who_were_not_there_give_none(training, booking, attendance, english_messages):
    booking.attendance = attendance.value
    db.session.commit()
    with pytest.raises(services.FeedbackRefused, match="took part"):
        services.give(booking, rating=5, comment="", now=after(training, hours=1))


def test_a_cancelled_session_takes_none(training, booking, english_messages):
    training.status, training.cancelled_at, training.cancellation_reason = "cancelled", None, "x"
    db.session.commit()
    with pytest.raises(services.FeedbackRefused, match="cancelled"):
        services.give(booking, rating=5, comment="", now=after(training, hours=1))


@pytest.mark.parametrize(
    ("rating", "comment", "field"),
    [(0, "", "rating"), (6, "", "rating"), (4, "x" * 2001, "comment")],
)
def test_a_rating_from_1_to_5_and_a_comment_of_at_most_2000_characters(
    training, booking, rating, comment, field
):
    with pytest.raises(services.FeedbackRefused) as refused:
        services.give(booking, rating=rating, comment=comment, now=after(training, hours=1))
    assert refused.value.field == field
    db.session.rollback()
    assert count() == 0


# In the browser's place: the participant's page, the organiser's and the coach's.


def test_the_participant_gives_feedback_on_the_session_page(client, training, booking, sign_in):
    page = f"/me/sessions/{training.id}"
    with time_machine.travel(after(training, hours=3)):
        sign_in(booking.enrolment.user)
        assert 'id="feedback"' in client.get(page).get_data(as_text=True)
        response = client.submit(
            f"{page}/feedback", {"rating": "4", "comment": "Sehr praxisnah"}, form_page=page
        )
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"{page}#feedback")
        again = client.get(page).get_data(as_text=True)
    assert "Sehr praxisnah" in again  # the form shows what was given, to change it
    feedback = db.session.scalar(select(SessionFeedback))
    assert (feedback.rating, feedback.comment) == (4, "Sehr praxisnah")


def test_a_missing_rating_is_named_at_its_field(client, training, booking, sign_in):
    page = f"/me/sessions/{training.id}"
    with time_machine.travel(after(training, hours=3)):
        sign_in(booking.enrolment.user)
        response = client.submit(f"{page}/feedback", {"comment": "ohne Note"}, form_page=page)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="rating-error"' in html
    assert "Bitte wählen Sie eine Bewertung von 1 bis 5." in html
    assert count() == 0


def test_before_the_end_the_page_has_no_form_and_a_post_is_refused(
    client, training, booking, sign_in
):
    page = f"/me/sessions/{training.id}"
    with time_machine.travel(after(training, hours=-1)):
        sign_in(booking.enrolment.user)
        assert 'id="feedback"' not in client.get(page).get_data(as_text=True)
        response = client.submit(f"{page}/feedback", {"rating": "5"}, form_page=page)
    assert response.status_code == 302
    assert count() == 0


def test_organisers_and_coaches_read_it_without_names(client, cohort, training, booking, sign_in):
    services.give(booking, rating=5, comment="Weiter so", now=after(training, hours=1))
    others_rate(cohort, training, 4, 3)
    organiser = cohort.programme.managers[0]
    with time_machine.travel(after(training, days=1)):
        sign_in(organiser)
        html = client.get(f"/manage/cohorts/{cohort.id}/feedback").get_data(as_text=True)
    assert "3 Rückmeldungen, Durchschnitt 4 von 5" in html
    assert "Weiter so" in html
    assert "Fritzi Feedback" not in html

    coach = training.coaches[0]
    client.post("/auth/logout", data={"csrf_token": client.csrf_token("/")})
    sign_in(coach)
    coach_page = client.get(f"/sessions/{training.id}/coach").get_data(as_text=True)
    assert "Weiter so" in coach_page
    assert "Fritzi Feedback" not in coach_page


def test_with_fewer_than_three_responses_nothing_points_to_a_person(
    client, cohort, training, booking, sign_in
):
    services.give(booking, rating=1, comment="Zu langsam", now=after(training, hours=1))
    others_rate(cohort, training, 5)
    with time_machine.travel(after(training, days=1)):
        sign_in(cohort.programme.managers[0])
        html = client.get(f"/manage/cohorts/{cohort.id}/feedback").get_data(as_text=True)
    assert "2 Rückmeldungen bisher" in html
    assert "Zu langsam" not in html
    [line] = programme_report(cohort.programme, now=after(training, days=1), total_label="").cohorts
    assert (line.ratings, line.average_rating) == (2, None)


# Around it: the request mail, the report, the export, retention.


def test_the_request_goes_out_even_after_feedback_so_the_outbox_tells_nothing(training, booking):
    services.give(booking, rating=4, comment="", now=after(training, minutes=30))
    db.session.commit()
    dispatch(after(training, hours=3))
    [request] = notifications(booking_id=booking.id, reason=Reason.FEEDBACK_REQUEST.value)
    assert request.state == "sent"


def test_the_report_shows_the_ratings_and_retention_keeps_them(cohort, training, booking):
    services.give(booking, rating=4, comment="gut", now=after(training, hours=1))
    others_rate(cohort, training, 5, 3)
    [line] = programme_report(cohort.programme, now=after(training, days=1), total_label="").cohorts
    assert (line.ratings, line.average_rating) == (3, 4)

    ended = retention.cohort_ended_at(cohort)
    retention.erase_due(now=ended + timedelta(days=365), retention=timedelta(days=365))
    db.session.expire_all()
    assert count() == 0  # the comment left with the participant data
    [kept] = programme_report(cohort.programme, now=ended, total_label="").cohorts
    assert (kept.ratings, kept.average_rating) == (3, 4)


def test_the_export_holds_the_persons_feedback(client, training, booking, sign_in):
    services.give(booking, rating=2, comment="zu kurz", now=after(training, hours=1))
    db.session.commit()
    sign_in(booking.enrolment.user)
    [participation] = client.get("/account/export").get_json()["participation"]
    [exported] = participation["bookings"]
    assert exported["feedback"] == {"rating": 2, "comment": "zu kurz"}
