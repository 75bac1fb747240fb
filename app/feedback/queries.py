"""What organisers and coaches read: per session the number of responses, the average rating and
the comments, without names.

The coaches and the organisers know who had a seat, so with one or two responses a rating or a
comment would point to a person: averages and comments are shown only from MIN_RESPONSES on,
and the comments in an order that says nothing about who wrote them or when (alphabetical).
"""

from dataclasses import dataclass, field
from typing import ClassVar

from sqlalchemy import func, select

from app.extensions import db
from app.feedback.models import SessionFeedback
from app.sessions.models import TrainingSession

MIN_RESPONSES = 3


@dataclass
class SessionSummary:
    minimum: ClassVar[int] = MIN_RESPONSES

    session: TrainingSession
    ratings: list[int] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def responses(self) -> int:
        return len(self.ratings)

    @property
    def shown(self) -> bool:
        """Enough responses that none of them points to a person."""
        return self.responses >= MIN_RESPONSES

    @property
    def average(self) -> float | None:
        return sum(self.ratings) / len(self.ratings) if self.shown else None

    @property
    def visible_comments(self) -> list[str]:
        return sorted(self.comments, key=str.casefold) if self.shown else []


def summaries(training_sessions: list[TrainingSession]) -> list[SessionSummary]:
    """One summary per session, in the given order, from one query."""
    by_session = {s.id: SessionSummary(s) for s in training_sessions}
    rows = db.session.execute(
        select(SessionFeedback.session_id, SessionFeedback.rating, SessionFeedback.comment).where(
            SessionFeedback.session_id.in_(list(by_session))
        )
    )
    for session_id, rating, comment in rows:
        summary = by_session[session_id]
        summary.ratings.append(rating)
        if comment:
            summary.comments.append(comment)
    return list(by_session.values())


def rating_counts(session_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per session: (number of ratings, their sum), for the cohort's figures."""
    rows = db.session.execute(
        select(
            SessionFeedback.session_id,
            func.count(SessionFeedback.id),
            func.sum(SessionFeedback.rating),
        )
        .where(SessionFeedback.session_id.in_(session_ids))
        .group_by(SessionFeedback.session_id)
    )
    return {session_id: (count, total) for session_id, count, total in rows}
