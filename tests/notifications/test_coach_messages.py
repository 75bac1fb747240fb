"""Coaches hear about the sessions they run: assigned, changed, removed, cancelled, each with
a calendar entry; nothing while the cohort is a draft, everything due when it goes public."""

from datetime import timedelta

import pytest

from app.auth.models import Role
from app.extensions import db
from app.notifications.models import Reason
from app.programs import cohort_services
from app.programs.models import CohortStatus
from app.sessions import services as session_services
from tests.factories import UserFactory
from tests.notifications.helpers import (
    NOW,
    calendars,
    impulse_sessions,
    notifications,
    organiser_of,
    plain_text,
    reschedule,
)
from tests.sessions.helpers import tr


def _subject(message) -> str:
    return " ".join(message["Subject"].split())


def _coach(locale="en"):
    return UserFactory(role=Role.COACH.value, locale=locale)


def _coach_ids(training_session) -> list[int]:
    return [coach.id for coach in training_session.coaches]


def test_a_coach_added_to_a_session_gets_it_into_the_calendar(cohort, slot, mailbox):
    coach = _coach()
    reschedule(slot, "2026-10-20T09:00", coaches=[*_coach_ids(slot), coach.id])
    [message] = mailbox.for_recipient(coach.email)
    assert _subject(message) == tr("You are coaching: %(title)s", "en", title=slot.title)
    text = plain_text(message)
    assert slot.meeting_url in text  # the coach needs the link like a participant with a seat
    assert f"/sessions/{slot.id}/coach" in text
    [calendar] = calendars(message)
    [event] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"session-{slot.id}@fahrplan"


def test_the_coaches_hear_what_changed_and_get_the_new_time(cohort, slot, mailbox, clock):
    coach = _coach()
    reschedule(slot, "2026-10-20T09:00", coaches=[coach.id])
    clock.shift(timedelta(hours=1))
    reschedule(slot, "2026-11-03T09:30")
    message = mailbox.for_recipient(coach.email)[-1]
    assert _subject(message) == tr("Changed: %(title)s", "en", title=slot.title)
    assert "that you coach has changed" in plain_text(message)
    assert "It was planned for" in plain_text(message)
    [calendar] = calendars(message)
    [event] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert event["DTSTART"].dt.isoformat() == "2026-11-03T09:30:00+01:00"


def test_a_coach_taken_off_a_session_gets_a_calendar_cancellation(cohort, slot, mailbox):
    coach = _coach()
    reschedule(slot, "2026-10-20T09:00", coaches=[coach.id])
    reschedule(slot, "2026-10-20T09:00", coaches=[])
    message = mailbox.for_recipient(coach.email)[-1]
    assert _subject(message) == tr("You no longer coach: %(title)s", "en", title=slot.title)
    [calendar] = calendars(message)
    assert calendar["METHOD"] == "CANCEL"


def test_the_coaches_of_a_cancelled_session_are_told_with_the_reason(cohort, slot, mailbox):
    coach = _coach()
    reschedule(slot, "2026-10-20T09:00", coaches=[coach.id])
    session_services.cancel_session(slot, "Hochwasser", actor=organiser_of(cohort), now=NOW)
    db.session.commit()
    message = mailbox.for_recipient(coach.email)[-1]
    assert _subject(message) == tr("Cancelled: %(title)s", "en", title=slot.title)
    assert "Hochwasser" in plain_text(message)
    [calendar] = calendars(message)
    assert calendar["METHOD"] == "CANCEL"


def test_an_assignment_undone_before_sending_is_not_sent(cohort, slot):
    """The mail is built when it is sent: a coach removed again in the meantime gets nothing."""
    coach = _coach()
    reschedule(slot, "2026-10-20T09:00", coaches=[coach.id])
    [assigned] = notifications(user_id=coach.id, reason=Reason.COACH_ASSIGNED.value)
    assert assigned.state == "sent"
    reschedule(slot, "2026-10-20T09:00", coaches=[])
    reschedule(slot, "2026-10-20T09:00", coaches=[coach.id])
    reasons = [n.reason for n in notifications(user_id=coach.id)]
    assert reasons == ["coach_assigned", "coach_unassigned", "coach_assigned"]


def test_drafts_mail_no_coach_until_the_cohort_goes_public(cohort, slot, mailbox):
    organiser = organiser_of(cohort)
    cohort.status = CohortStatus.DRAFT.value
    db.session.commit()
    coach = _coach()
    reschedule(slot, "2026-10-20T09:00", coaches=[coach.id])
    later = impulse_sessions(cohort, "verkehrsplanung")[1]
    reschedule(later, "2026-10-27T09:00", coaches=[coach.id])
    assert mailbox.for_recipient(coach.email) == []

    cohort_services.change_status(cohort, CohortStatus.OPEN.value, actor=organiser, now=NOW)
    db.session.commit()
    subjects = sorted(_subject(m) for m in mailbox.for_recipient(coach.email))
    assert subjects == sorted(
        tr("You are coaching: %(title)s", "en", title=s.title) for s in (slot, later)
    )


def test_sessions_that_have_begun_mail_no_coach(cohort, slot, mailbox, clock):
    coach = _coach()
    clock.move_to(slot.starts_at + timedelta(minutes=5))
    reschedule(slot, "2026-10-20T09:00", coaches=[coach.id], now=slot.starts_at)
    assert mailbox.for_recipient(coach.email) == []


def test_a_session_in_the_coaches_calendars_is_cancelled_not_deleted(
    cohort, slot, english_messages
):
    """Deleting would leave the coaches' calendar entry standing; cancelling tells them."""
    organiser = organiser_of(cohort)
    with pytest.raises(session_services.SessionInCoachesCalendars, match="Cancel it instead"):
        session_services.delete_session(slot, actor=organiser, now=NOW)
    db.session.rollback()
    cohort.status = CohortStatus.DRAFT.value  # nobody was told of a draft's sessions
    db.session.commit()
    session_services.delete_session(slot, actor=organiser, now=NOW)
    db.session.commit()
