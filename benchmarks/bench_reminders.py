"""`reminders`: how fast the dispatcher delivers 10,000 due reminders to an SMTP server.

The server is aiosmtpd on 127.0.0.1 in a process of its own (it accepts and discards, and
counts). The baseline is plain `smtplib` over one connection sending the same rendered messages
to the same server in the same run: the speed of SMTP alone, with no database, rendering or
bookkeeping. The dispatcher runs as in production (batches of `NOTIFY_BATCH_SIZE`, one SMTP
connection per batch, each row claimed, rendered from the database, sent and marked sent).
"""

import signal
import smtplib
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from itertools import cycle, islice

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.auth.models import User, new_session_token
from app.bookings.models import Booking
from app.demo.loader import load_demo
from app.enrolments.models import Enrolment
from app.extensions import db
from app.notifications.dispatcher import Settings, dispatch_due
from app.notifications.models import Notification, NotificationState, Reason, new_message_id
from app.notifications.rendering import render, url_context
from app.programs.models import Programme
from app.sessions.models import SessionKind
from benchmarks.harness import bench_app, line

MESSAGES = 10_000
DEMO_TODAY = date(2026, 9, 1)
DUE = datetime(2026, 9, 10, 7, tzinfo=UTC)

_SERVER = """
import signal, socket, sys
from aiosmtpd.controller import Controller

class Sink:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        Sink.count += 1
        return "250 OK"

with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
controller = Controller(Sink(), hostname="127.0.0.1", port=port)
controller.start()
print(port, flush=True)

def stop(*_):
    controller.stop()
    print(Sink.count, flush=True)
    sys.exit(0)

signal.signal(signal.SIGTERM, stop)
signal.pause()
"""


class SmtpSink:
    """aiosmtpd in a subprocess, so the server does not share this process's interpreter."""

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
            [sys.executable, "-c", _SERVER], stdout=subprocess.PIPE, text=True
        )
        self.port = int(self.process.stdout.readline())
        return self

    def received(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return int(self.process.stdout.readline())

    def __exit__(self, *exc_info):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self.process.stdout.close()


def _due_reminders(count: int) -> None:
    """`count` people, each booked into a demo session, each with one reminder due at DUE."""
    load_demo(today=DEMO_TODAY)
    db.session.commit()
    cohort = db.session.scalar(select(Programme)).cohorts[0]
    sessions = [s for s in cohort.sessions if s.kind != SessionKind.INFO and s.starts_at > DUE]
    group_of = {s.id: s.target_group_id or cohort.programme.target_groups[0].id for s in sessions}
    users = [
        {
            "email": f"person{n}@kommune.example",
            "name": f"Person {n}",
            "organisation": "Stadt Musterstadt",
            "role": "participant",
            "locale": "de" if n % 2 else "en",
            "is_enabled": True,
            "session_token": new_session_token(),
            "calendar_token": new_session_token(),
            "created_at": DUE,
        }
        for n in range(count)
    ]
    db.session.execute(insert(User), users)
    user_ids = db.session.scalars(
        select(User.id).where(User.email.like("person%@kommune.example")).order_by(User.id)
    ).all()
    placed = list(zip(user_ids, islice(cycle(sessions), count), strict=True))
    db.session.execute(
        insert(Enrolment),
        [
            {
                "cohort_id": cohort.id,
                "user_id": user_id,
                "target_group_id": group_of[ts.id],
                "status": "approved",
                "organisation": "Stadt Musterstadt",
                "job_function": "Verkehrsplanung",
                "confirmed_criteria": [],
                "consent_text": "Einwilligung",
                "consented_at": DUE,
                "created_at": DUE,
                "updated_at": DUE,
            }
            for user_id, ts in placed
        ],
    )
    enrolment_of = dict(db.session.execute(select(Enrolment.user_id, Enrolment.id)).all())
    db.session.execute(
        insert(Booking),
        [
            {
                "session_id": ts.id,
                "enrolment_id": enrolment_of[user_id],
                "status": "booked",
                "over_capacity": False,
                "requested_at": DUE,
                "created_at": DUE,
                "updated_at": DUE,
            }
            for user_id, ts in placed
        ],
    )
    booking_of = dict(db.session.execute(select(Booking.enrolment_id, Booking.id)).all())
    db.session.execute(
        insert(Notification),
        [
            {
                "user_id": user_id,
                "reason": Reason.REMINDER.value,
                "cohort_id": cohort.id,
                "session_id": ts.id,
                "booking_id": booking_of[enrolment_of[user_id]],
                "enrolment_id": enrolment_of[user_id],
                "params": {"offset_hours": 24, "starts_at": ts.starts_at.isoformat()},
                "dedup_key": f"bench:{user_id}",
                "message_id": new_message_id(),
                "due_at": DUE,
                "state": NotificationState.PENDING.value,
                "attempts": 0,
                "last_error": "",
                "drop_note": "",
                "created_at": DUE,
            }
            for user_id, ts in placed
        ],
    )
    db.session.commit()


def _sample_messages(app, size: int) -> list:
    """Real rendered reminders of this run, for the baseline to send over and over."""
    with Session(db.engine) as session, url_context(app):
        rows = session.scalars(select(Notification).order_by(Notification.id).limit(size)).all()
        return [render(row, session, now=DUE) for row in rows]


def _baseline(port: int, messages: list, count: int) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for message in islice(cycle(messages), count):
            smtp.send_message(message)
    return count / (time.perf_counter() - started)


def run() -> list[dict]:
    with SmtpSink() as sink:
        overrides = {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": sink.port,
            "NOTIFY_SEND_AFTER_COMMIT": False,
        }
        with bench_app(**overrides) as app:
            _due_reminders(MESSAGES)
            baseline = _baseline(sink.port, _sample_messages(app, 200), MESSAGES)
            settings = Settings.from_config(app.config)
            settings = Settings(**{**settings.__dict__, "tick_budget": None})
            started = time.perf_counter()
            tally = dispatch_due(now=DUE, settings=settings)
            elapsed = time.perf_counter() - started
            db.engine.dispose()
        received = sink.received()
    if tally.sent != MESSAGES or received != 2 * MESSAGES:
        raise RuntimeError(f"expected {MESSAGES} reminders: {tally}, server got {received}")
    return [line("reminders", MESSAGES / elapsed, "msg/s", baseline)]


if __name__ == "__main__":
    print(run())
