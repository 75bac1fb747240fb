"""Due messages reach a real SMTP server (aiosmtpd) with the right content and calendar; a server
that is down delays them with backoff and loses nothing."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from app.extensions import db
from app.notifications.models import NotificationState, Reason
from tests.notifications.helpers import (
    NOW,
    SETTINGS,
    book,
    calendars,
    demo_cohort,
    dispatch,
    enrol,
    notifications,
)
from tests.sessions.helpers import tr

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def config_overrides(smtp):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port}


@pytest.fixture
def cohort(app):
    cohort = demo_cohort()
    cohort.programme.minimum_alert_hours = 0  # organisers' alerts are tested elsewhere
    db.session.commit()
    return cohort


def _words(header: str) -> str:
    """The subject as a person reads it (folding may double a space when parsed back)."""
    return " ".join(header.split())


def _reminders(booking):
    return notifications(booking_id=booking.id, reason=Reason.REMINDER.value)


def test_a_due_reminder_arrives_as_text_and_html_with_an_invitation(cohort, slot, smtp):
    person = enrol(cohort)
    person.user.locale = "en"
    booking = book(person, slot)
    smtp.handler.envelopes.clear()  # the booking confirmation went out at once
    day_before = _reminders(booking)[-1]
    assert day_before.due_at == slot.starts_at - timedelta(hours=24)

    tally = dispatch(day_before.due_at)

    assert (tally.sent, tally.failed) == (1, 0)
    [message] = smtp.handler.messages
    assert message["To"] == person.user.email
    assert _words(message["Subject"]) == tr("Reminder: %(title)s", "en", title=slot.title)
    assert message["Message-ID"] == day_before.message_id
    assert message["Content-Language"] == "en"
    assert message.get_content_type() == "multipart/mixed"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert slot.title in text
    assert slot.meeting_url in text
    assert '<html lang="en">' in html
    assert f'href="{slot.meeting_url}"' in html
    assert f"/me/sessions/{slot.id}" in text

    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    [calendar] = calendars(message)
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"session-{slot.id}@fahrplan"
    start = event["DTSTART"]
    assert start.params["TZID"] == "Europe/Berlin"
    assert start.dt == slot.starts_at.astimezone(BERLIN)
    assert start.dt.tzinfo.key == "Europe/Berlin"
    assert str(event["LOCATION"]) == slot.meeting_url
    assert str(event["ATTENDEE"]) == f"mailto:{person.user.email}"
    assert str(event["ORGANIZER"]) == "mailto:fahrplan@localhost"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]

    assert notifications(id=day_before.id)[0].state == NotificationState.SENT
    assert notifications(id=day_before.id)[0].sent_at == day_before.due_at


def test_mail_is_in_the_recipients_language(cohort, slot, smtp):
    german, english = enrol(cohort), enrol(cohort)
    english.user.locale = "en"
    db.session.commit()
    for person in (german, english):
        book(person, slot)
    subjects = {
        m["To"]: (_words(m["Subject"]), m["Content-Language"]) for m in smtp.handler.messages
    }
    title = slot.title
    assert subjects[german.user.email] == (
        tr("Your seat is booked: %(title)s", "de", title=title),
        "de",
    )
    assert subjects[english.user.email] == (
        tr("Your seat is booked: %(title)s", "en", title=title),
        "en",
    )


def test_nothing_is_sent_before_it_is_due_with_time_frozen(cohort, slot, smtp):
    booking = book(enrol(cohort), slot)
    smtp.handler.envelopes.clear()
    week_before, day_before = _reminders(booking)
    with time_machine.travel(week_before.due_at - timedelta(seconds=1), tick=False):
        assert dispatch(None).sent == 0
    with time_machine.travel(week_before.due_at, tick=False):
        assert dispatch(None).sent == 1
        assert dispatch(None).sent == 0  # sent once, not again
    with time_machine.travel(day_before.due_at - timedelta(minutes=1), tick=False):
        assert dispatch(None).sent == 0
    with time_machine.travel(day_before.due_at + timedelta(minutes=1), tick=False):
        assert dispatch(None).sent == 1
    assert len(smtp.handler.envelopes) == 2
    assert {n.state for n in _reminders(booking)} == {NotificationState.SENT}


def test_a_batch_goes_over_one_smtp_connection(cohort, slot, smtp):
    slot.capacity_max = 20
    db.session.commit()
    people = [enrol(cohort) for _ in range(12)]
    for person in people:
        book(person, slot)
    smtp.handler.envelopes.clear()
    smtp.handler.peers.clear()

    tally = dispatch(slot.starts_at - timedelta(hours=1))

    # Of each booking's two overdue reminders only the latest goes out (no flood).
    assert (tally.sent, tally.dropped) == (12, 12)
    assert len(set(smtp.handler.peers)) == 1
    assert sorted(m["To"] for m in smtp.handler.messages) == sorted(p.user.email for p in people)


def test_when_the_server_is_down_messages_wait_with_backoff_and_none_is_lost(cohort, slot, smtp):
    people = [enrol(cohort) for _ in range(3)]
    smtp.stop()
    for person in people:
        book(person, slot)  # the immediate attempt after the commit fails: rows stay pending
    confirmations = notifications(reason=Reason.BOOKING_BOOKED.value)
    assert [(n.state, n.attempts) for n in confirmations] == [("pending", 1)] * 3
    # Each immediate attempt failed at its own wall-clock moment; the first retry is a minute on.
    earliest = min(n.retry_at for n in confirmations)
    latest = max(n.retry_at for n in confirmations)

    assert dispatch(earliest - timedelta(seconds=30)).claimed == 0  # backing off: not yet
    at = latest + timedelta(seconds=1)
    tally = dispatch(at)
    assert (tally.claimed, tally.retried) == (3, 3)
    for row in notifications(reason=Reason.BOOKING_BOOKED.value):
        assert (row.state, row.attempts) == ("pending", 2)
        assert row.retry_at == at + timedelta(seconds=120)  # doubled
        assert "server unavailable" in row.last_error

    smtp.start()
    assert dispatch(at + timedelta(seconds=60)).sent == 0
    tally = dispatch(at + timedelta(seconds=121))
    assert tally.sent == 3
    assert sorted(m["To"] for m in smtp.handler.messages) == sorted(p.user.email for p in people)
    assert {n.state for n in notifications(reason=Reason.BOOKING_BOOKED.value)} == {"sent"}


def test_after_the_last_attempt_a_message_is_failed_until_an_organiser_resends_it(
    cohort, slot, smtp
):
    from app.notifications import services

    smtp.stop()
    booking = book(enrol(cohort), slot)
    [row] = notifications(reason=Reason.BOOKING_BOOKED.value)
    at = NOW
    for _ in range(SETTINGS.max_attempts):
        at = max(at, notifications(id=row.id)[0].retry_at or at) + timedelta(seconds=1)
        dispatch(at)
    row = notifications(id=row.id)[0]
    assert (row.state, row.attempts) == ("failed", SETTINGS.max_attempts)
    assert dispatch(at + timedelta(days=1)).claimed == 0

    smtp.start()
    assert services.resend(row, actor=booking.enrolment.cohort.programme.managers[0], now=at)
    db.session.commit()  # the resent row goes out right after the commit
    row = notifications(id=row.id)[0]
    assert (row.state, row.attempts) == ("sent", 1)
    assert [m["To"] for m in smtp.handler.messages] == [booking.enrolment.user.email]


def test_a_permanent_refusal_fails_at_once_and_a_temporary_one_is_retried(cohort, slot, smtp):
    bounced = enrol(cohort)
    bounced.user.email = "bounce@kommune.example"
    later = enrol(cohort)
    later.user.email = "later@kommune.example"
    fine = enrol(cohort)
    db.session.commit()
    for person in (bounced, later, fine):
        book(person, slot)

    states = {
        n.user.email: (n.state, n.attempts, bool(n.retry_at))
        for n in notifications(reason=Reason.BOOKING_BOOKED.value)
    }
    assert states == {
        "bounce@kommune.example": ("failed", 1, False),
        "later@kommune.example": ("pending", 1, True),
        fine.user.email: ("sent", 1, False),
    }
    assert "550" in notifications(user_id=bounced.user.id)[0].last_error


def test_a_cancelled_booking_gets_a_calendar_cancellation(cohort, slot, smtp):
    from app.bookings import services as bookings

    booking = book(enrol(cohort), slot)
    bookings.cancel(booking, actor=booking.enrolment.user, now=NOW)
    db.session.commit()

    confirmation, cancellation = smtp.handler.messages
    [invite] = calendars(confirmation)
    [cancel] = calendars(cancellation)
    assert invite["METHOD"] == "REQUEST"
    assert cancel["METHOD"] == "CANCEL"
    [event] = cancel.walk("VEVENT")
    assert str(event["UID"]) == f"session-{slot.id}@fahrplan"
    assert str(event["STATUS"]) == "CANCELLED"
    assert {n.state for n in _reminders(booking)} == {"dropped"}


def test_rows_are_rendered_when_sent_with_the_data_of_that_moment(cohort, slot, smtp):
    booking = book(enrol(cohort), slot)
    smtp.handler.envelopes.clear()
    slot.title = "Impuls-Training mit neuem Titel"
    db.session.commit()
    dispatch(datetime(2026, 10, 19, 13, tzinfo=UTC))
    [message] = smtp.handler.messages
    assert "Impuls-Training mit neuem Titel" in message["Subject"]
    assert booking.enrolment.user.email == message["To"]


def test_a_row_that_cannot_be_rendered_fails_alone(cohort, slot, smtp, caplog):
    from app.notifications.models import Notification

    booking = book(enrol(cohort), slot)
    smtp.handler.envelopes.clear()
    broken = Notification(
        user_id=booking.enrolment.user_id,
        reason="no_such_reason",
        cohort_id=cohort.id,
        dedup_key="broken",
        due_at=NOW,
    )
    db.session.add(broken)
    db.session.commit()

    tally = dispatch(slot.starts_at - timedelta(days=6))

    assert (tally.retried, tally.sent) == (1, 1)  # the week's reminder still went out
    row = notifications(id=broken.id)[0]
    assert (row.state, row.attempts) == ("pending", 1)
    assert "rendering failed" in row.last_error
    assert "Could not render notification" in caplog.text
