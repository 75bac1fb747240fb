"""Role-based question catalogues, participants' marks and the coaches' session agendas.

A target group's *catalogue* is made of
- the programme's questions (source "programme", `cohort_id` NULL): shared by every run, and
- the guiding questions a run's kick-off agreed on (source "kickoff", `cohort_id` and
  `session_id` of that kick-off): part of the catalogue for that run only.
Participants' own questions (source "participant", `cohort_id` and `author_id` set) are never in
anyone else's catalogue: only their author, the coaches of the sessions the author is booked
into, and the programme's organisers see them.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

QUESTION_MAX_LENGTH = 500
TOPIC_BLOCKS = (1, 2, 3)


class QuestionSource(StrEnum):
    PROGRAMME = "programme"
    KICKOFF = "kickoff"
    PARTICIPANT = "participant"


CATALOGUE_SOURCES = (QuestionSource.PROGRAMME.value, QuestionSource.KICKOFF.value)


class Question(db.Model):
    """A guiding question in a target group's catalogue, or one a participant asked."""

    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint("topic_block IS NULL OR topic_block BETWEEN 1 AND 3", name="block_1_to_3"),
        CheckConstraint("source IN ('programme', 'kickoff', 'participant')", name="source_known"),
        Index("ix_questions_group_cohort", "target_group_id", "cohort_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_group_id: Mapped[int] = mapped_column(ForeignKey("target_groups.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    topic_block: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)
    source: Mapped[str] = mapped_column(String(20), default=QuestionSource.PROGRAMME.value)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The run the question belongs to: participants' own questions and kick-off questions.
    # NULL for the programme's catalogue, which every run shares.
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    # For kick-off questions: the kick-off workshop that agreed on them.
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    target_group = relationship("TargetGroup")
    author = relationship("User")
    kickoff_session = relationship("TrainingSession")

    @property
    def is_in_catalogue(self) -> bool:
        return self.source in CATALOGUE_SOURCES

    @property
    def is_from_participant(self) -> bool:
        return self.source == QuestionSource.PARTICIPANT

    @property
    def is_from_kickoff(self) -> bool:
        return self.source == QuestionSource.KICKOFF

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.source}>"


class QuestionMark(db.Model):
    """A participant marked a catalogue question as one that matters most to them (per run)."""

    __tablename__ = "question_marks"
    __table_args__ = (UniqueConstraint("enrolment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SessionAgenda(db.Model):
    """The coach's ordered selection of questions for one session; booked people see it once
    it is published."""

    __tablename__ = "session_agendas"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), unique=True
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    training_session = relationship("TrainingSession")
    published_by = relationship("User")
    items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="agenda",
        order_by="[AgendaItem.position, AgendaItem.id]",
        cascade="all, delete-orphan",
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class AgendaItem(db.Model):
    """One point of an agenda, in the coach's words; `question_id` names the question it came
    from (NULL for a point the coach added, or once that question is removed)."""

    __tablename__ = "agenda_items"
    __table_args__ = (UniqueConstraint("agenda_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_id: Mapped[int] = mapped_column(
        ForeignKey("session_agendas.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    agenda: Mapped[SessionAgenda] = relationship(back_populates="items")
    question = relationship("Question")
