"""Attendance: who came to a session. Recorded by its coaches or the programme's organisers
from the session's start on, only for people with a seat; every change goes into the person's
enrolment history. Services flush; the caller commits once."""

from collections.abc import Mapping
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.bookings.models import Attendance, Booking, BookingStatus
from app.enrolments.history import record
from app.enrolments.models import Enrolment
from app.errors import Refusal
from app.extensions import db
from app.sessions.models import TrainingSession


class AttendanceRefused(Refusal):
    """Attendance could not be recorded."""


def check_recordable(training_session: TrainingSession, now: datetime) -> None:
    if training_session.is_cancelled:
        raise AttendanceRefused(_l("This session has been cancelled."))
    if training_session.cohort.is_archived:
        raise AttendanceRefused(_l("This cohort is archived; attendance can no longer change."))
    if now < training_session.starts_at:
        raise AttendanceRefused(_l("Attendance can be recorded once the session has started."))


def is_recordable(training_session: TrainingSession, now: datetime) -> bool:
    try:
        check_recordable(training_session, now)
    except AttendanceRefused:
        return False
    return True


def sheet(training_session: TrainingSession) -> list[Booking]:
    """The people with a seat in the session, by name."""
    bookings = db.session.scalars(
        select(Booking)
        .where(
            Booking.session_id == training_session.id,
            Booking.status == BookingStatus.BOOKED.value,
        )
        .options(selectinload(Booking.enrolment).selectinload(Enrolment.user))
    )
    return sorted(bookings, key=lambda b: (b.enrolment.user.name.casefold(), b.id))


def _set(booking: Booking, attendance: Attendance, *, actor, now: datetime) -> bool:
    if booking.status != BookingStatus.BOOKED:
        raise AttendanceRefused(_l("Only people with a seat in the session can be marked."))
    previous = booking.attendance
    if previous == attendance.value:
        return False
    booking.attendance = attendance.value
    db.session.flush()
    record(
        booking.enrolment,
        action="attendance",
        actor=actor,
        now=now,
        from_status=previous,
        to_status=attendance.value,
        session_id=booking.session_id,
    )
    return True


def record_attendance(booking: Booking, attendance: Attendance, *, actor, now: datetime) -> bool:
    """Mark one person; returns whether anything changed."""
    check_recordable(booking.training_session, now)
    return _set(booking, attendance, actor=actor, now=now)


def record_sheet(
    training_session: TrainingSession,
    marks: Mapping[int, Attendance],
    *,
    actor,
    now: datetime,
) -> int:
    """Save a whole sheet, {booking id: attendance}; returns how many marks changed.

    Every id must be a seat in this session: a forged id refuses the whole sheet.
    """
    check_recordable(training_session, now)
    seats = {b.id: b for b in sheet(training_session)}
    unknown = set(marks) - set(seats)
    if unknown:
        raise AttendanceRefused(_l("Only people with a seat in the session can be marked."))
    return sum(
        _set(seats[booking_id], attendance, actor=actor, now=now)
        for booking_id, attendance in marks.items()
    )


def mark_everyone_attended(training_session: TrainingSession, *, actor, now: datetime) -> int:
    """ "All attended": everyone with a seat and no mark yet; marks already given stay."""
    check_recordable(training_session, now)
    return sum(
        _set(booking, Attendance.ATTENDED, actor=actor, now=now)
        for booking in sheet(training_session)
        if booking.attendance is None
    )
