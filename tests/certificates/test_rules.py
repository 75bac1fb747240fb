"""The certificate rule: each criterion, hours, and what counts as attended."""

from datetime import timedelta

import pytest
from flask_babel import force_locale

from app.bookings.attendance import record_attendance
from app.bookings.models import Attendance, Booking
from app.bookings.services import cancel
from app.certificates.rules import Progress, Requirements, describe, evaluate, standing_of
from app.extensions import db
from tests.certificates.helpers import (
    AFTER,
    book_and_attend,
    demo_cohort,
    enrol,
    participant_sessions,
    take_part,
)


def missing(enrolment) -> list[str]:
    with force_locale("en"):
        return [str(reason) for reason in standing_of(enrolment, now=AFTER).verdict.missing]


@pytest.fixture
def cohort(app):
    return demo_cohort()


def test_the_demo_rule_holds_with_kickoff_two_impulse_trainings_and_closing(cohort):
    enrolment = take_part(cohort)
    standing = standing_of(enrolment, now=AFTER)
    assert standing.verdict.eligible
    assert standing.verdict.missing == []
    assert standing.progress.impulse_attended == 2
    assert standing.progress.kickoff_attended
    assert standing.progress.closing_attended


def test_each_criterion_names_what_is_missing(cohort):
    assert missing(take_part(cohort, kickoff=False)) == ["Kick-off workshop not attended"]
    assert missing(take_part(cohort, closing=False)) == ["Closing event not attended"]
    assert missing(take_part(cohort, impulse=1)) == ["1 more impulse training"]
    assert missing(take_part(cohort, impulse=0, kickoff=False, closing=False)) == [
        "Kick-off workshop not attended",
        "2 more impulse trainings",
        "Closing event not attended",
    ]


def test_hours_are_the_sum_of_attended_sessions(cohort):
    cohort.programme.cert_min_hours = 14
    db.session.commit()
    enrolment = take_part(cohort)  # info 1.5 + kick-off 3 + 2 × 2 + closing 5 = 13.5 h
    standing = standing_of(enrolment, now=AFTER)
    assert standing.progress.hours == 13.5
    assert missing(enrolment) == ["0.5 more hours"]
    cohort.programme.cert_min_hours = 13.5
    db.session.commit()
    assert standing_of(enrolment, now=AFTER).verdict.eligible


def test_hours_alone_can_be_the_rule(cohort):
    programme = cohort.programme
    programme.cert_requires_kickoff = programme.cert_requires_closing = False
    programme.cert_min_impulse_trainings = 0
    programme.cert_min_hours = 4
    db.session.commit()
    assert missing(take_part(cohort, impulse=1, kickoff=False, closing=False, info=False)) == [
        "2 more hours"
    ]
    assert missing(take_part(cohort, impulse=2, kickoff=False, closing=False, info=False)) == []


def test_excused_and_absent_do_not_count(cohort):
    enrolment = enrol(cohort)
    sessions = participant_sessions(cohort)
    book_and_attend(enrolment, sessions["kickoff"], Attendance.EXCUSED)
    book_and_attend(enrolment, sessions["impulse"][:2], Attendance.ABSENT)
    book_and_attend(enrolment, sessions["closing"], None)
    standing = standing_of(enrolment, now=AFTER)
    assert standing.progress.attended == []
    assert standing.progress.impulse_booked == 2
    assert standing.progress.unrecorded == 1  # the closing event, booked and over, unmarked
    assert not standing.verdict.eligible


def test_a_cancelled_booking_or_session_does_not_count(cohort):
    enrolment = take_part(cohort)
    booking = (
        db.session.query(Booking)
        .filter_by(
            enrolment_id=enrolment.id, session_id=participant_sessions(cohort)["closing"][0].id
        )
        .one()
    )
    cancel(booking, actor=None, now=AFTER, by_organiser=True, quiet=True)
    db.session.commit()
    assert missing(enrolment) == ["Closing event not attended"]

    other = take_part(cohort)
    participant_sessions(cohort)["kickoff"][0].status = "cancelled"
    db.session.commit()
    assert missing(other) == ["Kick-off workshop not attended"]


def test_without_any_criterion_one_attended_session_is_needed(cohort):
    programme = cohort.programme
    programme.cert_requires_kickoff = programme.cert_requires_closing = False
    programme.cert_min_impulse_trainings = 0
    db.session.commit()
    nothing = take_part(cohort, impulse=0, kickoff=False, closing=False, info=False)
    assert missing(nothing) == ["No session attended yet"]
    assert missing(take_part(cohort, impulse=0, kickoff=False, closing=False)) == []


def test_attendance_recorded_later_changes_the_verdict(cohort):
    enrolment = take_part(cohort, closing=False)
    closing = participant_sessions(cohort)["closing"][0]
    book_and_attend(enrolment, [closing], None)
    assert not standing_of(enrolment, now=AFTER).verdict.eligible
    booking = db.session.query(Booking).filter_by(enrolment_id=enrolment.id, session_id=closing.id)
    record_attendance(booking.one(), Attendance.ATTENDED, actor=None, now=closing.ends_at)
    db.session.commit()
    assert standing_of(enrolment, now=closing.ends_at + timedelta(minutes=1)).verdict.eligible


def test_the_rule_in_words(app):
    with force_locale("en"):
        assert describe(Requirements(True, 2, True, None)) == (
            "Attended the kick-off workshop, at least 2 impulse trainings, and the closing event."
        )
        assert describe(Requirements(False, 0, False, 12.5)) == (
            "Attended at least 12.5 hours in total."
        )
        assert describe(Requirements(False, 0, False, None)) == (
            "Attended at least one session of the programme."
        )


def test_evaluate_needs_no_database():
    verdict = evaluate(Requirements(False, 1, False, None), Progress())
    assert not verdict.eligible
