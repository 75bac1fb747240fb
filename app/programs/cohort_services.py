"""Every change to a cohort: create, edit, status. Services flush; views commit.

Status moves one step forward (draft → open → running → closed → archived), and back from open
to draft while nobody has signed up yet. An archived cohort is a record: it and its sessions can
no longer be changed (it can still be copied into a new run).
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.db_types import utcnow
from app.extensions import db
from app.notifications import services as notifications
from app.programs.errors import CohortArchived, CohortErased, Refused, ValidationFailed
from app.programs.models import SESSION_HORIZON, Cohort, CohortStatus, Programme
from app.programs.services import ensure_manager
from app.programs.slugs import is_valid_slug, slugify, unique_slug
from app.sessions.local_time import format_local
from app.sessions.timezones import NonExistentLocalTime, is_valid_timezone, to_utc

STATUS_LABELS = {
    CohortStatus.DRAFT: _l("draft"),
    CohortStatus.OPEN: _l("open for sign-up"),
    CohortStatus.RUNNING: _l("running"),
    CohortStatus.CLOSED: _l("closed"),
    CohortStatus.ARCHIVED: _l("archived"),
}


@dataclass
class CohortInput:
    name: str
    signup_opens: datetime  # naive, local wall-clock time in `timezone`
    signup_closes: datetime
    timezone: str = "Europe/Berlin"
    slug: str = ""  # empty: derived from the name
    max_participants: int | None = None  # open sign-ups the cohort takes; None: no limit


def ensure_editable(cohort: Cohort) -> None:
    """Archived cohorts, and cohorts whose participant data retention has erased, are records:
    nothing may change (new sign-ups or bookings there would never be erased)."""
    if cohort.is_archived:
        raise CohortArchived
    if cohort.is_record:
        raise CohortErased


def cohort_has_enrolments(cohort: Cohort) -> bool:
    """Whether anyone has signed up for the cohort, which pins it open.

    Enrolments arrive with the sign-up issue, which makes this query them; until then no cohort
    has any, so going back from open to draft is always possible.
    """
    return False


def create_cohort(programme: Programme, data: CohortInput, *, actor: User) -> Cohort:
    ensure_manager(programme, actor)
    opens, closes = _check_cohort(programme, data, cohort=None)
    slug = data.slug.strip() or unique_slug(
        slugify(data.name), lambda s: cohort_slug_taken(programme, s), fallback="durchgang"
    )
    cohort = Cohort(
        programme=programme,
        slug=slug,
        name=data.name.strip(),
        status=CohortStatus.DRAFT.value,
        timezone=data.timezone.strip(),
        signup_opens_at=opens,
        signup_closes_at=closes,
        max_participants=data.max_participants,
    )
    db.session.add(cohort)
    db.session.flush()
    return cohort


def update_cohort(cohort: Cohort, data: CohortInput, *, actor: User) -> None:
    """Change name, address, timezone or sign-up window; sessions keep their instants."""
    ensure_manager(cohort.programme, actor)
    ensure_editable(cohort)
    opens, closes = _check_cohort(cohort.programme, data, cohort=cohort)
    _check_sessions_still_fit(cohort, opens, closes, data.timezone.strip())
    if data.slug.strip():
        cohort.slug = data.slug.strip()
    cohort.name = data.name.strip()
    cohort.timezone = data.timezone.strip()
    cohort.signup_opens_at = opens
    cohort.signup_closes_at = closes
    cohort.max_participants = data.max_participants
    db.session.flush()


def change_status(cohort: Cohort, status: str, *, actor: User, now: datetime | None = None) -> None:
    """Move the cohort on; when a draft goes public, the coaches of its sessions are told."""
    ensure_manager(cohort.programme, actor)
    ensure_editable(cohort)
    if status not in cohort.next_statuses:
        raise Refused(
            _l(
                "A cohort cannot go from “%(old)s” to “%(new)s”.",
                old=status_label(cohort.status),
                new=status_label(status),
            )
        )
    if status == CohortStatus.DRAFT and cohort_has_enrolments(cohort):
        raise Refused(_l("People have already signed up, so the cohort cannot go back to draft."))
    was_draft = cohort.status == CohortStatus.DRAFT
    cohort.status = status
    db.session.flush()
    if was_draft and cohort.is_public:
        notifications.cohort_published(cohort, now=now or utcnow())


def status_label(status: str):
    try:
        return STATUS_LABELS[CohortStatus(status)]
    except ValueError:
        return status


def cohort_slug_taken(programme: Programme, slug: str, *, except_id: int | None = None) -> bool:
    statement = select(Cohort.id).where(Cohort.programme_id == programme.id, Cohort.slug == slug)
    if except_id is not None:
        statement = statement.where(Cohort.id != except_id)
    return db.session.scalar(statement) is not None


def check_cohort_name_and_slug(programme: Programme, name: str, slug: str, *, cohort=None) -> None:
    """Shared with copying: a name, and an address free within the programme."""
    name = name.strip()
    if not name:
        raise ValidationFailed("name", _l("Please enter the name of the cohort."))
    if len(name) > 120:
        raise ValidationFailed("name", _l("The name can have at most 120 characters."))
    slug = slug.strip()
    if not slug:
        return
    if not is_valid_slug(slug):
        raise ValidationFailed(
            "slug",
            _l(
                "The address may contain only lower-case letters, digits and single hyphens "
                "(at most 80 characters)."
            ),
        )
    if cohort_slug_taken(programme, slug, except_id=cohort.id if cohort else None):
        raise ValidationFailed(
            "slug", _l("Another cohort of this programme uses the address “%(slug)s”.", slug=slug)
        )


def local_to_utc(local: datetime, timezone: str, field: str) -> datetime:
    """Convert a form's local time, refusing one skipped by a daylight-saving change."""
    try:
        return to_utc(local, timezone)
    except NonExistentLocalTime:
        raise ValidationFailed(
            field,
            _l(
                "%(time)s does not exist in %(timezone)s: the clocks skip that hour when summer "
                "time begins. Please choose another time.",
                time=local.strftime("%Y-%m-%d %H:%M"),
                timezone=timezone,
            ),
        ) from None


def _check_cohort(programme: Programme, data: CohortInput, *, cohort) -> tuple[datetime, datetime]:
    check_cohort_name_and_slug(programme, data.name, data.slug, cohort=cohort)
    timezone = data.timezone.strip()
    if not is_valid_timezone(timezone):
        raise ValidationFailed(
            "timezone",
            _l("“%(name)s” is not a known timezone; use a name like Europe/Berlin.", name=timezone),
        )
    opens = local_to_utc(data.signup_opens, timezone, "signup_opens")
    closes = local_to_utc(data.signup_closes, timezone, "signup_closes")
    if closes <= opens:
        raise ValidationFailed("signup_closes", _l("The sign-up window must close after it opens."))
    return opens, closes


def _check_sessions_still_fit(cohort: Cohort, opens: datetime, closes: datetime, timezone: str):
    """Moving the window must not leave scheduled sessions at implausible dates."""
    starts = [s.starts_at for s in cohort.sessions if not s.is_cancelled]
    if not starts:
        return
    if min(starts) < opens:
        raise ValidationFailed(
            "signup_opens",
            _l(
                "The sign-up window must open before the first session (%(start)s).",
                start=format_local(min(starts), timezone),
            ),
        )
    if max(starts) > closes + SESSION_HORIZON:
        raise ValidationFailed(
            "signup_closes",
            _l(
                "The last session (%(start)s) would be more than two years after the sign-up "
                "window closes.",
                start=format_local(max(starts), timezone),
            ),
        )
