from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class QuestionSource(StrEnum):
    PROGRAMME = "programme"
    KICKOFF = "kickoff"
    PARTICIPANT = "participant"


class Question(db.Model):
    """A guiding question in a target group's catalogue."""

    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint("topic_block IS NULL OR topic_block BETWEEN 1 AND 3", name="block_1_to_3"),
        CheckConstraint("source IN ('programme', 'kickoff', 'participant')", name="source_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_group_id: Mapped[int] = mapped_column(ForeignKey("target_groups.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    topic_block: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)
    source: Mapped[str] = mapped_column(String(20), default=QuestionSource.PROGRAMME.value)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set for participants' own questions: the cohort they asked it in.
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    target_group = relationship("TargetGroup")
