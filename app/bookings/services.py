"""Every change to a booking. Seat decisions happen under the session's lock (see locking.py).

Services flush; the caller commits once. Messages to the people concerned are queued and sent
only after that commit.
"""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.bookings import queries
from app.bookings.locking import lock_session, lock_sessions
from app.bookings.models import Booking, BookingStatus
from app.enrolments.history import record
from app.enrolments.models import Enrolment
from app.errors import Refusal
from app.extensions import db
from app.notifications import services as notifications
from app.notifications.models import Reason
from app.sessions.models import SessionKind, TrainingSession


class BookingRefused(Refusal):
    """A booking, cancellation or move was refused."""


def _check_bookable(enrolment: Enrolment, training_session: TrainingSession, now: datetime):
    if not enrolment.is_approved:
        raise BookingRefused(_l("Your sign-up has not been approved yet."))
    if training_session.cohort_id != enrolment.cohort_id:
        raise BookingRefused(_l("This session belongs to another cohort."))
    if training_session.target_group_id not in (None, enrolment.target_group_id):
        raise BookingRefused(_l("This session is for another target group."))
    if training_session.is_cancelled:
        raise BookingRefused(_l("This session has been cancelled."))
    if training_session.starts_at <= now:
        raise BookingRefused(_l("This session has already started."))


def _check_impulse_quota(enrolment: Enrolment, training_session: TrainingSession) -> None:
    if training_session.kind != SessionKind.IMPULSE:
        return
    limit = enrolment.cohort.programme.impulse_trainings_per_participant
    active = db.session.scalar(
        select(db.func.count(Booking.id))
        .join(TrainingSession, TrainingSession.id == Booking.session_id)
        .where(
            Booking.enrolment_id == enrolment.id,
            Booking.status != BookingStatus.CANCELLED.value,
            TrainingSession.kind == SessionKind.IMPULSE.value,
            Booking.session_id != training_session.id,
        )
    )
    if active >= limit:
        raise BookingRefused(
            _l(
                "You have already chosen %(n)s impulse trainings, the most this programme allows.",
                n=limit,
            )
        )


def _existing(enrolment: Enrolment, session_id: int) -> Booking | None:
    return db.session.scalar(
        select(Booking).where(
            Booking.enrolment_id == enrolment.id, Booking.session_id == session_id
        )
    )


def book(
    enrolment: Enrolment,
    session_id: int,
    *,
    actor,
    now: datetime,
    over_capacity: bool = False,
    reason: str = "",
    quiet: bool = False,
) -> Booking:
    """Take a seat, or a place on the waiting list when the session is full.

    `over_capacity` (organisers only) books even a full session; the history records it.
    """
    if over_capacity and not reason.strip():
        raise BookingRefused(_l("Please give a reason for booking over capacity."))
    training_session = lock_session(session_id)
    _check_bookable(enrolment, training_session, now)
    _check_impulse_quota(enrolment, training_session)
    booking = _existing(enrolment, session_id)
    if booking is not None and booking.is_active:
        raise BookingRefused(_l("You are already booked for this session."))
    has_seat = queries.booked_count(session_id) < training_session.capacity_max
    status = BookingStatus.BOOKED if has_seat or over_capacity else BookingStatus.WAITLISTED
    if booking is None:
        booking = Booking(enrolment=enrolment, session_id=session_id, status=status.value)
        db.session.add(booking)
    booking.status = status.value
    booking.requested_at = now
    booking.cancelled_at = None
    booking.over_capacity = over_capacity and not has_seat
    db.session.flush()
    action = "booked_over_capacity" if booking.over_capacity else f"{status.value}"
    record(enrolment, action=action, actor=actor, session_id=session_id, now=now, reason=reason)
    notifications.plan_booking(booking, now=now)
    if not quiet:
        _tell(booking, Reason(f"booking_{status.value}"), now=now)
    return booking


def cancel(
    booking: Booking,
    *,
    actor,
    now: datetime,
    reason: str = "",
    by_organiser: bool = False,
    quiet: bool = False,
) -> None:
    """Give the seat back; the first person waiting gets it in the same transaction."""
    training_session = lock_session(booking.session_id)
    db.session.refresh(booking)
    if not booking.is_active:
        raise BookingRefused(_l("This booking is already cancelled."))
    if not by_organiser:
        _check_cutoff(booking, training_session, now)
    was_booked = booking.is_booked
    booking.status = BookingStatus.CANCELLED.value
    booking.cancelled_at = now
    db.session.flush()
    record(
        booking.enrolment,
        action="cancelled",
        actor=actor,
        session_id=training_session.id,
        now=now,
        reason=reason,
    )
    notifications.plan_booking(booking, now=now)
    if not quiet:
        _tell(booking, Reason.BOOKING_CANCELLED, now=now)
    if was_booked:
        promote_waiting(training_session, now=now)


def _check_cutoff(booking: Booking, training_session: TrainingSession, now: datetime) -> None:
    hours = booking.enrolment.cohort.programme.cancellation_cutoff_hours
    if now > training_session.starts_at - timedelta(hours=hours):
        raise BookingRefused(
            _l(
                "Bookings can be cancelled or moved up to %(n)s hours before the session starts. "
                "Please contact the organisers.",
                n=hours,
            )
        )


def promote_waiting(training_session: TrainingSession, *, now: datetime) -> list[Booking]:
    """Fill free seats from the waiting list, first come first served. Caller holds the lock."""
    promoted = []
    while queries.booked_count(training_session.id) < training_session.capacity_max:
        waiting = queries.first_waiting(training_session.id)
        if waiting is None:
            break
        waiting.status = BookingStatus.BOOKED.value
        db.session.flush()
        record(
            waiting.enrolment,
            action="promoted",
            actor=None,
            session_id=training_session.id,
            now=now,
        )
        notifications.plan_booking(waiting, now=now)
        _tell(waiting, Reason.BOOKING_PROMOTED, now=now)
        promoted.append(waiting)
    return promoted


def move(booking: Booking, target_session_id: int, *, actor, now: datetime) -> Booking:
    """Swap a booked impulse training for another slot of the same group that has a free seat."""
    sessions = lock_sessions([booking.session_id, target_session_id])
    source, target = sessions[booking.session_id], sessions[target_session_id]
    db.session.refresh(booking)
    enrolment = booking.enrolment
    if not booking.is_active:
        raise BookingRefused(_l("This booking is already cancelled."))
    if target.id == source.id:
        raise BookingRefused(_l("Please choose another session."))
    if target.kind != source.kind or target.target_group_id != source.target_group_id:
        raise BookingRefused(_l("You can only move to another slot of the same kind and group."))
    _check_cutoff(booking, source, now)
    _check_bookable(enrolment, target, now)
    existing = _existing(enrolment, target.id)
    if existing is not None and existing.is_active:
        raise BookingRefused(_l("You are already booked for this session."))
    if queries.booked_count(target.id) >= target.capacity_max:
        raise BookingRefused(_l("The chosen session has no free seat."))
    was_booked = booking.is_booked
    booking.status = BookingStatus.CANCELLED.value
    booking.cancelled_at = now
    new_booking = existing or Booking(enrolment=enrolment, session_id=target.id)
    new_booking.status = BookingStatus.BOOKED.value
    new_booking.requested_at = now
    new_booking.cancelled_at = None
    new_booking.over_capacity = False
    db.session.add(new_booking)
    db.session.flush()
    record(
        enrolment,
        action="moved",
        actor=actor,
        session_id=target.id,
        now=now,
        reason=f"{source.title} → {target.title}",
    )
    notifications.plan_booking(booking, new_booking, now=now)
    _tell(new_booking, Reason.BOOKING_MOVED, now=now, previous=source)
    if was_booked:
        promote_waiting(source, now=now)
    return new_booking


def book_for_everyone_and_kickoff(enrolment: Enrolment, *, actor, now: datetime) -> list[Booking]:
    """On approval: the sessions for all groups and the kick-off of the person's own group."""
    sessions = db.session.scalars(
        select(TrainingSession)
        .where(
            TrainingSession.cohort_id == enrolment.cohort_id,
            TrainingSession.status == "scheduled",
            TrainingSession.starts_at > now,
            db.or_(
                TrainingSession.target_group_id.is_(None),
                db.and_(
                    TrainingSession.target_group_id == enrolment.target_group_id,
                    TrainingSession.kind == SessionKind.KICKOFF.value,
                ),
            ),
        )
        .order_by(TrainingSession.starts_at)
    ).all()
    bookings = []
    for training_session in sessions:
        existing = _existing(enrolment, training_session.id)
        if existing is not None and existing.is_active:
            continue
        bookings.append(book(enrolment, training_session.id, actor=actor, now=now, quiet=True))
    return bookings


def _tell(booking: Booking, reason: Reason, *, now: datetime, previous=None) -> None:
    notifications.tell_booking(booking, reason, now=now, previous_session=previous)
