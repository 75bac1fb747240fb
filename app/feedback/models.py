from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

RATINGS = (1, 2, 3, 4, 5)
COMMENT_MAX_LENGTH = 2000


class SessionFeedback(db.Model):
    """One person's feedback on one session they had a seat in: a rating and a comment.

    It hangs on the booking (one per booking, changed in place), so it goes with the booking:
    when the person leaves, deletes their account or retention erases the cohort.
    """

    __tablename__ = "session_feedback"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_1_to_5"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), unique=True
    )
    # Denormalised from the booking: the summaries per session are one indexed query.
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    rating: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    booking = relationship("Booking")

    def __repr__(self) -> str:
        return f"<SessionFeedback {self.id} {self.rating}>"
