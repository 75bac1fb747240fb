"""What a coach sees: the sessions they are assigned to, upcoming and past."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.extensions import db
from app.programs.models import Cohort
from app.sessions.models import TrainingSession


@dataclass
class CoachedSessions:
    upcoming: list[TrainingSession]
    past: list[TrainingSession]


def coached_sessions(user: User, *, now: datetime) -> CoachedSessions:
    """A session is upcoming until it has ended; past ones come newest first."""
    query = (
        select(TrainingSession)
        .where(TrainingSession.coaches.any(User.id == user.id))
        .options(
            selectinload(TrainingSession.cohort).selectinload(Cohort.programme),
            selectinload(TrainingSession.target_group),
        )
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    )
    training_sessions = db.session.scalars(query).all()
    return CoachedSessions(
        upcoming=[ts for ts in training_sessions if ts.ends_at > now],
        past=[ts for ts in reversed(training_sessions) if ts.ends_at <= now],
    )
