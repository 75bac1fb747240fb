"""The organisers' view of a cohort's outbox, answered in a fixed number of queries."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.extensions import db
from app.notifications.models import Notification, NotificationState, Reason

PAGE_SIZE = 50


@dataclass
class OutboxFilter:
    state: str | None = None
    reason: str | None = None
    person: str = ""

    @classmethod
    def from_args(cls, args) -> "OutboxFilter":
        state = args.get("state") or None
        reason = args.get("reason") or None
        return cls(
            state=state if state in set(NotificationState) else None,
            reason=reason if reason in set(Reason) else None,
            person=(args.get("person") or "").strip()[:100],
        )


@dataclass
class OutboxPage:
    rows: list[Notification]
    total: int
    page: int
    pages: int


def state_counts(cohort_id: int) -> dict[str, int]:
    counts = dict.fromkeys((s.value for s in NotificationState), 0)
    counts.update(
        db.session.execute(
            select(Notification.state, func.count(Notification.id))
            .where(Notification.cohort_id == cohort_id)
            .group_by(Notification.state)
        ).all()
    )
    return counts


def outbox_page(cohort_id: int, chosen: OutboxFilter, page: int) -> OutboxPage:
    statement = select(Notification).where(Notification.cohort_id == cohort_id)
    if chosen.state:
        statement = statement.where(Notification.state == chosen.state)
    if chosen.reason:
        statement = statement.where(Notification.reason == chosen.reason)
    if chosen.person:
        pattern = f"%{chosen.person.lower()}%"
        statement = statement.join(User, User.id == Notification.user_id).where(
            or_(func.lower(User.name).like(pattern), func.lower(User.email).like(pattern))
        )
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(page, 1), pages)
    rows = db.session.scalars(
        statement.options(
            selectinload(Notification.user), selectinload(Notification.training_session)
        )
        .order_by(Notification.due_at.desc(), Notification.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return OutboxPage(rows=rows, total=total, page=page, pages=pages)
