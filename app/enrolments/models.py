from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class EnrolmentStatus(StrEnum):
    APPLIED = "applied"
    APPROVED = "approved"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"


STATUS_LABELS = {
    EnrolmentStatus.APPLIED: _l("applied"),
    EnrolmentStatus.APPROVED: _l("approved"),
    EnrolmentStatus.WAITLISTED: _l("waiting list"),
    EnrolmentStatus.REJECTED: _l("rejected"),
    EnrolmentStatus.WITHDRAWN: _l("withdrawn"),
    EnrolmentStatus.COMPLETED: _l("completed"),
}

# Which decisions an organiser (or the person, for "withdrawn") may take from which state.
TRANSITIONS = {
    EnrolmentStatus.APPLIED: {
        EnrolmentStatus.APPROVED,
        EnrolmentStatus.WAITLISTED,
        EnrolmentStatus.REJECTED,
        EnrolmentStatus.WITHDRAWN,
    },
    EnrolmentStatus.WAITLISTED: {
        EnrolmentStatus.APPROVED,
        EnrolmentStatus.REJECTED,
        EnrolmentStatus.WITHDRAWN,
    },
    EnrolmentStatus.APPROVED: {EnrolmentStatus.WITHDRAWN, EnrolmentStatus.COMPLETED},
    EnrolmentStatus.REJECTED: {EnrolmentStatus.APPROVED},
    EnrolmentStatus.WITHDRAWN: set(),
    EnrolmentStatus.COMPLETED: set(),
}


class Enrolment(db.Model):
    """A person in a cohort for one target group, with their eligibility answers and consent."""

    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id"),
        CheckConstraint(
            "status IN ('applied', 'approved', 'waitlisted', 'rejected', 'withdrawn', 'completed')",
            name="status_known",
        ),
        Index("ix_enrolments_cohort_status", "cohort_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_group_id: Mapped[int] = mapped_column(
        ForeignKey("target_groups.id", ondelete="RESTRICT")
    )
    status: Mapped[str] = mapped_column(String(20), default=EnrolmentStatus.APPLIED.value)
    organisation: Mapped[str] = mapped_column(String(200))
    job_function: Mapped[str] = mapped_column(String(200))
    # The criteria the person confirmed, as they read them: [{"id": 3, "text": "..."}].
    confirmed_criteria: Mapped[list] = mapped_column(JSON, default=list)
    consent_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    cohort = relationship("Cohort")
    user = relationship("User")
    target_group = relationship("TargetGroup")
    events: Mapped[list["EnrolmentEvent"]] = relationship(
        back_populates="enrolment",
        order_by="EnrolmentEvent.id",
        cascade="all, delete-orphan",
    )
    bookings = relationship("Booking", back_populates="enrolment", cascade="all, delete-orphan")

    @property
    def is_approved(self) -> bool:
        return self.status == EnrolmentStatus.APPROVED

    @property
    def is_open(self) -> bool:
        """Still in the programme or waiting for a decision."""
        return self.status in {
            EnrolmentStatus.APPLIED,
            EnrolmentStatus.APPROVED,
            EnrolmentStatus.WAITLISTED,
        }

    def can_move_to(self, status: EnrolmentStatus) -> bool:
        return status in TRANSITIONS[EnrolmentStatus(self.status)]

    def __repr__(self) -> str:
        return f"<Enrolment {self.id} {self.status}>"


class EnrolmentEvent(db.Model):
    """One line of an enrolment's history: who did what, when, from which state to which, why."""

    __tablename__ = "enrolment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text, default="")

    enrolment: Mapped[Enrolment] = relationship(back_populates="events")
    actor = relationship("User")
    training_session = relationship("TrainingSession")
