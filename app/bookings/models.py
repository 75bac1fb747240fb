from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class BookingStatus(StrEnum):
    BOOKED = "booked"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class Attendance(StrEnum):
    ATTENDED = "attended"
    EXCUSED = "excused"
    ABSENT = "absent"


class Booking(db.Model):
    """An enrolled person's seat (or place on the waiting list) in one session."""

    __tablename__ = "bookings"
    __table_args__ = (
        UniqueConstraint("session_id", "enrolment_id"),
        CheckConstraint("status IN ('booked', 'waitlisted', 'cancelled')", name="status_known"),
        CheckConstraint(
            "attendance IS NULL OR attendance IN ('attended', 'excused', 'absent')",
            name="attendance_known",
        ),
        Index("ix_bookings_session_status", "session_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    attendance: Mapped[str | None] = mapped_column(String(20))
    # Booked by an organiser beyond the session's capacity (recorded in the history too).
    over_capacity: Mapped[bool] = mapped_column(default=False)
    # The waiting list is served in the order of this instant (then by id).
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    training_session = relationship("TrainingSession")
    enrolment = relationship("Enrolment", back_populates="bookings")

    @property
    def is_booked(self) -> bool:
        return self.status == BookingStatus.BOOKED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == BookingStatus.WAITLISTED

    @property
    def is_active(self) -> bool:
        return self.status != BookingStatus.CANCELLED

    def __repr__(self) -> str:
        return f"<Booking {self.id} {self.status}>"
