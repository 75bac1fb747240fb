"""What the participant's pages show, gathered in a few queries."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.bookings import queries
from app.bookings.models import Booking, BookingStatus
from app.enrolments.models import Enrolment
from app.extensions import db
from app.sessions.models import SessionKind, TrainingSession


@dataclass
class BookingLine:
    booking: Booking
    training_session: TrainingSession
    waitlist_position: int | None


@dataclass
class Slot:
    training_session: TrainingSession
    free: int
    waiting: int
    booking: Booking | None


@dataclass
class EnrolmentOverview:
    enrolment: Enrolment
    lines: list[BookingLine] = field(default_factory=list)
    impulse_slots: list[Slot] = field(default_factory=list)
    impulse_booked: int = 0


def enrolments_of(user) -> list[Enrolment]:
    return db.session.scalars(
        select(Enrolment)
        .where(Enrolment.user_id == user.id)
        .options(
            selectinload(Enrolment.bookings).selectinload(Booking.training_session),
            selectinload(Enrolment.cohort),
            selectinload(Enrolment.target_group),
        )
        .order_by(Enrolment.created_at.desc())
    ).all()


def overview(enrolment: Enrolment) -> EnrolmentOverview:
    result = EnrolmentOverview(enrolment=enrolment)
    active = [b for b in enrolment.bookings if b.status != BookingStatus.CANCELLED.value]
    for booking in sorted(active, key=lambda b: b.training_session.starts_at):
        result.lines.append(
            BookingLine(booking, booking.training_session, queries.waitlist_position(booking))
        )
    result.impulse_booked = sum(
        1 for b in active if b.training_session.kind == SessionKind.IMPULSE.value
    )
    slots = db.session.scalars(queries.impulse_slots(enrolment)).all()
    counts = queries.seat_counts(s.id for s in slots)
    by_session = {b.session_id: b for b in active}
    for slot in slots:
        result.impulse_slots.append(
            Slot(
                training_session=slot,
                free=queries.free_seats(slot, counts[slot.id]["booked"]),
                waiting=counts[slot.id]["waitlisted"],
                booking=by_session.get(slot.id),
            )
        )
    return result


def booking_of(user, training_session: TrainingSession) -> Booking | None:
    return db.session.scalar(
        select(Booking)
        .join(Enrolment, Enrolment.id == Booking.enrolment_id)
        .where(
            Enrolment.user_id == user.id,
            Booking.session_id == training_session.id,
            Booking.status != BookingStatus.CANCELLED.value,
        )
    )


def move_targets(data: EnrolmentOverview, booking: Booking) -> list[Slot]:
    """Other impulse slots of the person's group with a free seat and no booking of theirs."""
    if booking.training_session.kind != SessionKind.IMPULSE.value:
        return []
    return [
        slot
        for slot in data.impulse_slots
        if slot.booking is None and slot.free > 0 and slot.training_session.id != booking.session_id
    ]


def calendar_entries(user) -> list[tuple[TrainingSession, bool]]:
    """The person's booked and waiting sessions for their calendar feed: (session, has_seat)."""
    rows = db.session.execute(
        select(TrainingSession, Booking.status)
        .join(Booking, Booking.session_id == TrainingSession.id)
        .join(Enrolment, Enrolment.id == Booking.enrolment_id)
        .where(
            Enrolment.user_id == user.id,
            Booking.status != BookingStatus.CANCELLED.value,
        )
        .options(selectinload(TrainingSession.cohort))
        .order_by(TrainingSession.starts_at)
    ).all()
    return [(s, status == BookingStatus.BOOKED.value) for s, status in rows]
