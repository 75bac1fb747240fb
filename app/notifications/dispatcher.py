"""The dispatcher: claim due rows, send them, mark them. Safe with any number of processes.

One tick (`dispatch_due`, run every minute by APScheduler, see `scheduler.py`):

1. Reclaim rows left in "sending" longer than `NOTIFY_CLAIM_TIMEOUT` (a process died
   mid-batch): back to pending, or failed once their attempts are used up.
2. Plan what is found by time (minimum-capacity alerts, sign-up deadline notices).
3. Claim a batch of due rows atomically and commit the claim:
   PostgreSQL `SELECT … FOR UPDATE SKIP LOCKED LIMIT n`, then `UPDATE … SET state='sending'`
   in the same transaction, so concurrent dispatchers take disjoint batches without waiting;
   SQLite a single conditional `UPDATE … WHERE id IN (due ids) AND state='pending'
   RETURNING id` (SQLite runs one writer at a time, so the rows returned are this
   dispatcher's alone). Each claim carries a token of its own (`claimed_by`).
4. Outside that transaction, send the batch over one SMTP connection. Every outcome is a
   conditional update (`WHERE id=… AND state='sending' AND claimed_by=<token>`), so a row
   that was reclaimed meanwhile is never marked by a stale dispatcher. A dispatcher that has
   held its batch for half the claim timeout stops and hands the rest back.

A failed attempt sets `retry_at` with exponential backoff (`NOTIFY_BACKOFF_SECONDS` doubling up
to `NOTIFY_BACKOFF_MAX_SECONDS`) until `NOTIFY_MAX_ATTEMPTS`, then the row is failed and shows on
the organisers' outbox page, where it can be resent. A refusal with a 5xx reply fails at once.
An unreachable server fails the whole rest of the batch in one go (no timeout per message).

Exactly once, with one caveat every outbox has: a process that dies after the server accepted a
message but before the row was marked sent leaves it in "sending"; after the timeout it is sent
again. The window is one message wide (each row is marked right after its send).
"""

import logging
import os
import socket
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, bindparam, not_, or_, select, update
from sqlalchemy.orm import Session, selectinload

from app.db_types import utcnow
from app.extensions import db
from app.notifications import messages, planning
from app.notifications.mail import MessageRefused, ServerUnavailable, Transport
from app.notifications.models import SCHEDULED_REASONS, Notification, NotificationState
from app.notifications.rendering import render, url_context
from app.programs.models import Cohort

log = logging.getLogger(__name__)
WORKER = f"{socket.gethostname()}:{os.getpid()}"[:48]


@dataclass(frozen=True)
class Settings:
    batch_size: int = 100
    max_attempts: int = 8
    backoff: timedelta = timedelta(minutes=1)
    backoff_max: timedelta = timedelta(hours=4)
    claim_timeout: timedelta = timedelta(minutes=15)
    # A tick stops claiming new batches after this long; the next tick goes on.
    tick_budget: timedelta | None = timedelta(seconds=50)

    @classmethod
    def from_config(cls, config) -> "Settings":
        return cls(
            batch_size=config["NOTIFY_BATCH_SIZE"],
            max_attempts=config["NOTIFY_MAX_ATTEMPTS"],
            backoff=timedelta(seconds=config["NOTIFY_BACKOFF_SECONDS"]),
            backoff_max=timedelta(seconds=config["NOTIFY_BACKOFF_MAX_SECONDS"]),
            claim_timeout=timedelta(seconds=config["NOTIFY_CLAIM_TIMEOUT"]),
            tick_budget=timedelta(seconds=config["NOTIFY_TICK_BUDGET"]),
        )

    def delay_after(self, attempts: int) -> timedelta:
        return min(self.backoff * 2 ** max(attempts - 1, 0), self.backoff_max)


@dataclass
class Tally:
    reclaimed: int = 0
    planned: int = 0
    claimed: int = 0
    sent: int = 0
    dropped: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0


class _Clock:
    """A fixed `now` (tests, the benchmark), else the real time."""

    def __init__(self, now: datetime | None):
        self.fixed = now

    def now(self) -> datetime:
        return self.fixed or utcnow()


def _due(now: datetime):
    paused = select(Cohort.id).where(Cohort.reminders_paused.is_(True))
    return and_(
        Notification.state == NotificationState.PENDING.value,
        Notification.due_at <= now,
        or_(Notification.retry_at.is_(None), Notification.retry_at <= now),
        not_(
            and_(
                Notification.reason.in_([r.value for r in SCHEDULED_REASONS]),
                Notification.cohort_id.in_(paused),
            )
        ),
    )


def _claim_values(now: datetime, token: str) -> dict:
    return {
        "state": NotificationState.SENDING.value,
        "claimed_at": now,
        "claimed_by": token,
        "attempts": Notification.attempts + 1,
    }


def _new_token() -> str:
    return f"{WORKER}:{uuid.uuid4().hex[:12]}"


def claim(*, now: datetime, limit: int) -> tuple[list[int], str]:
    """Take up to `limit` due rows for this dispatcher; returns their ids and the claim token."""
    token = _new_token()
    order = (Notification.due_at, Notification.id)
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            ids = connection.scalars(
                select(Notification.id)
                .where(_due(now))
                .order_by(*order)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            if ids:
                connection.execute(
                    update(Notification)
                    .where(Notification.id.in_(ids))
                    .values(**_claim_values(now, token))
                )
        else:
            due_ids = select(Notification.id).where(_due(now)).order_by(*order).limit(limit)
            ids = connection.scalars(
                update(Notification)
                .where(
                    Notification.id.in_(due_ids.scalar_subquery()),
                    Notification.state == NotificationState.PENDING.value,
                )
                .values(**_claim_values(now, token))
                .returning(Notification.id)
            ).all()
    return sorted(ids), token


def claim_ids(ids: list[int], *, now: datetime) -> tuple[list[int], str]:
    """Claim exactly these rows if they are still pending (the after-commit path)."""
    token = _new_token()
    with db.engine.begin() as connection:
        claimed = connection.scalars(
            update(Notification)
            .where(
                Notification.id.in_(ids),
                Notification.state == NotificationState.PENDING.value,
                Notification.retry_at.is_(None),
            )
            .values(**_claim_values(now, token))
            .returning(Notification.id)
        ).all()
    return sorted(claimed), token


def reclaim(*, now: datetime, settings: Settings) -> int:
    """Rows a dead dispatcher left in "sending": pending again, or failed when used up."""
    stale = and_(
        Notification.state == NotificationState.SENDING.value,
        Notification.claimed_at < now - settings.claim_timeout,
    )
    with db.engine.begin() as connection:
        gave_up = connection.execute(
            update(Notification)
            .where(stale, Notification.attempts >= settings.max_attempts)
            .values(
                state=NotificationState.FAILED.value,
                last_error="interrupted while sending (claim timed out)",
                claimed_by=None,
                claimed_at=None,
            )
        ).rowcount
        again = connection.execute(
            update(Notification)
            .where(stale)
            .values(
                state=NotificationState.PENDING.value,
                last_error="interrupted while sending (claim timed out)",
                claimed_by=None,
                claimed_at=None,
            )
        ).rowcount
    if gave_up or again:
        log.warning("Reclaimed %s notifications left in sending (%s failed)", again, gave_up)
    return gave_up + again


_MARK_SENT = (
    update(Notification)
    .where(
        Notification.id == bindparam("nid"),
        Notification.state == NotificationState.SENDING.value,
        Notification.claimed_by == bindparam("token"),
    )
    .values(state=NotificationState.SENT.value, sent_at=bindparam("at"), last_error="")
)


@dataclass(frozen=True)
class _Claimed:
    """What the marks need of a row: safe to hand to another thread (no ORM object)."""

    id: int
    attempts: int


class _Marker:
    """Each outcome in its own short transaction, conditional on the claim."""

    def __init__(self, connection, token: str, tally: Tally):
        self.connection = connection
        self.token = token
        self.tally = tally

    def _finish(self, ids: list[int], counter: str, **values) -> None:
        result = self.connection.execute(
            update(Notification)
            .where(
                Notification.id.in_(ids),
                Notification.state == NotificationState.SENDING.value,
                Notification.claimed_by == self.token,
            )
            .values(**values)
        )
        self.connection.commit()
        if result.rowcount != len(ids):
            log.warning("Lost the claim on some of notifications %s", ids)
        setattr(self.tally, counter, getattr(self.tally, counter) + result.rowcount)

    def sent(self, row: _Claimed, now: datetime) -> None:
        """The common case, as one prepared statement (this runs once per message)."""
        result = self.connection.execute(
            _MARK_SENT, {"nid": row.id, "token": self.token, "at": now}
        )
        self.connection.commit()
        if result.rowcount != 1:
            log.warning("Lost the claim on notification %s", row.id)
        self.tally.sent += result.rowcount

    def dropped(self, row: _Claimed, note: str) -> None:
        self._finish([row.id], "dropped", state=NotificationState.DROPPED.value, drop_note=note)

    def failed_attempt(
        self, row: _Claimed, error: str, now: datetime, settings: Settings, *, permanent=False
    ) -> None:
        if permanent or row.attempts >= settings.max_attempts:
            self._finish(
                [row.id],
                "failed",
                state=NotificationState.FAILED.value,
                last_error=error[:2000],
                retry_at=None,
            )
            return
        self._finish(
            [row.id],
            "retried",
            state=NotificationState.PENDING.value,
            last_error=error[:2000],
            retry_at=now + settings.delay_after(row.attempts),
            claimed_by=None,
            claimed_at=None,
        )

    def release(self, rows: list[_Claimed]) -> None:
        """Hand rows back untried: pending again, and this claim does not count as an attempt."""
        if rows:
            self._finish(
                [row.id for row in rows],
                "released",
                state=NotificationState.PENDING.value,
                attempts=Notification.attempts - 1,
                claimed_by=None,
                claimed_at=None,
            )


def _load(session: Session, ids: list[int]) -> list[Notification]:
    return session.scalars(
        select(Notification)
        .where(Notification.id.in_(ids))
        .options(
            selectinload(Notification.user),
            selectinload(Notification.cohort).selectinload(Cohort.programme),
            selectinload(Notification.training_session),
            selectinload(Notification.booking),
            selectinload(Notification.enrolment),
        )
        .order_by(Notification.due_at, Notification.id)
    ).all()


@contextmanager
def _relaxed_sync(connection):
    """SQLite: the outcome marks are committed without waiting for the disk (WAL with
    synchronous=NORMAL, per connection; the claims keep the default). An application crash
    loses nothing; a power failure can lose the last marks, and those rows are sent again after
    the claim timeout, as after any crash between a send and its mark. Without this, every mark
    waits for an fsync, which costs more than sending the message."""
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA synchronous").scalar()
    connection.exec_driver_sql("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA synchronous = {int(previous)}")


def send_claimed(ids: list[int], token: str, *, clock: _Clock, settings: Settings, tally: Tally):
    """Send the rows this dispatcher has claimed; every row ends marked (or handed back)."""
    app = current_app._get_current_object()
    started = time.monotonic()
    deadline = settings.claim_timeout.total_seconds() / 2
    with (
        Session(db.engine) as session,
        db.engine.connect() as connection,
        _relaxed_sync(connection),
        url_context(app),
        Transport(app.config) as transport,
    ):
        marker = _Marker(connection, token, tally)
        rows = _load(session, ids)
        claimed = [_Claimed(row.id, row.attempts) for row in rows]
        superseded = messages.superseded_reminders(session, rows, clock.now())
        for position, row in enumerate(rows):
            if time.monotonic() - started > deadline:
                marker.release(claimed[position:])
                break
            now = clock.now()
            try:
                note = messages.still_wanted(session, row, now, superseded=superseded)
                message = None if note else render(row, session, now=now)
            except Exception as exc:  # one broken row must not hold up the others
                log.exception("Could not render notification %s", row.id)
                marker.failed_attempt(
                    claimed[position], f"rendering failed: {exc!r}", now, settings
                )
                continue
            if note:
                marker.dropped(claimed[position], note)
                continue
            try:
                transport.send(message)
            except ServerUnavailable as exc:
                waiting = len(rows) - position
                log.warning("Mail server unavailable, %s notifications wait: %s", waiting, exc)
                for waiting in claimed[position:]:
                    marker.failed_attempt(waiting, f"server unavailable: {exc}", now, settings)
                break
            except MessageRefused as exc:
                marker.failed_attempt(
                    claimed[position], f"refused: {exc}", now, settings, permanent=exc.permanent
                )
            else:
                marker.sent(claimed[position], clock.now())


def dispatch_due(*, now: datetime | None = None, settings: Settings | None = None) -> Tally:
    """One tick (inside an app context). `now` is for tests; the real time otherwise."""
    settings = settings or Settings.from_config(current_app.config)
    clock = _Clock(now)
    tally = Tally()
    started = time.monotonic()
    tally.reclaimed = reclaim(now=clock.now(), settings=settings)
    with Session(db.engine) as session:
        tally.planned = planning.plan_due(session, now=clock.now())
        session.commit()
    while True:
        ids, token = claim(now=clock.now(), limit=settings.batch_size)
        if not ids:
            break
        tally.claimed += len(ids)
        send_claimed(ids, token, clock=clock, settings=settings, tally=tally)
        budget = settings.tick_budget
        if budget is not None and time.monotonic() - started > budget.total_seconds():
            break
    return tally


def send_now(ids: list[int]) -> Tally:
    """Send rows created by a transaction that has just committed, if no one else has."""
    settings = Settings.from_config(current_app.config)
    clock = _Clock(None)
    tally = Tally()
    claimed, token = claim_ids(ids, now=clock.now())
    if claimed:
        tally.claimed = len(claimed)
        send_claimed(claimed, token, clock=clock, settings=settings, tally=tally)
    return tally
