"""Booking, waiting list, cancellation with promotion, moving, the organiser's override."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.bookings import queries
from app.bookings import services as bookings
from app.bookings.models import Booking, BookingStatus
from app.enrolments.models import EnrolmentEvent, EnrolmentStatus
from app.extensions import db
from tests.enrolments.helpers import NOW, before, demo_cohort, enrol, impulse_sessions
from tests.factories import UserFactory


@pytest.fixture
def cohort(app):
    return demo_cohort()


@pytest.fixture
def slot(cohort):
    training = impulse_sessions(cohort, "verkehrsplanung")[0]
    training.capacity_min, training.capacity_max = 0, 2
    db.session.commit()
    return training


def test_a_full_session_puts_people_on_the_waiting_list_in_order(cohort, slot):
    people = [enrol(cohort) for _ in range(4)]
    results = [
        bookings.book(p, slot.id, actor=p.user, now=NOW + timedelta(seconds=i))
        for i, p in enumerate(people)
    ]
    db.session.commit()
    assert [b.status for b in results] == ["booked", "booked", "waitlisted", "waitlisted"]
    assert [queries.waitlist_position(b) for b in results] == [None, None, 1, 2]


def test_cancelling_promotes_the_first_person_waiting_and_tells_them(cohort, slot, mailbox):
    people = [enrol(cohort) for _ in range(4)]
    first, _, third, fourth = (
        bookings.book(p, slot.id, actor=p.user, now=NOW + timedelta(seconds=i))
        for i, p in enumerate(people)
    )
    db.session.commit()
    bookings.cancel(first, actor=first.enrolment.user, now=NOW)
    db.session.commit()

    assert db.session.get(Booking, first.id).status == BookingStatus.CANCELLED
    assert db.session.get(Booking, third.id).status == BookingStatus.BOOKED
    assert db.session.get(Booking, fourth.id).status == BookingStatus.WAITLISTED
    assert queries.waitlist_position(db.session.get(Booking, fourth.id)) == 1
    promoted_mail = mailbox.for_recipient(third.enrolment.user.email)[-1]
    assert slot.title in " ".join(promoted_mail["Subject"].split())
    actions = db.session.scalars(
        select(EnrolmentEvent.action).where(EnrolmentEvent.enrolment_id == third.enrolment_id)
    ).all()
    assert actions == ["waitlisted", "promoted"]


def test_cancelling_a_waiting_place_promotes_nobody(cohort, slot):
    people = [enrol(cohort) for _ in range(3)]
    booked = [bookings.book(p, slot.id, actor=p.user, now=NOW) for p in people]
    bookings.cancel(booked[2], actor=people[2].user, now=NOW)
    db.session.commit()
    assert queries.seat_counts([slot.id])[slot.id] == {"booked": 2, "waitlisted": 0}


def test_cancellation_after_the_cut_off_is_refused_for_participants_only(cohort, slot):
    person = enrol(cohort)
    booking = bookings.book(person, slot.id, actor=person.user, now=NOW)
    db.session.commit()
    cutoff = cohort.programme.cancellation_cutoff_hours
    with pytest.raises(bookings.BookingRefused) as refused:
        bookings.cancel(booking, actor=person.user, now=before(slot, cutoff - 1))
    assert str(cutoff) in str(refused.value.message)
    db.session.rollback()
    bookings.cancel(
        booking, actor=UserFactory(role="organiser"), now=before(slot, 1), by_organiser=True
    )
    db.session.commit()
    assert db.session.get(Booking, booking.id).status == BookingStatus.CANCELLED


def test_only_approved_people_book_and_only_sessions_of_their_group(cohort, slot):
    applicant = enrol(cohort, status=EnrolmentStatus.APPLIED)
    with pytest.raises(bookings.BookingRefused):
        bookings.book(applicant, slot.id, actor=applicant.user, now=NOW)
    db.session.rollback()
    leader = enrol(cohort, "fuehrungsebene")
    with pytest.raises(bookings.BookingRefused):
        bookings.book(leader, slot.id, actor=leader.user, now=NOW)
    db.session.rollback()
    assert db.session.scalars(select(Booking)).all() == []


def test_the_number_of_impulse_trainings_is_limited_by_the_programme(cohort):
    cohort.programme.impulse_trainings_per_participant = 2
    db.session.commit()
    person = enrol(cohort)
    first, second, third = impulse_sessions(cohort, "verkehrsplanung")
    bookings.book(person, first.id, actor=person.user, now=NOW)
    bookings.book(person, second.id, actor=person.user, now=NOW)
    with pytest.raises(bookings.BookingRefused):
        bookings.book(person, third.id, actor=person.user, now=NOW)


def test_a_session_that_has_started_cannot_be_booked(cohort, slot):
    person = enrol(cohort)
    with pytest.raises(bookings.BookingRefused):
        bookings.book(person, slot.id, actor=person.user, now=slot.starts_at)


def test_moving_to_a_slot_with_room_frees_the_old_seat_for_the_next_waiting(cohort, slot):
    other_slot = impulse_sessions(cohort, "verkehrsplanung")[1]
    people = [enrol(cohort) for _ in range(3)]
    first, _, waiting = (bookings.book(p, slot.id, actor=p.user, now=NOW) for p in people)
    db.session.commit()
    moved = bookings.move(first, other_slot.id, actor=people[0].user, now=NOW)
    db.session.commit()

    assert moved.session_id == other_slot.id
    assert moved.is_booked
    assert db.session.get(Booking, first.id).status == BookingStatus.CANCELLED
    assert db.session.get(Booking, waiting.id).status == BookingStatus.BOOKED


def test_moving_to_a_full_slot_is_refused_and_keeps_the_booking(cohort, slot):
    other_slot = impulse_sessions(cohort, "verkehrsplanung")[1]
    other_slot.capacity_min, other_slot.capacity_max = 0, 1
    db.session.commit()
    mover, blocker = enrol(cohort), enrol(cohort)
    booking = bookings.book(mover, slot.id, actor=mover.user, now=NOW)
    bookings.book(blocker, other_slot.id, actor=blocker.user, now=NOW)
    db.session.commit()
    with pytest.raises(bookings.BookingRefused):
        bookings.move(booking, other_slot.id, actor=mover.user, now=NOW)
    db.session.rollback()
    assert db.session.get(Booking, booking.id).status == BookingStatus.BOOKED


def test_organisers_book_over_capacity_only_explicitly_and_the_history_says_so(cohort, slot):
    organiser = UserFactory(role="organiser")
    people = [enrol(cohort) for _ in range(3)]
    for person in people[:2]:
        bookings.book(person, slot.id, actor=organiser, now=NOW)
    plain = bookings.book(people[2], slot.id, actor=organiser, now=NOW)
    assert plain.is_waitlisted
    bookings.cancel(plain, actor=organiser, now=NOW, by_organiser=True)
    forced = bookings.book(
        people[2],
        slot.id,
        actor=organiser,
        now=NOW,
        over_capacity=True,
        reason="Referentin der Stadt",
    )
    db.session.commit()

    assert forced.is_booked
    assert forced.over_capacity
    assert queries.seat_counts([slot.id])[slot.id]["booked"] == 3
    event = db.session.scalars(
        select(EnrolmentEvent).where(EnrolmentEvent.action == "booked_over_capacity")
    ).one()
    assert (event.actor_id, event.reason, event.session_id) == (
        organiser.id,
        "Referentin der Stadt",
        slot.id,
    )


def test_over_capacity_needs_a_reason(cohort, slot):
    person = enrol(cohort)
    with pytest.raises(bookings.BookingRefused):
        bookings.book(
            person,
            slot.id,
            actor=UserFactory(role="organiser"),
            now=NOW,
            over_capacity=True,
            reason=" ",
        )


def test_withdrawing_gives_every_seat_back(cohort, slot):
    from app.enrolments import services

    people = [enrol(cohort) for _ in range(3)]
    held = [bookings.book(p, slot.id, actor=p.user, now=NOW) for p in people]
    services.withdraw(people[0], actor=people[0].user, now=NOW)
    db.session.commit()
    assert db.session.get(Booking, held[0].id).status == BookingStatus.CANCELLED
    assert db.session.get(Booking, held[2].id).status == BookingStatus.BOOKED
