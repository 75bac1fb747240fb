from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

DEFAULT_CONSENT_TEXT = (
    "Ich willige ein, dass meine Angaben (Name, E-Mail-Adresse, Kommune, Funktion, Zielgruppe "
    "und meine Fragen) zur Organisation und Durchführung des Programms verarbeitet und den "
    "Coaches meiner Termine zugänglich gemacht werden. Die Daten werden ein Jahr nach Abschluss "
    "des Durchgangs gelöscht. Ich kann meine Einwilligung jederzeit mit Wirkung für die Zukunft "
    "widerrufen, indem ich meine Anmeldung zurückziehe oder mein Konto lösche."
)


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


# Allowed status changes: one step forward, and back from open to draft while nobody depends on
# the cohort yet (checked by the service). Archived is final.
COHORT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    CohortStatus.DRAFT: (CohortStatus.OPEN,),
    CohortStatus.OPEN: (CohortStatus.RUNNING, CohortStatus.DRAFT),
    CohortStatus.RUNNING: (CohortStatus.CLOSED,),
    CohortStatus.CLOSED: (CohortStatus.ARCHIVED,),
    CohortStatus.ARCHIVED: (),
}


# Plausible session dates: from the opening of the sign-up window until two years after it closes.
# Earlier is a typo (nobody could have signed up yet); later is a typo in the year.
SESSION_HORIZON = timedelta(days=731)


class Programme(db.Model):
    """A reusable format, e.g. "Mutig voran beim Klimaschutz im Verkehr"."""

    __tablename__ = "programmes"
    __table_args__ = (
        CheckConstraint("eligibility_min_criteria >= 0", name="eligibility_min_not_negative"),
        CheckConstraint(
            "impulse_trainings_per_participant >= 0", name="impulse_per_participant_not_negative"
        ),
        CheckConstraint("cert_min_impulse_trainings >= 0", name="cert_min_impulse_not_negative"),
        CheckConstraint("cert_min_hours IS NULL OR cert_min_hours >= 0", name="cert_hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # How many of the eligibility criteria a participant must confirm (seed 004: at least one).
    eligibility_min_criteria: Mapped[int] = mapped_column(default=1)
    # How many impulse trainings each participant books (seed 004: three, one per Baustein).
    impulse_trainings_per_participant: Mapped[int] = mapped_column(
        default=3, server_default=text("3")
    )
    # Sign-ups are approved without an organiser looking at them.
    auto_approve: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The certificate rule: what an enrolment must have attended to earn the certificate.
    cert_requires_kickoff: Mapped[bool] = mapped_column(default=False, server_default=false())
    cert_min_impulse_trainings: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    cert_requires_closing: Mapped[bool] = mapped_column(default=False, server_default=false())
    cert_min_hours: Mapped[float | None] = mapped_column(Numeric(5, 1, asdecimal=False))
    # Shown at sign-up and stored with each enrolment as the text the person agreed to.
    consent_text: Mapped[str] = mapped_column(
        Text, default=DEFAULT_CONSENT_TEXT, server_default=DEFAULT_CONSENT_TEXT
    )
    # Participants cancel or move a booking up to this many hours before the session.
    cancellation_cutoff_hours: Mapped[int] = mapped_column(default=24, server_default=text("24"))
    # Sessions still under their minimum this many hours before they start are flagged.
    minimum_alert_hours: Mapped[int] = mapped_column(default=72, server_default=text("72"))
    # Participants add, change and mark questions until this many hours before their next
    # impulse training (see app.catalogues.deadline).
    question_deadline_hours: Mapped[int] = mapped_column(default=48, server_default=text("48"))
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

    @property
    def has_certificate_rule(self) -> bool:
        return bool(
            self.cert_requires_kickoff
            or self.cert_min_impulse_trainings
            or self.cert_requires_closing
            or self.cert_min_hours
        )

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
    # Most open sign-ups (applied or approved) the cohort takes; None means no limit.
    max_participants: Mapped[int | None]
    # Reminders before each booked session, whole hours before its start ("168, 24"), and
    # whether they are held (see app.notifications.planning).
    reminder_offsets_hours: Mapped[str] = mapped_column(
        String(100), default="168, 24", server_default="168, 24"
    )
    reminders_paused: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Retention (app.privacy.retention): when the participants' personal data was erased, and
    # the cohort's figures as they stood then, so reports outlive the data.
    personal_data_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retained_figures: Mapped[dict | None] = mapped_column(JSON)

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

    @property
    def is_archived(self) -> bool:
        """Archived cohorts are a record: neither they nor their sessions change any more."""
        return self.status == CohortStatus.ARCHIVED

    @property
    def is_record(self) -> bool:
        """Archived, or its participant data erased: nothing about it changes any more."""
        return self.is_archived or self.personal_data_erased_at is not None

    @property
    def latest_session_start(self) -> datetime:
        return self.signup_closes_at + SESSION_HORIZON

    def allows_session_start(self, instant: datetime) -> bool:
        return self.signup_opens_at <= instant <= self.latest_session_start

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return COHORT_TRANSITIONS[CohortStatus(self.status)]

    def is_open_for_signup(self, now: datetime) -> bool:
        return (
            self.status == CohortStatus.OPEN and self.signup_opens_at <= now < self.signup_closes_at
        )

    def can_manage(self, user) -> bool:
        return self.programme.can_manage(user)

    def can_view(self, user) -> bool:
        """Published cohorts are for everyone; drafts for the people who manage them."""
        return self.is_public or self.can_manage(user)

    def __repr__(self) -> str:
        return f"<Cohort {self.slug}>"
