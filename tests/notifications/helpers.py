"""A real SMTP server (aiosmtpd on 127.0.0.1) and building blocks for the outbox tests."""

import socket
from datetime import timedelta
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller
from icalendar import Calendar
from sqlalchemy import select

from app.bookings import services as bookings
from app.extensions import db
from app.notifications.dispatcher import Settings, dispatch_due
from app.notifications.models import Notification
from app.sessions import services as session_services
from app.sessions.services import SessionInput
from app.sessions.timezones import to_local
from tests.enrolments.helpers import NOW, demo_cohort, enrol, impulse_sessions

__all__ = ["NOW", "demo_cohort", "enrol", "impulse_sessions"]

# Fast retries for tests: 60 s, 120 s, 240 s; failed after the third attempt.
SETTINGS = Settings(
    batch_size=50,
    max_attempts=3,
    backoff=timedelta(seconds=60),
    backoff_max=timedelta(minutes=10),
    claim_timeout=timedelta(minutes=15),
    tick_budget=None,
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CollectingHandler:
    """Accepts everything, except recipients starting with "bounce" (550) or "later" (451)."""

    def __init__(self):
        self.envelopes = []
        self.peers = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("bounce"):
            return "550 5.1.1 No such user"
        if address.startswith("later"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append(envelope)
        self.peers.append(session.peer)
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(envelope.content) for envelope in self.envelopes]

    def to(self, address: str):
        return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    """Start and stop at will on one port, so "the server is down" can be tested."""

    def __init__(self):
        self.port = free_port()
        self.handler = CollectingHandler()
        self._controller = None

    def start(self) -> None:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def dispatch(now, settings: Settings = SETTINGS):
    return dispatch_due(now=now, settings=settings)


def notifications(**where) -> list[Notification]:
    db.session.expire_all()
    statement = select(Notification).order_by(Notification.due_at, Notification.id)
    for name, value in where.items():
        statement = statement.where(getattr(Notification, name) == value)
    return db.session.scalars(statement).all()


def book(enrolment, training_session, now=NOW, **kwargs):
    booking = bookings.book(enrolment, training_session.id, actor=enrolment.user, now=now, **kwargs)
    db.session.commit()
    return booking


def plain_text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def calendars(message) -> list[Calendar]:
    return [
        Calendar.from_ical(part.get_content())
        for part in message.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]


def organiser_of(cohort):
    return cohort.programme.managers[0]


def reschedule(training_session, local_start: str, *, now=NOW, hours: float = 2, **changes):
    """Move a session to `local_start` (wall-clock time in its cohort's zone) like the form."""
    from datetime import datetime

    timezone = training_session.cohort.timezone
    starts = datetime.fromisoformat(local_start)
    values = {
        "kind": training_session.kind,
        "title": training_session.title,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=hours),
        "format": training_session.format,
        "meeting_url": training_session.meeting_url,
        "location": training_session.location,
        "audience": training_session.target_group_id,
        "capacity_min": training_session.capacity_min,
        "capacity_max": training_session.capacity_max,
        "coaches": [c.id for c in training_session.coaches],
        "topic_block": training_session.topic_block,
        "description": training_session.description,
    } | changes
    session_services.update_session(
        training_session,
        SessionInput(**values),
        actor=organiser_of(training_session.cohort),
        now=now,
    )
    db.session.commit()
    assert to_local(training_session.starts_at, timezone).replace(tzinfo=None) == starts
