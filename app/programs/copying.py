"""Copy a cohort into next year's run, shifting every date.

The shift is the number of calendar days between the old first session and the new first
session date, applied to local dates in the cohort's timezone, so a session at 10:00 stays at
10:00 even when the shift crosses a daylight-saving change. Capacities, coaches, audiences and
formats are copied; cancelled sessions and anything people did (bookings) are not. The copy
starts as a draft.
"""

from datetime import date

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.extensions import db
from app.programs.cohort_services import check_cohort_name_and_slug, cohort_slug_taken
from app.programs.errors import ValidationFailed
from app.programs.models import Cohort, CohortStatus
from app.programs.services import ensure_manager
from app.programs.slugs import slugify, unique_slug
from app.sessions.models import SessionStatus, TrainingSession
from app.sessions.timezones import NonExistentLocalTime, local_date, shift_local

FIELD = "first_session_date"


def copy_cohort(
    source: Cohort, *, name: str, slug: str, first_session_date: date, actor: User
) -> Cohort:
    programme = source.programme
    ensure_manager(programme, actor)
    check_cohort_name_and_slug(programme, name, slug)
    sessions = [s for s in source.sessions if not s.is_cancelled]
    if not sessions:
        raise ValidationFailed(
            FIELD,
            _l(
                "This cohort has no scheduled sessions, so there is no first session to move. "
                "Create a new cohort instead."
            ),
        )
    timezone = source.timezone
    first_start = min(s.starts_at for s in sessions)
    days = (first_session_date - local_date(first_start, timezone)).days

    def shifted(instant, what):
        try:
            return shift_local(instant, timezone, days)
        except NonExistentLocalTime:
            raise ValidationFailed(
                FIELD,
                _l(
                    "With this date, %(what)s would fall into the hour skipped when summer time "
                    "begins. Please choose another date.",
                    what=what,
                ),
            ) from None

    # Every date first, so a refusal leaves nothing half-built in the database session.
    window = (
        shifted(source.signup_opens_at, _l("the opening of the sign-up window")),
        shifted(source.signup_closes_at, _l("the end of the sign-up window")),
    )
    times = {s.id: (shifted(s.starts_at, s.title), shifted(s.ends_at, s.title)) for s in sessions}
    slug = slug.strip() or unique_slug(
        slugify(name), lambda s: cohort_slug_taken(programme, s), fallback="durchgang"
    )
    copy = Cohort(
        programme=programme,
        slug=slug,
        name=name.strip(),
        status=CohortStatus.DRAFT.value,
        timezone=timezone,
        signup_opens_at=window[0],
        signup_closes_at=window[1],
        max_participants=source.max_participants,
        reminder_offsets_hours=source.reminder_offsets_hours,
    )
    for original in sorted(sessions, key=lambda s: s.starts_at):
        starts_at, ends_at = times[original.id]
        copy.sessions.append(
            TrainingSession(
                kind=original.kind,
                title=original.title,
                description=original.description,
                target_group_id=original.target_group_id,
                format=original.format,
                meeting_url=original.meeting_url,
                location=original.location,
                starts_at=starts_at,
                ends_at=ends_at,
                capacity_min=original.capacity_min,
                capacity_max=original.capacity_max,
                topic_block=original.topic_block,
                status=SessionStatus.SCHEDULED.value,
                coaches=list(original.coaches),
            )
        )
    db.session.add(copy)
    db.session.flush()
    return copy
