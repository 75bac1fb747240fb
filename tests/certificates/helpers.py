"""Building blocks for attendance and certificate tests, on the demo cohort.

The demo cohort (seed 004) runs from late September to December 2026: bookings are made at
`NOW` (before every session), attendance is recorded at `AFTER` (after every session).
"""

from datetime import UTC, datetime

from app.bookings.attendance import record_attendance
from app.bookings.models import Attendance, Booking
from app.bookings.services import book
from app.extensions import db
from app.sessions.models import SessionKind
from tests.enrolments.helpers import NOW, demo_cohort, enrol, group

AFTER = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)

__all__ = ["AFTER", "NOW", "demo_cohort", "enrol", "participant_sessions", "take_part"]


def participant_sessions(cohort, group_slug: str = "verkehrsplanung") -> dict[str, list]:
    """The sessions one person of the group can attend, by kind, in time order."""
    target = group(cohort, group_slug)
    sessions: dict[str, list] = {kind.value: [] for kind in SessionKind}
    for training_session in cohort.sessions:
        if training_session.target_group_id in (None, target.id):
            sessions[training_session.kind].append(training_session)
    return sessions


def book_and_attend(enrolment, training_sessions, attendance=Attendance.ATTENDED, *, actor=None):
    for training_session in training_sessions:
        booking = db.session.query(Booking).filter_by(
            enrolment_id=enrolment.id, session_id=training_session.id
        ).one_or_none() or book(enrolment, training_session.id, actor=actor, now=NOW, quiet=True)
        if attendance is not None:
            record_attendance(booking, attendance, actor=actor, now=AFTER)
    db.session.commit()


def take_part(cohort, *, user=None, impulse: int = 2, kickoff=True, closing=True, info=True):
    """An approved enrolment that attended what the arguments say (the demo rule asks for the
    kick-off, two impulse trainings and the closing event)."""
    enrolment = enrol(cohort, user=user)
    sessions = participant_sessions(cohort)
    chosen = []
    if info:
        chosen += sessions["info"]
    if kickoff:
        chosen += sessions["kickoff"]
    chosen += sessions["impulse"][:impulse]
    if closing:
        chosen += sessions["closing"]
    book_and_attend(enrolment, chosen)
    return enrolment
