"""Messages planned ahead: reminders before a booked session and the feedback request after it,
computed from the booking whenever it or its session changes; minimum-capacity alerts and
sign-up deadline notices, found by the dispatcher when their time has come.

Offsets are exact hours before the session's start instant (168 h is seven times 24 hours of
real time, not "the same wall-clock time a week earlier"): across a daylight-saving change the
reminder's local time differs by the hour that was skipped or repeated. Exact hours never fall
into a skipped or doubled local hour, and mean what the setting says.

Every planned row has a `dedup_key` naming the booking, the offset and the start instant, so
planning again never adds a second row. A reminder whose due time has already passed when it is
planned (booked three days before the session: the 7-day reminder) is stored as dropped
("too late"), never sent late; the confirmation mail has just told the person the date.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from app.bookings.models import Booking, BookingStatus
from app.enrolments.models import Enrolment
from app.errors import Refusal
from app.extensions import db
from app.notifications import outbox
from app.notifications.models import (
    Notification,
    NotificationState,
    Reason,
    SignupDraft,
    new_message_id,
)
from app.programs.models import Cohort, CohortStatus, Programme
from app.sessions.models import SessionStatus, TrainingSession

DEFAULT_OFFSETS_HOURS = (168, 24)
MAX_OFFSETS = 5
MAX_OFFSET_HOURS = 60 * 24
FEEDBACK_DELAY = timedelta(hours=2)
SIGNUP_CLOSING_NOTICE = timedelta(hours=48)
PLANNED_FOR_BOOKINGS = (Reason.REMINDER, Reason.FEEDBACK_REQUEST)


class InvalidOffsets(Refusal, ValueError):
    """Reminder offsets that cannot be used; the message names the problem."""


def parse_offsets(text: str) -> list[int]:
    """E.g. "168, 24" → [168, 24]: whole hours before the start, largest first; "" means none."""
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    try:
        hours = sorted({int(part) for part in parts}, reverse=True)
    except ValueError:
        raise InvalidOffsets(
            _l("Please enter whole hours separated by commas, e.g. 168, 24.")
        ) from None
    if len(hours) > MAX_OFFSETS:
        raise InvalidOffsets(_l("At most %(n)s reminders per session.", n=MAX_OFFSETS))
    if any(h < 1 or h > MAX_OFFSET_HOURS for h in hours):
        raise InvalidOffsets(
            _l(
                "Each reminder is between 1 and %(max)s hours before the session.",
                max=MAX_OFFSET_HOURS,
            )
        )
    return hours


def format_offsets(hours: Iterable[int]) -> str:
    return ", ".join(str(h) for h in hours)


def offsets_of(cohort: Cohort) -> list[int]:
    try:
        return parse_offsets(cohort.reminder_offsets_hours or "")
    except InvalidOffsets:
        return list(DEFAULT_OFFSETS_HOURS)


def _stamp(instant: datetime) -> str:
    return instant.strftime("%Y%m%dT%H%M%SZ")


def reminder_key(booking_id: int, offset_hours: int, starts_at: datetime) -> str:
    return f"reminder:{booking_id}:{offset_hours}h:{_stamp(starts_at)}"


def feedback_key(booking_id: int, ends_at: datetime) -> str:
    return f"feedback_request:{booking_id}:{_stamp(ends_at)}"


def _wanted(booking: Booking) -> dict[str, tuple[Reason, datetime, dict]]:
    """dedup_key → (reason, due_at, params) of what this booking should have planned now."""
    training_session = booking.training_session
    if booking.status != BookingStatus.BOOKED or training_session.is_cancelled:
        return {}
    starts_at = training_session.starts_at
    wanted = {
        reminder_key(booking.id, hours, starts_at): (
            Reason.REMINDER,
            starts_at - timedelta(hours=hours),
            {"offset_hours": hours, "starts_at": starts_at.isoformat()},
        )
        for hours in offsets_of(training_session.cohort)
    }
    wanted[feedback_key(booking.id, training_session.ends_at)] = (
        Reason.FEEDBACK_REQUEST,
        training_session.ends_at + FEEDBACK_DELAY,
        {"ends_at": training_session.ends_at.isoformat()},
    )
    return wanted


def _drop_note(booking: Booking) -> str:
    if booking.training_session.is_cancelled:
        return outbox.SESSION_CANCELLED
    if booking.status != BookingStatus.BOOKED:
        return outbox.BOOKING_CANCELLED
    return outbox.RESCHEDULED


def plan_bookings(bookings: Iterable[Booking], *, now: datetime) -> None:
    """Make each booking's reminders and feedback request match its current state and time.

    Pending rows no longer wanted are dropped; wanted rows are added (or a dropped one revived
    when it is wanted again, e.g. a session moved back); rows already sent stay sent.
    """
    bookings = [booking for booking in bookings if booking.id is not None]
    if not bookings:
        return
    existing = db.session.scalars(
        select(Notification).where(
            Notification.booking_id.in_([b.id for b in bookings]),
            Notification.reason.in_([r.value for r in PLANNED_FOR_BOOKINGS]),
        )
    ).all()
    by_key = {row.dedup_key: row for row in existing}
    by_booking: dict[int, list[Notification]] = {}
    for row in existing:
        by_booking.setdefault(row.booking_id, []).append(row)
    for booking in bookings:
        wanted = _wanted(booking)
        unwanted = [row for row in by_booking.get(booking.id, []) if row.dedup_key not in wanted]
        outbox.drop(unwanted, _drop_note(booking))
        for key, (reason, due_at, params) in wanted.items():
            row = by_key.get(key)
            if row is None:
                late = due_at <= now
                outbox.add(
                    booking.enrolment.user,
                    reason,
                    cohort_id=booking.training_session.cohort_id,
                    now=now,
                    due_at=due_at,
                    dedup_key=key,
                    session_id=booking.session_id,
                    booking_id=booking.id,
                    enrolment_id=booking.enrolment_id,
                    params=params,
                    state=NotificationState.DROPPED if late else NotificationState.PENDING,
                    drop_note=outbox.TOO_LATE if late else "",
                )
            elif row.state == NotificationState.DROPPED and due_at > now:
                outbox.revive(row, due_at=due_at)
    db.session.flush()


def _with_people(statement):
    return statement.options(selectinload(Booking.enrolment).selectinload(Enrolment.user))


def plan_session(training_session: TrainingSession, *, now: datetime) -> None:
    bookings = db.session.scalars(
        _with_people(select(Booking).where(Booking.session_id == training_session.id))
    ).all()
    plan_bookings(bookings, now=now)


def plan_cohort(cohort: Cohort, *, now: datetime) -> None:
    """After the cohort's offsets changed: every booking of its sessions still to come."""
    bookings = db.session.scalars(
        _with_people(
            select(Booking)
            .join(TrainingSession, TrainingSession.id == Booking.session_id)
            .where(TrainingSession.cohort_id == cohort.id, TrainingSession.starts_at > now)
        )
    ).all()
    plan_bookings(bookings, now=now)


# Found by the dispatcher: the condition is checked when its time has come, so these need no
# recomputing when sessions, managers, settings or sign-up windows change.


def _insert_missing(session, rows: list[dict]) -> int:
    """Insert planned rows whose dedup_key is new; racing dispatchers insert each key once."""
    if not rows:
        return 0
    keys = [row["dedup_key"] for row in rows]
    known = set(
        session.scalars(select(Notification.dedup_key).where(Notification.dedup_key.in_(keys)))
    )
    fresh = [row for row in rows if row["dedup_key"] not in known]
    if not fresh:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Notification).on_conflict_do_nothing(index_elements=["dedup_key"])
    session.execute(statement, fresh)
    return len(fresh)


def _planned_row(
    *,
    user_id: int,
    reason: Reason,
    cohort_id: int,
    key: str,
    due_at: datetime,
    now: datetime,
    session_id: int | None = None,
    params: dict | None = None,
) -> dict:
    """Every column, so the rows can be inserted in one statement."""
    return {
        "user_id": user_id,
        "reason": reason.value,
        "cohort_id": cohort_id,
        "session_id": session_id,
        "booking_id": None,
        "enrolment_id": None,
        "params": params or {},
        "dedup_key": key,
        "message_id": new_message_id(),
        "due_at": due_at,
        "state": NotificationState.PENDING.value,
        "attempts": 0,
        "last_error": "",
        "drop_note": "",
        "created_at": now,
    }


def minimum_alert_key(session_id: int, user_id: int, starts_at: datetime) -> str:
    return f"minimum_alert:{session_id}:{user_id}:{_stamp(starts_at)}"


def signup_closing_key(cohort_id: int, user_id: int, closes_at: datetime) -> str:
    return f"signup_closing:{cohort_id}:{user_id}:{_stamp(closes_at)}"


def _minimum_alerts(session, now: datetime) -> list[dict]:
    horizon = session.scalar(select(func.max(Programme.minimum_alert_hours))) or 0
    candidates = session.scalars(
        select(TrainingSession).where(
            TrainingSession.status == SessionStatus.SCHEDULED.value,
            TrainingSession.capacity_min > 0,
            TrainingSession.starts_at > now,
            TrainingSession.starts_at <= now + timedelta(hours=horizon),
        )
    ).all()
    due = [
        ts
        for ts in candidates
        if ts.starts_at - timedelta(hours=ts.cohort.programme.minimum_alert_hours) <= now
    ]
    if not due:
        return []
    booked = dict(
        session.execute(
            select(Booking.session_id, func.count(Booking.id))
            .where(
                Booking.session_id.in_([ts.id for ts in due]),
                Booking.status == BookingStatus.BOOKED.value,
            )
            .group_by(Booking.session_id)
        ).all()
    )
    rows = []
    for ts in due:
        if booked.get(ts.id, 0) >= ts.capacity_min:
            continue
        alert_at = ts.starts_at - timedelta(hours=ts.cohort.programme.minimum_alert_hours)
        for manager in ts.cohort.programme.managers:
            rows.append(
                _planned_row(
                    user_id=manager.id,
                    reason=Reason.MINIMUM_ALERT,
                    cohort_id=ts.cohort_id,
                    session_id=ts.id,
                    key=minimum_alert_key(ts.id, manager.id, ts.starts_at),
                    due_at=alert_at,
                    now=now,
                )
            )
    return rows


def _signup_closing(session, now: datetime) -> list[dict]:
    drafts = session.execute(
        select(SignupDraft.user_id, Cohort.id, Cohort.signup_closes_at)
        .join(Cohort, Cohort.id == SignupDraft.cohort_id)
        .outerjoin(
            Enrolment,
            (Enrolment.cohort_id == SignupDraft.cohort_id)
            & (Enrolment.user_id == SignupDraft.user_id),
        )
        .where(
            Enrolment.id.is_(None),
            Cohort.status == CohortStatus.OPEN.value,
            Cohort.signup_closes_at > now,
            Cohort.signup_closes_at <= now + SIGNUP_CLOSING_NOTICE,
        )
    ).all()
    return [
        _planned_row(
            user_id=user_id,
            reason=Reason.SIGNUP_CLOSING,
            cohort_id=cohort_id,
            key=signup_closing_key(cohort_id, user_id, closes_at),
            due_at=closes_at - SIGNUP_CLOSING_NOTICE,
            now=now,
        )
        for user_id, cohort_id, closes_at in drafts
    ]


def plan_due(session, *, now: datetime) -> int:
    """Add the minimum-capacity alerts and sign-up deadline notices whose time has come."""
    return _insert_missing(session, _minimum_alerts(session, now) + _signup_closing(session, now))
