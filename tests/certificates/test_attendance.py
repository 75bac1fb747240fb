"""Attendance: from the session's start on, only for people with a seat, kept in the history."""

from datetime import timedelta

import pytest
from flask_babel import force_locale

from app.bookings.attendance import (
    AttendanceRefused,
    mark_everyone_attended,
    record_attendance,
    record_sheet,
    sheet,
)
from app.bookings.models import Attendance, Booking, BookingStatus
from app.bookings.services import book
from app.enrolments.models import EnrolmentEvent
from app.extensions import db
from app.programs.models import CohortStatus
from tests.certificates.helpers import NOW, demo_cohort, enrol, participant_sessions
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def english(app):
    """Refusals are read in English here, whatever the catalogues say."""
    with force_locale("en"):
        yield


@pytest.fixture
def cohort(app):
    return demo_cohort()


@pytest.fixture
def kickoff(cohort):
    return participant_sessions(cohort)["kickoff"][0]


def seated(cohort, training_session, count=1):
    bookings = []
    for _ in range(count):
        enrolment = enrol(cohort)
        bookings.append(book(enrolment, training_session.id, actor=None, now=NOW, quiet=True))
    db.session.commit()
    return bookings


def test_not_before_the_session_starts(cohort, kickoff):
    (booking,) = seated(cohort, kickoff)
    with pytest.raises(AttendanceRefused, match="once the session has started"):
        record_attendance(
            booking, Attendance.ATTENDED, actor=None, now=kickoff.starts_at - timedelta(seconds=1)
        )
    assert record_attendance(booking, Attendance.ATTENDED, actor=None, now=kickoff.starts_at)
    db.session.commit()
    assert db.session.get(Booking, booking.id).attendance == "attended"


def test_only_people_with_a_seat(cohort, kickoff):
    kickoff.capacity_max = 1
    db.session.commit()
    seat, waiting = seated(cohort, kickoff, 2)
    assert waiting.status == BookingStatus.WAITLISTED
    with pytest.raises(AttendanceRefused, match="seat"):
        record_attendance(waiting, Attendance.ATTENDED, actor=None, now=kickoff.starts_at)
    with pytest.raises(AttendanceRefused, match="seat"):
        record_sheet(kickoff, {waiting.id: Attendance.ATTENDED}, actor=None, now=kickoff.ends_at)
    # A booking of another session cannot be smuggled into this session's sheet either.
    other = participant_sessions(cohort)["impulse"][0]
    (elsewhere,) = seated(cohort, other)
    with pytest.raises(AttendanceRefused):
        record_sheet(kickoff, {elsewhere.id: Attendance.ABSENT}, actor=None, now=kickoff.ends_at)
    assert [b.id for b in sheet(kickoff)] == [seat.id]


def test_cancelled_sessions_and_archived_cohorts_take_no_attendance(cohort, kickoff):
    (booking,) = seated(cohort, kickoff)
    kickoff.status = "cancelled"
    db.session.commit()
    with pytest.raises(AttendanceRefused, match="cancelled"):
        record_attendance(booking, Attendance.ATTENDED, actor=None, now=kickoff.ends_at)
    kickoff.status = "scheduled"
    cohort.status = CohortStatus.ARCHIVED.value
    db.session.commit()
    with pytest.raises(AttendanceRefused, match="archived"):
        record_attendance(booking, Attendance.ATTENDED, actor=None, now=kickoff.ends_at)


def test_changes_are_kept_in_the_enrolment_history(cohort, kickoff):
    coach = UserFactory(role="coach")
    (booking,) = seated(cohort, kickoff)
    record_attendance(booking, Attendance.ABSENT, actor=coach, now=kickoff.ends_at)
    assert not record_attendance(booking, Attendance.ABSENT, actor=coach, now=kickoff.ends_at)
    record_attendance(booking, Attendance.EXCUSED, actor=coach, now=kickoff.ends_at)
    db.session.commit()
    events = (
        db.session.query(EnrolmentEvent)
        .filter_by(enrolment_id=booking.enrolment_id, action="attendance")
        .order_by(EnrolmentEvent.id)
        .all()
    )
    assert [(e.from_status, e.to_status, e.actor_id, e.session_id) for e in events] == [
        (None, "absent", coach.id, kickoff.id),
        ("absent", "excused", coach.id, kickoff.id),
    ]


def test_everyone_attended_marks_only_the_unmarked(cohort, kickoff):
    first, second, third = seated(cohort, kickoff, 3)
    record_attendance(second, Attendance.EXCUSED, actor=None, now=kickoff.ends_at)
    assert mark_everyone_attended(kickoff, actor=None, now=kickoff.ends_at) == 2
    db.session.commit()
    marks = {b.id: b.attendance for b in sheet(kickoff)}
    assert marks == {first.id: "attended", second.id: "excused", third.id: "attended"}
    assert mark_everyone_attended(kickoff, actor=None, now=kickoff.ends_at) == 0


def test_a_whole_sheet_at_once(cohort, kickoff):
    first, second = seated(cohort, kickoff, 2)
    changed = record_sheet(
        kickoff,
        {first.id: Attendance.ATTENDED, second.id: Attendance.ABSENT},
        actor=None,
        now=kickoff.ends_at,
    )
    assert changed == 2
    db.session.commit()
    assert {b.id: b.attendance for b in sheet(kickoff)} == {
        first.id: "attended",
        second.id: "absent",
    }
