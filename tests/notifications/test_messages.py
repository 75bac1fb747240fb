"""Each kind of message: when it is made, who gets it, what it says, when it is dropped."""

from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bookings.models import Attendance
from app.enrolments import services as enrolments
from app.enrolments.models import EnrolmentStatus
from app.extensions import db
from app.notifications import planning, services
from app.notifications.messages import KINDS
from app.notifications.models import Notification, Reason, SignupDraft
from app.notifications.rendering import render, url_context
from tests.notifications.helpers import (
    NOW,
    book,
    calendars,
    dispatch,
    enrol,
    impulse_sessions,
    notifications,
    organiser_of,
    plain_text,
    reschedule,
)
from tests.sessions.helpers import tr


def _alerts(slot):
    return notifications(reason=Reason.MINIMUM_ALERT.value, session_id=slot.id)


# Minimum-capacity alerts (impulse trainings: at least 6; alert 72 hours before by default).


def test_organisers_hear_when_a_session_is_below_its_minimum_72_hours_before(cohort, slot, mailbox):
    book(enrol(cohort), slot)
    alert_at = slot.starts_at - timedelta(hours=72)
    dispatch(alert_at - timedelta(minutes=1))
    assert _alerts(slot) == []

    tally = dispatch(alert_at)
    [alert] = _alerts(slot)
    organiser = organiser_of(cohort)
    assert (alert.user_id, alert.state, alert.due_at) == (organiser.id, "sent", alert_at)
    assert tally.planned >= 1
    message = next(m for m in mailbox.for_recipient(organiser.email) if slot.title in m["Subject"])
    text = plain_text(message)
    assert tr("Too few bookings: %(title)s", "de", title=slot.title) == " ".join(
        message["Subject"].split()
    )
    assert f"/manage/sessions/{slot.id}/bookings" in text
    assert " 1 " in text
    assert " 6" in text

    assert dispatch(alert_at + timedelta(hours=1)).planned == 0  # once per session and start


def test_no_alert_when_the_minimum_is_reached_by_the_time_it_is_sent(cohort, slot):
    book(enrol(cohort), slot)
    alert_at = slot.starts_at - timedelta(hours=72)
    with Session(db.engine) as session:
        planning.plan_due(session, now=alert_at)
        session.commit()
    for _ in range(5):
        book(enrol(cohort), slot)
    dispatch(alert_at)
    assert [(a.state, a.drop_note) for a in _alerts(slot)] == [("dropped", "not_needed")]


def test_a_session_at_its_minimum_or_cancelled_raises_no_alert(cohort, slot):
    for _ in range(6):
        book(enrol(cohort), slot)
    other = impulse_sessions(cohort, "verkehrsplanung")[1]
    from app.sessions import services as session_services

    session_services.cancel_session(other, "Krank", actor=organiser_of(cohort), now=NOW)
    db.session.commit()
    dispatch(other.starts_at - timedelta(hours=1))
    assert _alerts(slot) == []
    assert _alerts(other) == []


def test_a_moved_session_is_alerted_again_for_its_new_time(cohort, slot):
    dispatch(slot.starts_at - timedelta(hours=72))
    assert len(_alerts(slot)) == 1
    reschedule(slot, "2026-11-03T14:00")
    dispatch(slot.starts_at - timedelta(hours=71))
    assert len(_alerts(slot)) == 2


# Sign-up closing soon, for people who opened the form and did not send it.


def test_people_who_started_signing_up_hear_48_hours_before_the_window_closes(
    client, login_as, cohort, mailbox
):
    started = login_as()
    assert client.get(f"/signup/{cohort.id}").status_code == 200
    client.get(f"/signup/{cohort.id}")  # opening it twice is one draft
    drafts = db.session.scalars(select(SignupDraft)).all()
    assert [(d.user_id, d.cohort_id) for d in drafts] == [(started.id, cohort.id)]

    notice_at = cohort.signup_closes_at - timedelta(hours=48)
    dispatch(notice_at - timedelta(minutes=1))
    assert mailbox.for_recipient(started.email) == []
    dispatch(notice_at)
    [message] = mailbox.for_recipient(started.email)
    assert f"/signup/{cohort.id}" in plain_text(message)
    dispatch(notice_at + timedelta(hours=1))
    assert len(mailbox.for_recipient(started.email)) == 1


def test_people_who_finished_signing_up_get_no_closing_notice(client, login_as, cohort):
    finished = login_as()
    client.get(f"/signup/{cohort.id}")
    enrol(cohort, user=finished, status=EnrolmentStatus.APPLIED)
    dispatch(cohort.signup_closes_at - timedelta(hours=47))
    assert notifications(reason=Reason.SIGNUP_CLOSING.value) == []


# After the session: a feedback request.


def test_a_feedback_request_follows_two_hours_after_the_end_unless_absent(cohort, slot, mailbox):
    slot.capacity_max = 10
    db.session.commit()
    came, missed = enrol(cohort), enrol(cohort)
    book(came, slot)
    missed_booking = book(missed, slot)
    missed_booking.attendance = Attendance.ABSENT.value
    db.session.commit()

    dispatch(slot.ends_at + timedelta(hours=1, minutes=59))
    assert notifications(reason=Reason.FEEDBACK_REQUEST.value, state="sent") == []
    dispatch(slot.ends_at + timedelta(hours=2))
    states = {n.user_id: n.state for n in notifications(reason=Reason.FEEDBACK_REQUEST.value)}
    assert states == {came.user_id: "sent", missed.user_id: "dropped"}
    feedback = mailbox.for_recipient(came.user.email)[-1]
    assert slot.title in " ".join(feedback["Subject"].split())


# Certificates and agendas: functions the other domains call.


def test_an_issued_certificate_is_announced_once_per_download_link(cohort, mailbox):
    person = enrol(cohort)
    link = "http://localhost/certificates/abc123.pdf"
    first = services.queue_certificate_issued(
        person.user, enrolment_id=person.id, download_url=link, now=NOW
    )
    again = services.queue_certificate_issued(
        person.user, enrolment_id=person.id, download_url=link, now=NOW
    )
    db.session.commit()
    assert first.id == again.id
    [message] = mailbox.for_recipient(person.user.email)
    assert link in plain_text(message)
    services.queue_certificate_issued(
        person.user, enrolment_id=person.id, download_url=link + "?v=2", now=NOW
    )
    db.session.commit()
    assert len(mailbox.for_recipient(person.user.email)) == 2


def test_a_published_agenda_is_announced_to_the_people_with_a_seat(app, cohort, slot):
    app.config["NOTIFY_SEND_AFTER_COMMIT"] = False
    slot.capacity_min, slot.capacity_max = 0, 1
    db.session.commit()
    seated, waiting = enrol(cohort), enrol(cohort)
    book(seated, slot)
    book(waiting, slot)
    assert services.queue_agenda_published(slot, now=NOW) == 1
    assert services.queue_agenda_published(slot, now=NOW) == 0  # one mail while one waits
    db.session.commit()
    assert [n.user_id for n in notifications(reason=Reason.AGENDA_PUBLISHED.value)] == [
        seated.user_id
    ]


# Decisions and changes.


def test_approval_from_the_waiting_list_is_told_as_a_free_place(cohort, mailbox):
    person = enrol(cohort, status=EnrolmentStatus.WAITLISTED)
    enrolments.decide(person, EnrolmentStatus.APPROVED, actor=organiser_of(cohort), now=NOW)
    db.session.commit()
    [row] = notifications(enrolment_id=person.id, reason=Reason.ENROLMENT_PROMOTED.value)
    assert row.state == "sent"
    [message] = mailbox.for_recipient(person.user.email)
    assert " ".join(message["Subject"].split()) == tr(
        "A place has become free: your sign-up is approved", "de"
    )


def test_a_rescheduled_session_mail_names_the_old_time_and_carries_the_new_one(
    cohort, slot, mailbox, clock
):
    person = enrol(cohort)
    person.user.locale = "en"
    db.session.commit()
    book(person, slot)
    old_start = slot.starts_at
    clock.shift(timedelta(hours=1))  # the organiser edits the session an hour later
    reschedule(slot, "2026-11-03T09:30")
    message = mailbox.for_recipient(person.user.email)[-1]
    assert " ".join(message["Subject"].split()) == tr("Changed: %(title)s", "en", title=slot.title)
    text = plain_text(message)
    assert "It was planned for" in text
    assert "Tuesday, October 20, 2026" in text
    assert "Tuesday, November 3, 2026" in text
    [calendar] = calendars(message)
    [event] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert event["DTSTART"].dt.isoformat() == "2026-11-03T09:30:00+01:00"
    assert int(event["SEQUENCE"]) >= 3600  # later than the first invitation's
    assert old_start != slot.starts_at


def test_a_cancelled_session_mail_carries_a_calendar_cancellation(cohort, slot, mailbox):
    from app.sessions import services as session_services

    person = enrol(cohort)
    book(person, slot)
    session_services.cancel_session(slot, "Krank", actor=organiser_of(cohort), now=NOW)
    db.session.commit()
    message = mailbox.for_recipient(person.user.email)[-1]
    assert "Krank" in plain_text(message)
    [calendar] = calendars(message)
    assert calendar["METHOD"] == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"session-{slot.id}@fahrplan"


def test_nothing_goes_to_a_disabled_account(cohort, slot):
    booking = book(enrol(cohort), slot)
    booking.enrolment.user.is_enabled = False
    db.session.commit()
    dispatch(slot.starts_at - timedelta(hours=2))
    [_week, day] = notifications(booking_id=booking.id, reason=Reason.REMINDER.value)
    assert (day.state, day.drop_note) == ("dropped", "recipient_disabled")


@pytest.mark.parametrize("locale", ["de", "en"])
def test_every_kind_of_message_renders_in_both_languages(app, cohort, slot, locale):
    person = enrol(cohort)
    person.user.locale = locale
    booking = book(person, slot)
    other = impulse_sessions(cohort, "verkehrsplanung")[1]
    params = {
        Reason.BOOKING_MOVED: {"previous_session_id": other.id},
        Reason.SESSION_CHANGED: {
            "changed": ["starts_at"],
            "previous_starts_at": other.starts_at.isoformat(),
            "previous_ends_at": other.ends_at.isoformat(),
        },
        Reason.COACH_SESSION_CHANGED: {
            "changed": ["starts_at"],
            "previous_starts_at": other.starts_at.isoformat(),
            "previous_ends_at": other.ends_at.isoformat(),
        },
        Reason.SESSION_CANCELLED: {"reason": "Krank"},
        Reason.CERTIFICATE_ISSUED: {"download_url": "http://localhost/c.pdf"},
        Reason.ENROLMENT_REJECTED: {"reason": "Voll"},
    }
    with Session(db.engine) as session, url_context(app):
        for reason in KINDS:
            row = Notification(
                user_id=person.user_id,
                reason=reason,
                cohort_id=cohort.id,
                session_id=slot.id,
                booking_id=booking.id,
                enrolment_id=person.id,
                params=params.get(Reason(reason), {}),
                dedup_key=f"render:{reason}",
                due_at=NOW,
            )
            session.add(row)
            session.flush()
            message = BytesParser(policy=policy.default).parsebytes(
                render(row, session, now=NOW).as_bytes()
            )
            assert message["Content-Language"] == locale
            assert person.user.name in plain_text(message)
            html = message.get_body(preferencelist=("html",)).get_content()
            assert f'<html lang="{locale}">' in html
            with force_locale(locale):
                assert str(KINDS[reason].subject(row))
        session.rollback()
