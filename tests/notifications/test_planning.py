"""Reminders are rows computed from bookings: booking plans them, rescheduling moves them,
cancelling drops them; overdue reminders never flood; a paused cohort holds them."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.bookings import services as bookings
from app.extensions import db
from app.notifications import planning, services
from app.notifications.models import Notification, NotificationState, Reason
from app.sessions import services as session_services
from tests.notifications.helpers import (
    NOW,
    book,
    demo_cohort,
    dispatch,
    enrol,
    impulse_sessions,
    notifications,
    organiser_of,
    reschedule,
)

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def cohort(app):
    cohort = demo_cohort()
    cohort.programme.minimum_alert_hours = 0
    db.session.commit()
    return cohort


def _planned(booking, state=None):
    rows = [
        n
        for n in notifications(booking_id=booking.id)
        if n.reason in {Reason.REMINDER, Reason.FEEDBACK_REQUEST}
    ]
    return [n for n in rows if state is None or n.state == state]


def _dues(booking, state=NotificationState.PENDING):
    return [(n.reason, n.due_at) for n in _planned(booking, state)]


def test_booking_plans_two_reminders_and_a_feedback_request(cohort, slot):
    booking = book(enrol(cohort), slot)
    assert _dues(booking) == [
        ("reminder", slot.starts_at - timedelta(days=7)),
        ("reminder", slot.starts_at - timedelta(days=1)),
        ("feedback_request", slot.ends_at + timedelta(hours=2)),
    ]


def test_planning_again_never_adds_a_second_row(cohort, slot):
    booking = book(enrol(cohort), slot)
    before = [(n.id, n.dedup_key) for n in _planned(booking)]
    for _ in range(3):
        services.plan_booking(booking, now=NOW)
    db.session.commit()
    assert [(n.id, n.dedup_key) for n in _planned(booking)] == before


def test_rescheduling_moves_the_pending_reminders(cohort, slot):
    booking = book(enrol(cohort), slot)
    old = _planned(booking)
    reschedule(slot, "2026-11-03T09:30")
    new_start = datetime(2026, 11, 3, 8, 30, tzinfo=UTC)  # 09:30 CET
    assert _dues(booking) == [
        ("reminder", new_start - timedelta(hours=168)),
        ("reminder", new_start - timedelta(hours=24)),
        ("feedback_request", new_start + timedelta(hours=4)),
    ]
    assert {
        (n.id, n.state, n.drop_note) for n in _planned(booking) if n.id in {o.id for o in old}
    } == {(o.id, "dropped", "rescheduled") for o in old}


def test_moving_back_revives_the_dropped_rows_instead_of_adding_more(cohort, slot):
    booking = book(enrol(cohort), slot)
    original = {n.dedup_key: n.id for n in _planned(booking)}
    start = slot.starts_at.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M")
    reschedule(slot, "2026-11-03T09:30")
    reschedule(slot, start)
    pending = {n.dedup_key: n.id for n in _planned(booking, NotificationState.PENDING)}
    assert pending == original


def test_cancelling_the_booking_drops_its_reminders(cohort, slot):
    booking = book(enrol(cohort), slot)
    bookings.cancel(booking, actor=booking.enrolment.user, now=NOW)
    db.session.commit()
    assert {(n.state, n.drop_note) for n in _planned(booking)} == {("dropped", "booking_cancelled")}
    assert dispatch(slot.starts_at - timedelta(hours=1)).sent == 0


def test_moving_a_booking_plans_the_new_slot_and_drops_the_old(cohort, slot):
    other = impulse_sessions(cohort, "verkehrsplanung")[1]
    booking = book(enrol(cohort), slot)
    moved = bookings.move(booking, other.id, actor=booking.enrolment.user, now=NOW)
    db.session.commit()
    assert {n.state for n in _planned(booking)} == {"dropped"}
    assert [due for _, due in _dues(moved)][:2] == [
        other.starts_at - timedelta(days=7),
        other.starts_at - timedelta(days=1),
    ]


def test_a_promoted_person_gets_reminders_and_the_waiting_do_not(cohort, slot):
    slot.capacity_min, slot.capacity_max = 0, 1
    db.session.commit()
    first, second = enrol(cohort), enrol(cohort)
    seat = book(first, slot)
    waiting = book(second, slot)
    assert _planned(waiting) == []
    bookings.cancel(seat, actor=first.user, now=NOW)
    db.session.commit()
    assert len(_planned(waiting, NotificationState.PENDING)) == 3


def test_cancelling_the_session_drops_everything_planned_and_tells_everyone(cohort, slot):
    slot.capacity_min, slot.capacity_max = 0, 1
    db.session.commit()
    seated, waiting = enrol(cohort), enrol(cohort)
    seat = book(seated, slot)
    book(waiting, slot)
    session_services.cancel_session(
        slot, "Die Referentin ist erkrankt.", actor=organiser_of(cohort), now=NOW
    )
    db.session.commit()
    assert {(n.state, n.drop_note) for n in _planned(seat)} == {("dropped", "session_cancelled")}
    told = notifications(reason=Reason.SESSION_CANCELLED.value)
    assert sorted(n.user_id for n in told) == sorted([seated.user_id, waiting.user_id])
    assert {n.state for n in told} == {"sent"}
    assert told[0].params == {"reason": "Die Referentin ist erkrankt."}


def test_a_time_change_tells_the_people_booked_once_per_unsent_change(app, cohort, slot):
    booking = book(enrol(cohort), slot)
    app.config["NOTIFY_SEND_AFTER_COMMIT"] = False  # keep the first mail waiting
    old_start = slot.starts_at
    reschedule(slot, "2026-11-03T09:30")
    reschedule(slot, "2026-11-03T10:00", location="", meeting_url="https://meet.example.org/neu")
    [changed] = notifications(reason=Reason.SESSION_CHANGED.value)
    assert changed.user_id == booking.enrolment.user_id
    assert changed.params["previous_starts_at"] == old_start.isoformat()
    assert changed.params["changed"] == ["ends_at", "meeting_url", "starts_at"]
    title_only = slot.title
    reschedule(slot, "2026-11-03T10:00", title=title_only)  # nothing people know changed
    assert len(notifications(reason=Reason.SESSION_CHANGED.value)) == 1


def test_a_reminder_already_due_when_booked_is_dropped_not_sent_late(cohort, slot):
    three_days_before = slot.starts_at - timedelta(days=3)
    booking = book(enrol(cohort), slot, now=three_days_before)
    week, day, _feedback = _planned(booking)
    assert (week.state, week.drop_note) == ("dropped", "too_late")
    assert day.state == "pending"
    tally = dispatch(three_days_before + timedelta(minutes=1))
    assert tally.sent == 0


def test_of_several_overdue_reminders_only_the_latest_goes_out(cohort, slot, mailbox):
    booking = book(enrol(cohort), slot)
    sent_before = len(mailbox.messages)
    tally = dispatch(slot.starts_at - timedelta(hours=2))  # the dispatcher was down a week
    week, day, feedback = _planned(booking)
    assert (week.state, week.drop_note) == ("dropped", "superseded")
    assert day.state == "sent"
    assert feedback.state == "pending"
    assert (tally.sent, len(mailbox.messages) - sent_before) == (1, 1)


def test_no_reminder_once_the_session_has_started(cohort, slot):
    booking = book(enrol(cohort), slot)
    dispatch(slot.starts_at + timedelta(minutes=5))
    week, day, _feedback = _planned(booking)
    assert {(week.state, week.drop_note), (day.state, day.drop_note)} == {("dropped", "too_late")}


# Daylight saving: summer time ends on Sunday 25 October 2026 (03:00 CEST → 02:00 CET).
# Offsets are exact hours before the start instant.


def test_a_day_before_a_monday_after_the_october_change_is_the_same_wall_clock_time(cohort, slot):
    booking = book(enrol(cohort), slot)
    reschedule(slot, "2026-10-26T10:00")  # Monday, 10:00 CET = 09:00Z
    assert slot.starts_at == datetime(2026, 10, 26, 9, tzinfo=UTC)
    week, day, _feedback = _planned(booking, NotificationState.PENDING)
    assert day.due_at == datetime(2026, 10, 25, 9, tzinfo=UTC)
    assert day.due_at.astimezone(BERLIN).strftime("%a %H:%M %Z") == "Sun 10:00 CET"
    # 168 hours reach back into summer time: on the wall clock that is 11:00, not 10:00.
    assert week.due_at == datetime(2026, 10, 19, 9, tzinfo=UTC)
    assert week.due_at.astimezone(BERLIN).strftime("%a %H:%M %Z") == "Mon 11:00 CEST"

    assert dispatch(datetime(2026, 10, 25, 8, 59, tzinfo=UTC)).sent == 1  # the week's one
    assert dispatch(datetime(2026, 10, 25, 8, 59, 59, tzinfo=UTC)).sent == 0
    assert dispatch(datetime(2026, 10, 25, 9, 0, tzinfo=UTC)).sent == 1


def test_a_day_before_the_sunday_of_the_change_is_24_hours_not_the_same_wall_clock(cohort, slot):
    booking = book(enrol(cohort), slot)
    reschedule(slot, "2026-10-25T10:00")  # Sunday, 10:00 CET = 09:00Z
    _week, day, _feedback = _planned(booking, NotificationState.PENDING)
    assert day.due_at == datetime(2026, 10, 24, 9, tzinfo=UTC)
    assert day.due_at.astimezone(BERLIN).strftime("%a %H:%M %Z") == "Sat 11:00 CEST"


# The organisers' settings.


def test_new_offsets_replan_every_booking_still_ahead(cohort, slot):
    booking = book(enrol(cohort), slot)
    hours = services.set_reminders(cohort, "2, 48,48", actor=organiser_of(cohort), now=NOW)
    db.session.commit()
    assert hours == [48, 2]
    assert cohort.reminder_offsets_hours == "48, 2"
    reminders = [due for reason, due in _dues(booking) if reason == "reminder"]
    assert reminders == [slot.starts_at - timedelta(hours=48), slot.starts_at - timedelta(hours=2)]


@pytest.mark.parametrize("text", ["sieben", "0", "9999", "1,2,3,4,5,6"])
def test_offsets_must_be_a_few_whole_hours(text):
    with pytest.raises(planning.InvalidOffsets):
        planning.parse_offsets(text)


def test_no_offsets_means_no_reminders(cohort, slot):
    services.set_reminders(cohort, "", actor=organiser_of(cohort), now=NOW)
    db.session.commit()
    booking = book(enrol(cohort), slot)
    assert [reason for reason, _ in _dues(booking)] == ["feedback_request"]


def test_a_paused_cohort_holds_its_reminders_and_resuming_sends_only_the_latest(cohort, slot):
    booking = book(enrol(cohort), slot)
    services.set_paused(cohort, True, actor=organiser_of(cohort))
    db.session.commit()
    week_due = slot.starts_at - timedelta(days=7)
    assert dispatch(week_due + timedelta(minutes=1)).claimed == 0
    assert _planned(booking)[0].state == "pending"  # held, not dropped

    services.set_paused(cohort, False, actor=organiser_of(cohort))
    db.session.commit()
    tally = dispatch(slot.starts_at - timedelta(hours=3))
    week, day, _feedback = _planned(booking)
    assert (week.state, day.state, tally.sent) == ("dropped", "sent", 1)


def test_pausing_holds_only_planned_messages_not_confirmations(cohort, slot, mailbox):
    services.set_paused(cohort, True, actor=organiser_of(cohort))
    db.session.commit()
    person = enrol(cohort)
    book(person, slot)
    assert len(mailbox.for_recipient(person.user.email)) == 1


def test_dropped_rows_of_deleted_users_go_with_them(cohort, slot):
    booking = book(enrol(cohort), slot)
    user = booking.enrolment.user
    db.session.delete(user)
    db.session.commit()
    assert db.session.query(Notification).filter_by(user_id=user.id).count() == 0


def test_a_copied_cohort_keeps_its_reminder_offsets(cohort):
    from datetime import date

    from app.programs.copying import copy_cohort

    services.set_reminders(cohort, "72, 2", actor=organiser_of(cohort), now=NOW)
    copy = copy_cohort(
        cohort,
        name="Durchgang 2027",
        slug="",
        first_session_date=date(2027, 9, 21),
        actor=organiser_of(cohort),
    )
    db.session.commit()
    assert copy.reminder_offsets_hours == "72, 2"
    assert not copy.reminders_paused
