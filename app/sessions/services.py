"""Every change to a cohort's sessions: schedule, reschedule, cancel, delete.

Times come in as naive local wall-clock times in the cohort's timezone and are stored as UTC
instants (see `app.sessions.timezones` for the daylight-saving rules). Plausible dates: a
session starts no earlier than the cohort's sign-up window opens and no later than two years
after it closes, and lasts at most 24 hours (longer events are several sessions).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Role, User
from app.db_types import utcnow
from app.extensions import db
from app.notifications import services as notifications
from app.programs.cohort_services import ensure_editable, local_to_utc
from app.programs.errors import Refused, ValidationFailed
from app.programs.models import Cohort, TargetGroup
from app.programs.services import ensure_manager
from app.sessions.local_time import format_local
from app.sessions.models import SessionFormat, SessionKind, SessionStatus, TrainingSession

MAX_SESSION_LENGTH = timedelta(hours=24)

# Capacity (min, max) a new session's form starts with, by kind (seed 004: impulse trainings 6–8).
DEFAULT_CAPACITY = {
    SessionKind.INFO: (0, 200),
    SessionKind.KICKOFF: (0, 30),
    SessionKind.IMPULSE: (6, 8),
    SessionKind.CLOSING: (0, 120),
    SessionKind.OTHER: (0, 30),
}


@dataclass
class SessionInput:
    kind: str
    title: str
    starts_at: datetime  # naive, local wall-clock time in the cohort's timezone
    ends_at: datetime
    format: str = SessionFormat.ONLINE.value
    meeting_url: str = ""
    location: str = ""
    audience: int | None = None  # a target group id; None: all target groups
    capacity_min: int = 0
    capacity_max: int = 30
    coaches: list[int] = field(default_factory=list)  # user ids
    topic_block: int | None = None
    description: str = ""


class SessionHasBookings(Refused):
    def __init__(self):
        super().__init__(
            _l("People have booked this session, so it cannot be deleted. Cancel it instead.")
        )


class SessionInCoachesCalendars(Refused):
    def __init__(self):
        super().__init__(
            _l(
                "Its coaches have this session in their calendars, so it cannot be deleted. "
                "Cancel it instead: they will be told."
            )
        )


def default_capacity(kind: str) -> tuple[int, int]:
    try:
        return DEFAULT_CAPACITY[SessionKind(kind)]
    except ValueError:
        return DEFAULT_CAPACITY[SessionKind.OTHER]


def session_has_bookings(training_session: TrainingSession) -> bool:
    """Whether anyone has booked (or is waiting for) the session.

    Bookings arrive with the sign-up issue, which makes this query them; until then no session
    has any, so every session can be deleted.
    """
    return False


def create_session(
    cohort: Cohort, data: SessionInput, *, actor: User, now: datetime | None = None
) -> TrainingSession:
    """Schedule a session; in a public cohort its coaches are told."""
    ensure_manager(cohort.programme, actor)
    ensure_editable(cohort)
    values = _check(cohort, data)
    training_session = TrainingSession(cohort=cohort, status=SessionStatus.SCHEDULED.value)
    _apply(training_session, values)
    db.session.add(training_session)
    db.session.flush()
    notifications.coaches_assigned(training_session, training_session.coaches, now=now or utcnow())
    return training_session


def update_session(
    training_session: TrainingSession,
    data: SessionInput,
    *,
    actor: User,
    now: datetime | None = None,
) -> None:
    """Edit or reschedule a session: its reminders follow, the people booked are told."""
    cohort = training_session.cohort
    ensure_manager(cohort.programme, actor)
    ensure_editable(cohort)
    if training_session.is_cancelled:
        raise Refused(_l("This session is cancelled and can no longer be changed."))
    before = notifications.snapshot(training_session)
    _apply(training_session, _check(cohort, data))
    db.session.flush()
    notifications.session_updated(training_session, before, now=now or utcnow())


def cancel_session(
    training_session: TrainingSession, reason: str, *, actor: User, now: datetime
) -> None:
    """Cancel instead of deleting: bookings and the reason stay on record."""
    ensure_manager(training_session.cohort.programme, actor)
    ensure_editable(training_session.cohort)
    if training_session.is_cancelled:
        raise Refused(_l("This session is already cancelled."))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            "reason", _l("Please give a reason; the people who booked will read it.")
        )
    if len(reason) > 2000:
        raise ValidationFailed("reason", _l("The reason can have at most 2000 characters."))
    training_session.status = SessionStatus.CANCELLED.value
    training_session.cancellation_reason = reason
    training_session.cancelled_at = now
    db.session.flush()
    notifications.session_cancelled(training_session, now=now)


def delete_session(
    training_session: TrainingSession, *, actor: User, now: datetime | None = None
) -> None:
    """Delete a session nobody has booked and no coach has been told of; others can only be
    cancelled (which tells everyone)."""
    ensure_manager(training_session.cohort.programme, actor)
    ensure_editable(training_session.cohort)
    if session_has_bookings(training_session):
        raise SessionHasBookings
    if notifications.coaches_were_told(training_session, now=now or utcnow()):
        raise SessionInCoachesCalendars
    db.session.delete(training_session)
    db.session.flush()


def coach_choices() -> list[User]:
    """Everyone who may coach a session: enabled accounts with the coach role."""
    return db.session.scalars(
        select(User)
        .where(User.role == Role.COACH.value, User.is_enabled.is_(True))
        .order_by(User.name)
    ).all()


def _check(cohort: Cohort, data: SessionInput) -> dict:
    """Validate everything before changing anything; return the values to store."""
    if data.kind not in {kind.value for kind in SessionKind}:
        raise ValidationFailed("kind", _l("Please choose the kind of session."))
    title = data.title.strip()
    if not title:
        raise ValidationFailed("title", _l("Please enter a title."))
    if len(title) > 200:
        raise ValidationFailed("title", _l("The title can have at most 200 characters."))
    starts_at, ends_at = _check_times(cohort, data)
    _check_capacity(data)
    return {
        "kind": data.kind,
        "title": title,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "target_group": _check_audience(cohort, data.audience),
        **_check_format(data),
        "capacity_min": data.capacity_min,
        "capacity_max": data.capacity_max,
        "coaches": _check_coaches(data.coaches),
        "topic_block": _check_topic_block(data.topic_block),
        "description": data.description.strip(),
    }


def _apply(training_session: TrainingSession, values: dict) -> None:
    for name, value in values.items():
        setattr(training_session, name, value)


def _check_times(cohort: Cohort, data: SessionInput) -> tuple[datetime, datetime]:
    starts_at = local_to_utc(data.starts_at, cohort.timezone, "starts_at")
    ends_at = local_to_utc(data.ends_at, cohort.timezone, "ends_at")
    if ends_at <= starts_at:
        raise ValidationFailed("ends_at", _l("The end must be after the start."))
    if ends_at - starts_at > MAX_SESSION_LENGTH:
        raise ValidationFailed(
            "ends_at",
            _l("A session lasts at most 24 hours; split longer events into several sessions."),
        )
    if starts_at < cohort.signup_opens_at:
        raise ValidationFailed(
            "starts_at",
            _l(
                "The start cannot be before the cohort's sign-up window opens (%(opens)s).",
                opens=format_local(cohort.signup_opens_at, cohort.timezone),
            ),
        )
    if starts_at > cohort.latest_session_start:
        raise ValidationFailed(
            "starts_at",
            _l(
                "The start cannot be more than two years after the sign-up window closes "
                "(%(closes)s). Please check the year.",
                closes=format_local(cohort.signup_closes_at, cohort.timezone),
            ),
        )
    return starts_at, ends_at


def _check_capacity(data: SessionInput) -> None:
    if data.capacity_min < 0:
        raise ValidationFailed(
            "capacity_min", _l("The minimum number of participants cannot be negative.")
        )
    if data.capacity_max < 1:
        raise ValidationFailed(
            "capacity_max", _l("The maximum number of participants must be at least 1.")
        )
    if data.capacity_min > data.capacity_max:
        raise ValidationFailed(
            "capacity_min",
            _l(
                "The minimum number of participants (%(min)s) cannot be above the maximum "
                "(%(max)s).",
                min=data.capacity_min,
                max=data.capacity_max,
            ),
        )


def _check_audience(cohort: Cohort, group_id: int | None) -> TargetGroup | None:
    if group_id is None:
        return None
    group = db.session.get(TargetGroup, group_id)
    if group is None or group.programme_id != cohort.programme_id:
        raise ValidationFailed(
            "audience",
            _l("The audience must be one of this programme's target groups (or all of them)."),
        )
    return group


def _check_format(data: SessionInput) -> dict:
    if data.format == SessionFormat.ONLINE:
        url = data.meeting_url.strip()
        if not url:
            raise ValidationFailed("meeting_url", _l("An online session needs a meeting link."))
        parts = urlsplit(url)
        web_address = parts.scheme in {"http", "https"} and bool(parts.netloc)
        if not web_address or any(character.isspace() for character in url):
            raise ValidationFailed(
                "meeting_url",
                _l("The meeting link must be a web address starting with https:// or http://."),
            )
        if len(url) > 500:
            raise ValidationFailed(
                "meeting_url", _l("The meeting link can have at most 500 characters.")
            )
        return {"format": data.format, "meeting_url": url, "location": ""}
    if data.format == SessionFormat.IN_PERSON:
        location = data.location.strip()
        if not location:
            raise ValidationFailed(
                "location", _l("A session in person needs the address where it takes place.")
            )
        if len(location) > 500:
            raise ValidationFailed("location", _l("The address can have at most 500 characters."))
        return {"format": data.format, "meeting_url": "", "location": location}
    raise ValidationFailed("format", _l("Please choose online or in person."))


def _check_coaches(user_ids: list[int]) -> list[User]:
    if not user_ids:
        return []
    coaches = db.session.scalars(select(User).where(User.id.in_(set(user_ids)))).all()
    if len(coaches) != len(set(user_ids)) or any(c.role != Role.COACH for c in coaches):
        raise ValidationFailed("coaches", _l("Only people with the coach role can coach."))
    return sorted(coaches, key=lambda coach: coach.name)


def _check_topic_block(block: int | None) -> int | None:
    if block is not None and block not in (1, 2, 3):
        raise ValidationFailed("topic_block", _l("The topic block is Baustein 1, 2 or 3."))
    return block
