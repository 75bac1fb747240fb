from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class CohortStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    RUNNING = "running"
    CLOSED = "closed"
    ARCHIVED = "archived"


programme_managers = Table(
    "programme_managers",
    db.metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Programme(db.Model):
    """A reusable format, e.g. "Mutig voran beim Klimaschutz im Verkehr"."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # How many of the eligibility criteria a participant must confirm (seed 004: at least one).
    eligibility_min_criteria: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    target_groups: Mapped[list["TargetGroup"]] = relationship(
        back_populates="programme", order_by="TargetGroup.position", cascade="all, delete-orphan"
    )
    eligibility_criteria: Mapped[list["EligibilityCriterion"]] = relationship(
        back_populates="programme",
        order_by="EligibilityCriterion.position",
        cascade="all, delete-orphan",
    )
    cohorts: Mapped[list["Cohort"]] = relationship(
        back_populates="programme", order_by="Cohort.signup_opens_at", cascade="all, delete-orphan"
    )
    managers = relationship("User", secondary=programme_managers, lazy="selectin")

    def can_manage(self, user) -> bool:
        if not user or not user.is_authenticated:
            return False
        return user.is_admin or (user.is_organiser and user in self.managers)

    def __repr__(self) -> str:
        return f"<Programme {self.slug}>"


class TargetGroup(db.Model):
    """E.g. Führungsebene: signs up separately and has its own question catalogue."""

    __tablename__ = "target_groups"
    __table_args__ = (UniqueConstraint("programme_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    programme: Mapped[Programme] = relationship(back_populates="target_groups")

    def __repr__(self) -> str:
        return f"<TargetGroup {self.slug}>"


class EligibilityCriterion(db.Model):
    """A statement a participant confirms at sign-up."""

    __tablename__ = "eligibility_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(default=0)

    programme: Mapped[Programme] = relationship(back_populates="eligibility_criteria")


class Cohort(db.Model):
    """One run of a programme, e.g. "Herbst 2026"."""

    __tablename__ = "cohorts"
    __table_args__ = (
        UniqueConstraint("programme_id", "slug"),
        CheckConstraint(
            "status IN ('draft', 'open', 'running', 'closed', 'archived')", name="status_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20), default=CohortStatus.DRAFT.value)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    signup_opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    signup_closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="cohorts")
    sessions = relationship(
        "TrainingSession",
        back_populates="cohort",
        order_by="TrainingSession.starts_at",
        cascade="all, delete-orphan",
    )

    @property
    def is_public(self) -> bool:
        return self.status != CohortStatus.DRAFT

    def is_open_for_signup(self, now: datetime) -> bool:
        return (
            self.status == CohortStatus.OPEN and self.signup_opens_at <= now < self.signup_closes_at
        )

    def can_manage(self, user) -> bool:
        return self.programme.can_manage(user)

    def __repr__(self) -> str:
        return f"<Cohort {self.slug}>"
