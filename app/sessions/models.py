from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class SessionKind(StrEnum):
    INFO = "info"
    KICKOFF = "kickoff"
    IMPULSE = "impulse"
    CLOSING = "closing"
    OTHER = "other"


class SessionFormat(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


session_coaches = Table(
    "session_coaches",
    db.metadata,
    Column("session_id", ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class TrainingSession(db.Model):
    """One meeting of a cohort, for everyone or for one target group."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity_min >= 0 AND capacity_max >= capacity_min", name="capacity"),
        CheckConstraint("topic_block IS NULL OR topic_block BETWEEN 1 AND 3", name="block_1_to_3"),
        CheckConstraint(
            "kind IN ('info', 'kickoff', 'impulse', 'closing', 'other')", name="kind_known"
        ),
        CheckConstraint("format IN ('online', 'in_person')", name="format_known"),
        CheckConstraint("status IN ('scheduled', 'cancelled')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    target_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("target_groups.id", ondelete="RESTRICT")
    )
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(20), default=SessionFormat.ONLINE.value)
    meeting_url: Mapped[str] = mapped_column(String(500), default="")
    location: Mapped[str] = mapped_column(String(500), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity_min: Mapped[int] = mapped_column(default=0)
    capacity_max: Mapped[int] = mapped_column(default=100)
    topic_block: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), default=SessionStatus.SCHEDULED.value)
    cancellation_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    cohort = relationship("Cohort", back_populates="sessions")
    target_group = relationship("TargetGroup")
    coaches = relationship("User", secondary=session_coaches, lazy="selectin")

    @property
    def is_for_everyone(self) -> bool:
        return self.target_group_id is None

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    def is_coached_by(self, user) -> bool:
        return bool(user and user.is_authenticated) and any(c.id == user.id for c in self.coaches)

    def __repr__(self) -> str:
        return f"<TrainingSession {self.id} {self.kind}>"
