"""What organisers and coaches read: per session the number of responses, the average rating and
the comments, newest first, without names."""

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.extensions import db
from app.feedback.models import SessionFeedback
from app.sessions.models import TrainingSession


@dataclass
class SessionSummary:
    session: TrainingSession
    ratings: list[int] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def responses(self) -> int:
        return len(self.ratings)

    @property
    def average(self) -> float | None:
        return sum(self.ratings) / len(self.ratings) if self.ratings else None


def summaries(training_sessions: list[TrainingSession]) -> list[SessionSummary]:
    """One summary per session, in the given order, from one query."""
    by_session = {s.id: SessionSummary(s) for s in training_sessions}
    rows = db.session.execute(
        select(SessionFeedback.session_id, SessionFeedback.rating, SessionFeedback.comment)
        .where(SessionFeedback.session_id.in_(list(by_session)))
        .order_by(SessionFeedback.updated_at.desc(), SessionFeedback.id.desc())
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
