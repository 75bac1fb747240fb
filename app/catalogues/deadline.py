"""Until when a participant may add, change, delete and mark questions.

The window of an enrolment closes `Programme.question_deadline_hours` (default 48) before the
start of the participant's *next impulse training*:

1. the candidates are the impulse trainings of the enrolment's cohort and target group that are
   not cancelled and have not started yet (`starts_at > now`);
2. the next one is the earliest candidate the person holds an active booking for (booked or on
   the waiting list); without such a booking, the earliest candidate at all (so people still
   waiting for approval, or who have not chosen yet, may ask before the first training);
3. with no candidate left, or when the enrolment is no longer open (rejected, withdrawn,
   completed), the window is closed.

So questions always reach the coach of the next training before they prepare it: the window is
closed in the last `question_deadline_hours` before each of the person's trainings and opens
again for the following one once it has started.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.bookings.models import Booking, BookingStatus
from app.bookings.queries import impulse_slots
from app.enrolments.models import Enrolment
from app.extensions import db
from app.sessions.models import TrainingSession


@dataclass(frozen=True)
class QuestionWindow:
    next_session: TrainingSession | None
    closes_at: datetime | None
    is_open: bool


def question_window(enrolment: Enrolment, *, now: datetime) -> QuestionWindow:
    if not enrolment.is_open:
        return QuestionWindow(None, None, is_open=False)
    candidates = db.session.scalars(
        impulse_slots(enrolment).where(TrainingSession.starts_at > now)
    ).all()
    if not candidates:
        return QuestionWindow(None, None, is_open=False)
    held = set(
        db.session.scalars(
            select(Booking.session_id).where(
                Booking.enrolment_id == enrolment.id,
                Booking.status != BookingStatus.CANCELLED.value,
                Booking.session_id.in_([c.id for c in candidates]),
            )
        )
    )
    next_session = next((c for c in candidates if c.id in held), candidates[0])
    hours = enrolment.cohort.programme.question_deadline_hours
    closes_at = next_session.starts_at - timedelta(hours=hours)
    return QuestionWindow(next_session, closes_at, is_open=now < closes_at)
