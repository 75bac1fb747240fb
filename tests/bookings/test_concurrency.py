"""Capacity under real concurrency: many connections booking one session at the same moment."""

import threading

import pytest
from sqlalchemy import select

from app.bookings import services as bookings
from app.bookings.models import Booking, BookingStatus
from app.extensions import db
from tests.enrolments.helpers import NOW, demo_cohort, enrol, impulse_sessions

ATTEMPTS = 40
SEATS = 8


@pytest.fixture
def config_overrides():
    # One pooled connection per attempt, so every attempt really runs on its own connection.
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": ATTEMPTS + 2, "max_overflow": 0}}


def _attempt(app, enrolment_id: int, session_id: int, barrier, outcomes: list) -> None:
    with app.app_context():
        from app.enrolments.models import Enrolment

        enrolment = db.session.get(Enrolment, enrolment_id)
        connection = db.session.connection().connection.dbapi_connection
        barrier.wait()
        try:
            booking = bookings.book(enrolment, session_id, actor=None, now=NOW, quiet=True)
            db.session.commit()
            outcomes.append((booking.status, id(connection)))
        except Exception as exc:  # noqa: BLE001 (recorded and asserted below)
            db.session.rollback()
            outcomes.append(("error", repr(exc)))
        finally:
            db.session.remove()


def test_forty_parallel_attempts_for_eight_seats_book_exactly_eight(app):
    cohort = demo_cohort()
    slot = impulse_sessions(cohort, "verkehrsplanung")[0]
    slot.capacity_max = SEATS
    db.session.commit()
    enrolment_ids = [enrol(cohort).id for _ in range(ATTEMPTS)]
    slot_id = slot.id
    db.session.remove()

    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list = []
    threads = [
        threading.Thread(target=_attempt, args=(app, eid, slot_id, barrier, outcomes))
        for eid in enrolment_ids
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    errors = [o for o in outcomes if o[0] == "error"]
    assert errors == []
    statuses = sorted(o[0] for o in outcomes)
    assert statuses.count("booked") == SEATS
    assert statuses.count("waitlisted") == ATTEMPTS - SEATS
    assert len({o[1] for o in outcomes}) == ATTEMPTS  # each attempt had its own connection

    rows = db.session.scalars(select(Booking).where(Booking.session_id == slot_id)).all()
    assert sum(r.is_booked for r in rows) == SEATS

    # Cancellations promote strictly in waiting-list order.
    waiting = sorted((r for r in rows if r.is_waitlisted), key=lambda r: (r.requested_at, r.id))
    booked = [r for r in rows if r.is_booked]
    for booking in booked[:3]:
        bookings.cancel(booking, actor=None, now=NOW, by_organiser=True, quiet=True)
        db.session.commit()
    promoted = db.session.scalars(
        select(Booking.id).where(
            Booking.session_id == slot_id, Booking.status == BookingStatus.BOOKED.value
        )
    ).all()
    assert {w.id for w in waiting[:3]} <= set(promoted)
    assert not {w.id for w in waiting[3:]} & set(promoted)
    assert len(promoted) == SEATS
