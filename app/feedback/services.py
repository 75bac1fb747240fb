"""Giving feedback: who may, until when. Services flush; the view commits."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.bookings.models import Attendance, Booking
from app.errors import Refusal
from app.extensions import db
from app.feedback.models import COMMENT_MAX_LENGTH, RATINGS, SessionFeedback

# Feedback is taken until this long after the session's end (the request goes out 2 hours after).
FEEDBACK_WINDOW = timedelta(days=30)


class FeedbackRefused(Refusal):
    """Feedback that could not be taken."""


@dataclass(frozen=True)
class FeedbackState:
    """For the participant's session page: whether the form is shown, and what was given."""

    open: bool
    closes_at: datetime | None
    given: SessionFeedback | None


def _refusal(booking: Booking | None, now: datetime):
    """Why this booking cannot give feedback now, or None."""
    if booking is None or not booking.is_booked:
        return _l("Only people who had a seat in the session can give feedback.")
    training_session = booking.training_session
    if training_session.is_cancelled:
        return _l("This session has been cancelled.")
    if now < training_session.ends_at:
        return _l("Feedback can be given once the session is over.")
    if now > training_session.ends_at + FEEDBACK_WINDOW:
        return _l("Feedback for this session is closed.")
    if booking.attendance in {Attendance.ABSENT, Attendance.EXCUSED}:
        return _l("Feedback is for the people who took part in the session.")
    return None


def feedback_of(booking: Booking) -> SessionFeedback | None:
    return db.session.scalar(
        select(SessionFeedback).where(SessionFeedback.booking_id == booking.id)
    )


def state(booking: Booking | None, *, now: datetime) -> FeedbackState:
    given = feedback_of(booking) if booking is not None else None
    open_ = _refusal(booking, now) is None
    closes_at = booking.training_session.ends_at + FEEDBACK_WINDOW if open_ else None
    return FeedbackState(open=open_, closes_at=closes_at, given=given)


def give(booking: Booking | None, *, rating: int, comment: str, now: datetime) -> SessionFeedback:
    """Record or change the person's feedback on the session of `booking`."""
    refusal = _refusal(booking, now)
    if refusal is not None:
        raise FeedbackRefused(refusal)
    if rating not in RATINGS:
        raise FeedbackRefused(_l("Please choose a rating from 1 to 5."), field="rating")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise FeedbackRefused(
            _l("The comment can have at most %(max)s characters.", max=COMMENT_MAX_LENGTH),
            field="comment",
        )
    feedback = feedback_of(booking)
    if feedback is None:
        feedback = SessionFeedback(
            booking_id=booking.id, session_id=booking.session_id, created_at=now
        )
        db.session.add(feedback)
    feedback.rating = rating
    feedback.comment = comment
    feedback.updated_at = now
    db.session.flush()
    return feedback
