"""Any number of dispatchers (and web workers sending right after their commit) send every
message once; a dispatcher that died mid-batch leaves nothing behind for good."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from app import create_app
from app.extensions import db
from app.notifications.dispatcher import (
    Settings,
    Tally,
    _Clock,
    claim,
    dispatch_due,
    send_claimed,
    send_now,
)
from app.notifications.models import Notification, NotificationState, Reason
from tests.notifications.helpers import (
    NOW,
    SETTINGS,
    book,
    demo_cohort,
    dispatch,
    enrol,
    impulse_sessions,
    notifications,
)

DUE = NOW + timedelta(minutes=5)


@pytest.fixture
def config_overrides(smtp):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "NOTIFY_SEND_AFTER_COMMIT": False}


@pytest.fixture
def due_rows(app):
    """120 messages to 12 people, all due at DUE."""
    cohort = demo_cohort()
    cohort.programme.minimum_alert_hours = 0
    slot = impulse_sessions(cohort, "verkehrsplanung")[0]
    slot.capacity_max = 20
    db.session.commit()
    bookings = [book(enrol(cohort), slot) for _ in range(12)]
    # Only the race's rows are pending: the confirmations and reminders are out of the way.
    db.session.execute(update(Notification).values(state=NotificationState.DROPPED.value))
    for booking in bookings:
        for number in range(10):
            db.session.add(
                Notification(
                    user_id=booking.enrolment.user_id,
                    reason=Reason.BOOKING_BOOKED.value,
                    cohort_id=cohort.id,
                    session_id=slot.id,
                    booking_id=booking.id,
                    enrolment_id=booking.enrolment_id,
                    dedup_key=f"race:{booking.id}:{number}",
                    due_at=DUE,
                )
            )
    db.session.commit()
    return db.session.scalars(
        select(Notification.id).where(Notification.dedup_key.like("race:%"))
    ).all()


def _warm(worker_app):
    """Compile the mail templates before the threads start: CPython 3.11 before 3.11.8 can raise
    SystemError when threads compile code at the same moment (gh-106905)."""
    with worker_app.app_context():
        for name in ("_layout.html", "booking_booked.txt", "booking_booked.html"):
            worker_app.jinja_env.get_template(f"email/{name}")
    return worker_app


def _racing(app_config, workers) -> list[Tally]:
    """Run each worker in a thread with an app (and database connections) of its own."""
    barrier = threading.Barrier(len(workers))
    tallies, errors = [], []
    apps = iter([_warm(create_app(app_config)) for _ in workers])

    def run(work):
        worker_app = next(apps)
        try:
            with worker_app.app_context():
                barrier.wait()
                tallies.append(work())
                db.session.remove()
                db.engine.dispose()
        except Exception as exc:  # reported below, with the thread's traceback lost otherwise
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return tallies


def _dispatcher(settings):
    def work():
        total = Tally()
        while True:
            tally = dispatch_due(now=DUE, settings=settings)
            total.claimed += tally.claimed
            total.sent += tally.sent
            if not tally.claimed:
                return total

    return work


def test_racing_dispatchers_and_a_web_worker_send_every_message_exactly_once(
    app, app_config, due_rows, smtp
):
    smtp.handler.envelopes.clear()
    small_batches = Settings(**{**SETTINGS.__dict__, "batch_size": 7})

    def web_worker():
        return send_now(list(due_rows))

    tallies = _racing(
        app_config, [_dispatcher(small_batches), _dispatcher(small_batches), web_worker]
    )

    ids = Counter(m["Message-ID"] for m in smtp.handler.messages)
    expected = {n.message_id for n in notifications() if n.id in set(due_rows)}
    assert set(ids) == expected
    assert max(ids.values()) == 1, "a message was sent twice"
    assert sum(t.sent for t in tallies) == len(due_rows)
    assert {n.state for n in notifications() if n.id in set(due_rows)} == {"sent"}


def test_two_claims_take_disjoint_rows(app, due_rows):
    first, _ = claim(now=DUE, limit=50)
    second, _ = claim(now=DUE, limit=50)
    third, _ = claim(now=DUE, limit=50)
    assert len(first) == 50
    assert len(second) == 50
    assert len(third) == 20
    assert not set(first) & set(second)
    assert not set(second) & set(third)
    assert claim(now=DUE, limit=50)[0] == []
    assert {n.attempts for n in notifications(state="sending")} == {1}


def test_rows_are_not_claimed_before_they_are_due(app, due_rows):
    assert claim(now=DUE - timedelta(seconds=1), limit=500)[0] == []


@pytest.mark.postgres
def test_postgres_claims_skip_rows_locked_by_another_dispatcher(app, due_rows):
    locked = sorted(due_rows)[:30]
    with db.engine.connect() as other:
        transaction = other.begin()
        other.execute(
            text("SELECT id FROM notifications WHERE id = ANY(:ids) FOR UPDATE"), {"ids": locked}
        )
        ids, _ = claim(now=DUE, limit=500)  # returns at once instead of waiting for the lock
        transaction.rollback()
    assert len(ids) == len(due_rows) - 30
    assert not set(ids) & set(locked)


def test_a_batch_left_in_sending_by_a_crash_is_reclaimed_after_the_timeout(app, due_rows, smtp):
    smtp.handler.envelopes.clear()
    crashed, _token = claim(now=DUE, limit=40)  # the process died before sending anything
    timeout = SETTINGS.claim_timeout

    tally = dispatch(DUE + timeout - timedelta(seconds=1))
    assert (tally.reclaimed, tally.sent) == (0, len(due_rows) - 40)
    assert len(notifications(state="sending")) == 40

    tally = dispatch(DUE + timeout + timedelta(seconds=1))
    assert (tally.reclaimed, tally.sent) == (40, 40)
    assert len(smtp.handler.envelopes) == len(due_rows)
    assert Counter(m["Message-ID"] for m in smtp.handler.messages).most_common(1)[0][1] == 1
    reclaimed = [n for n in notifications() if n.id in set(crashed)]
    assert {(n.state, n.attempts) for n in reclaimed} == {("sent", 2)}


def test_a_row_that_keeps_crashing_its_dispatcher_ends_failed(app, due_rows):
    at = DUE
    [row_id], _ = claim(now=at, limit=1)
    for _ in range(SETTINGS.max_attempts - 1):
        at += SETTINGS.claim_timeout + timedelta(seconds=1)
        dispatch_due_reclaim_only(at)
        claimed, _ = claim(now=at, limit=1)
        assert claimed == [row_id]
    at += SETTINGS.claim_timeout + timedelta(seconds=1)
    dispatch_due_reclaim_only(at)
    [row] = notifications(id=row_id)
    assert (row.state, row.attempts) == ("failed", SETTINGS.max_attempts)
    assert "interrupted" in row.last_error


def dispatch_due_reclaim_only(now):
    from app.notifications.dispatcher import reclaim

    return reclaim(now=now, settings=SETTINGS)


def test_a_dispatcher_near_its_claim_timeout_hands_the_rest_back(app, due_rows, smtp):
    smtp.handler.envelopes.clear()
    ids, token = claim(now=DUE, limit=10)
    impatient = Settings(**{**SETTINGS.__dict__, "claim_timeout": timedelta(0)})
    tally = Tally()
    send_claimed(ids, token, clock=_Clock(DUE), settings=impatient, tally=tally)
    assert (tally.sent, tally.released) == (0, 10)
    rows = [n for n in notifications() if n.id in set(ids)]
    assert {(n.state, n.attempts, n.claimed_by) for n in rows} == {("pending", 0, None)}
    assert smtp.handler.envelopes == []


def test_a_stale_dispatcher_cannot_mark_rows_someone_else_has_taken(app, due_rows):
    from app.notifications.dispatcher import _Marker

    ids, stale_token = claim(now=DUE, limit=1)
    dispatch_due_reclaim_only(DUE + SETTINGS.claim_timeout + timedelta(seconds=1))
    fresh, _ = claim(now=DUE + SETTINGS.claim_timeout + timedelta(seconds=2), limit=1)
    assert fresh == ids
    row = db.session.get(Notification, ids[0])
    with db.engine.connect() as connection:
        marker = _Marker(connection, stale_token, Tally())
        marker.sent(row, DUE)
        assert marker.tally.sent == 0
    assert notifications(id=ids[0])[0].state == NotificationState.SENDING
