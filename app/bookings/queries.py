"""Read-only questions about seats and waiting lists, answered in SQL (no N+1)."""

from collections.abc import Iterable

from sqlalchemy import Select, and_, func, or_, select

from app.bookings.models import Booking, BookingStatus
from app.extensions import db
from app.sessions.models import SessionKind, SessionStatus, TrainingSession


def impulse_slots(enrolment) -> Select:
    """The scheduled impulse trainings of the enrolment's cohort and target group, in time
    order: the slots the person chooses from (callers may narrow it further)."""
    return (
        select(TrainingSession)
        .where(
            TrainingSession.cohort_id == enrolment.cohort_id,
            TrainingSession.target_group_id == enrolment.target_group_id,
            TrainingSession.kind == SessionKind.IMPULSE.value,
            TrainingSession.status == SessionStatus.SCHEDULED.value,
        )
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    )


def booked_count(session_id: int) -> int:
    return db.session.scalar(
        select(func.count(Booking.id)).where(
            Booking.session_id == session_id, Booking.status == BookingStatus.BOOKED.value
        )
    )


def seat_counts(session_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """{session_id: {"booked": n, "waitlisted": m}} for many sessions in one query."""
    ids = list(session_ids)
    counts = {session_id: {"booked": 0, "waitlisted": 0} for session_id in ids}
    if not ids:
        return counts
    rows = db.session.execute(
        select(Booking.session_id, Booking.status, func.count(Booking.id))
        .where(
            Booking.session_id.in_(ids),
            Booking.status.in_([BookingStatus.BOOKED.value, BookingStatus.WAITLISTED.value]),
        )
        .group_by(Booking.session_id, Booking.status)
    )
    for session_id, status, number in rows:
        counts[session_id][status] = number
    return counts


def free_seats(training_session: TrainingSession, booked: int) -> int:
    return max(training_session.capacity_max - booked, 0)


def first_waiting(session_id: int) -> Booking | None:
    return db.session.scalar(
        select(Booking)
        .where(Booking.session_id == session_id, Booking.status == BookingStatus.WAITLISTED.value)
        .order_by(Booking.requested_at, Booking.id)
        .limit(1)
    )


def waitlist_position(booking: Booking) -> int | None:
    """1 for the first person waiting; None when the booking is not on the waiting list."""
    if not booking.is_waitlisted:
        return None
    ahead = db.session.scalar(
        select(func.count(Booking.id)).where(
            Booking.session_id == booking.session_id,
            Booking.status == BookingStatus.WAITLISTED.value,
            or_(
                Booking.requested_at < booking.requested_at,
                and_(Booking.requested_at == booking.requested_at, Booking.id < booking.id),
            ),
        )
    )
    return ahead + 1


def seat_counts_for_cohort(cohort_id: int) -> dict[int, dict[str, int]]:
    """`seat_counts` for the sessions of a cohort that have bookings, in one query."""
    counts: dict[int, dict[str, int]] = {}
    rows = db.session.execute(
        select(Booking.session_id, Booking.status, func.count(Booking.id))
        .join(TrainingSession, TrainingSession.id == Booking.session_id)
        .where(
            TrainingSession.cohort_id == cohort_id,
            Booking.status.in_([BookingStatus.BOOKED.value, BookingStatus.WAITLISTED.value]),
        )
        .group_by(Booking.session_id, Booking.status)
    )
    for session_id, status, number in rows:
        counts.setdefault(session_id, {"booked": 0, "waitlisted": 0})[status] = number
    return counts
