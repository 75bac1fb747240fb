"""The outbox: one row per e-mail to one person for one reason, and the sign-up drafts.

A row is rendered only when it is sent (in the recipient's language, with the session's current
data), so it stores what the message is about, not its text. `dedup_key` is unique: planning the
same reminder twice finds the existing row instead of adding another.
"""

from datetime import datetime
from email.utils import make_msgid
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class NotificationState(StrEnum):
    PENDING = "pending"  # waiting for its due time (or for the next attempt)
    SENDING = "sending"  # claimed by one dispatcher, which is sending it right now
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt; organisers can resend it
    DROPPED = "dropped"  # no longer wanted (booking cancelled, too late, superseded …)


class Reason(StrEnum):
    ENROLMENT_RECEIVED = "enrolment_received"
    ENROLMENT_APPROVED = "enrolment_approved"
    ENROLMENT_PROMOTED = "enrolment_promoted"
    ENROLMENT_REJECTED = "enrolment_rejected"
    ENROLMENT_WAITLISTED = "enrolment_waitlisted"
    ENROLMENT_WITHDRAWN = "enrolment_withdrawn"
    BOOKING_BOOKED = "booking_booked"
    BOOKING_WAITLISTED = "booking_waitlisted"
    BOOKING_PROMOTED = "booking_promoted"
    BOOKING_CANCELLED = "booking_cancelled"
    BOOKING_MOVED = "booking_moved"
    SESSION_CHANGED = "session_changed"
    SESSION_CANCELLED = "session_cancelled"
    AGENDA_PUBLISHED = "agenda_published"
    REMINDER = "reminder"
    FEEDBACK_REQUEST = "feedback_request"
    CERTIFICATE_ISSUED = "certificate_issued"
    MINIMUM_ALERT = "minimum_alert"
    SIGNUP_CLOSING = "signup_closing"
    COACH_ASSIGNED = "coach_assigned"
    COACH_UNASSIGNED = "coach_unassigned"
    COACH_SESSION_CHANGED = "coach_session_changed"
    COACH_SESSION_CANCELLED = "coach_session_cancelled"


# Messages to a session's coaches (a coach holds no booking; the session is theirs to run).
COACH_REASONS = frozenset(
    {
        Reason.COACH_ASSIGNED,
        Reason.COACH_UNASSIGNED,
        Reason.COACH_SESSION_CHANGED,
        Reason.COACH_SESSION_CANCELLED,
    }
)

# Messages planned ahead for participants; a cohort's pause holds exactly these.
SCHEDULED_REASONS = frozenset({Reason.REMINDER, Reason.FEEDBACK_REQUEST, Reason.SIGNUP_CLOSING})


def new_message_id() -> str:
    return make_msgid(domain="fahrplan.local")


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(
            "state IN ('pending', 'sending', 'sent', 'failed', 'dropped')", name="state_known"
        ),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        # The dispatcher's question: which pending rows are due?
        Index("ix_notifications_state_due_at", "state", "due_at"),
        Index("ix_notifications_cohort_state", "cohort_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    # What the message is about: every programme message belongs to a cohort (outbox, pause).
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    enrolment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"), index=True
    )
    # Small values the text needs that the objects no longer hold (a decision's reason, the
    # previous time of a rescheduled session, a download link).
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    # Kept across attempts, so a message that is retried is still one message for mail clients.
    message_id: Mapped[str] = mapped_column(String(255), default=new_message_id)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(10), default=NotificationState.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    # After a failed attempt: not before this instant (exponential backoff).
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Why a row was dropped, e.g. "booking_cancelled" (see outbox.DROP_NOTES).
    drop_note: Mapped[str] = mapped_column(String(40), default="")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")
    cohort = relationship("Cohort")
    training_session = relationship("TrainingSession")
    booking = relationship("Booking")
    enrolment = relationship("Enrolment")

    @property
    def is_pending(self) -> bool:
        return self.state == NotificationState.PENDING

    @property
    def can_be_resent(self) -> bool:
        return self.state == NotificationState.FAILED

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.reason} {self.state}>"


class SignupDraft(db.Model):
    """A signed-in person opened a cohort's sign-up form: "started" for the closing reminder."""

    __tablename__ = "signup_drafts"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cohort = relationship("Cohort")
    user = relationship("User")
