"""Serialise seat decisions per session.

PostgreSQL: `SELECT … FOR UPDATE` on the session row; concurrent bookings of the same session
wait for each other, bookings of other sessions don't. SQLite has no row locks; an UPDATE of the
session row takes the database's single write lock before the seats are counted, so the count
and the insert happen under that lock (other writers queue behind the busy timeout).
"""

from sqlalchemy import select, update

from app.extensions import db
from app.sessions.models import TrainingSession


def lock_session(session_id: int) -> TrainingSession:
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            update(TrainingSession)
            .where(TrainingSession.id == session_id)
            .values(id=TrainingSession.id)
            .execution_options(synchronize_session=False)
        )
        statement = select(TrainingSession).where(TrainingSession.id == session_id)
    else:
        statement = (
            select(TrainingSession).where(TrainingSession.id == session_id).with_for_update()
        )
    return db.session.execute(statement.execution_options(populate_existing=True)).scalar_one()


def lock_sessions(session_ids: list[int]) -> dict[int, TrainingSession]:
    """Lock several sessions in id order, so two movers never wait on each other in a cycle."""
    return {session_id: lock_session(session_id) for session_id in sorted(set(session_ids))}
