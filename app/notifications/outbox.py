"""Adding rows to the outbox and dropping them. Flushes only; the caller commits.

A row that is due at once (a booking confirmation, a decision) is also remembered on the
database session: when that session commits, `app.notifications.dispatcher.send_now` claims and
sends exactly those rows, so the person gets the mail right away, as before the outbox existed.
The claim makes this safe next to any number of dispatchers; if the immediate attempt fails, the
row simply stays pending for the dispatcher's next tick. A rolled-back transaction leaves neither
a row nor a mail.
"""

import logging
import uuid
from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.notifications.models import Notification, NotificationState, Reason

log = logging.getLogger(__name__)
_SEND_NOW_KEY = "fahrplan_outbox_send_now"

# Why a row was dropped (Notification.drop_note); the outbox page shows these.
BOOKING_CANCELLED = "booking_cancelled"
SESSION_CANCELLED = "session_cancelled"
RESCHEDULED = "rescheduled"
TOO_LATE = "too_late"
SUPERSEDED = "superseded"
NOT_NEEDED = "not_needed"
RECIPIENT_DISABLED = "recipient_disabled"


def add(
    user,
    reason: Reason,
    *,
    cohort_id: int,
    now: datetime,
    due_at: datetime | None = None,
    dedup_key: str | None = None,
    session_id: int | None = None,
    booking_id: int | None = None,
    enrolment_id: int | None = None,
    params: dict | None = None,
    state: NotificationState = NotificationState.PENDING,
    drop_note: str = "",
) -> Notification:
    """One message to `user`; `due_at` defaults to `now` (send at once).

    Without a `dedup_key` the message is an event of its own (every decision is told once).
    """
    due_at = due_at or now
    notification = Notification(
        user_id=user.id,
        reason=reason.value,
        cohort_id=cohort_id,
        session_id=session_id,
        booking_id=booking_id,
        enrolment_id=enrolment_id,
        params=params or {},
        dedup_key=dedup_key or f"{reason.value}:{uuid.uuid4().hex}",
        due_at=due_at,
        state=state.value,
        drop_note=drop_note,
        created_at=now,
    )
    db.session.add(notification)
    db.session.flush()
    if state is NotificationState.PENDING and due_at <= now:
        send_after_commit(notification)
    return notification


def send_after_commit(notification: Notification) -> None:
    """Try to send this (flushed) row as soon as the current transaction commits."""
    db.session().info.setdefault(_SEND_NOW_KEY, []).append(notification.id)


def drop(notifications: Iterable[Notification], note: str) -> int:
    """Drop the pending ones among `notifications`; rows being sent or sent stay as they are."""
    count = 0
    for notification in notifications:
        if notification.state == NotificationState.PENDING:
            notification.state = NotificationState.DROPPED.value
            notification.drop_note = note
            count += 1
    db.session.flush()
    return count


def pending_for(
    *, session_id: int | None = None, booking_ids: Iterable[int] | None = None, reasons=None
) -> list[Notification]:
    statement = select(Notification).where(Notification.state == NotificationState.PENDING.value)
    if session_id is not None:
        statement = statement.where(Notification.session_id == session_id)
    if booking_ids is not None:
        statement = statement.where(Notification.booking_id.in_(list(booking_ids)))
    if reasons is not None:
        statement = statement.where(Notification.reason.in_([r.value for r in reasons]))
    return db.session.scalars(statement).all()


def revive(notification: Notification, *, due_at: datetime) -> None:
    """A dropped or failed row is wanted again: back to pending, with fresh attempts."""
    notification.state = NotificationState.PENDING.value
    notification.due_at = due_at
    notification.attempts = 0
    notification.retry_at = None
    notification.last_error = ""
    notification.drop_note = ""
    notification.claimed_at = None
    notification.claimed_by = None


@event.listens_for(Session, "after_commit")
def _send_committed(session: Session) -> None:
    ids = session.info.pop(_SEND_NOW_KEY, None)
    if not ids or not current_app.config.get("NOTIFY_SEND_AFTER_COMMIT", True):
        return
    from app.notifications.dispatcher import send_now

    try:
        send_now(ids)
    except Exception:  # the rows stay pending; the dispatcher sends them on its next tick
        log.exception("Immediate delivery of notifications %s failed", ids)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_SEND_NOW_KEY, None)
