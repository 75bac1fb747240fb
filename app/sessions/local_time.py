"""Instants shown as the cohort's local wall-clock time, in the visitor's language.

Flask-Babel's own `format_datetime` converts to the app-wide timezone; a session belongs to its
cohort's timezone instead, so every function here takes that timezone explicitly and passes it to
Babel. The zone abbreviation (MEZ/MESZ, CET/CEST) is always shown, because a time without it is
ambiguous for anyone reading from elsewhere. The functions double as template filters (registered
by the sessions blueprint).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _


def to_local(instant: datetime, timezone: str) -> datetime:
    return instant.astimezone(ZoneInfo(timezone))


def zone_abbreviation(local: datetime) -> str:
    """CLDR's short name (MESZ in German); where the locale has none, the tz database's (CEST)."""
    name = format_datetime(local, "z", tzinfo=local.tzinfo, locale=get_locale())
    if name[:1] in "+-" or name.startswith("GMT"):
        fallback = local.tzname() or ""
        if fallback[:1].isalpha():
            return fallback
    return name


def _date(local: datetime) -> str:
    return format_date(local, "full", locale=get_locale())


def _time(local: datetime) -> str:
    return format_time(local, "short", tzinfo=local.tzinfo, locale=get_locale())


def local_datetime(instant: datetime, timezone: str) -> str:
    """E.g. "Friday, October 23, 2026, 10:00 AM CEST"."""
    local = to_local(instant, timezone)
    return _(
        "%(date)s, %(time)s %(zone)s",
        date=_date(local),
        time=_time(local),
        zone=zone_abbreviation(local),
    )


def local_iso(instant: datetime, timezone: str) -> str:
    """For `<time datetime=…>`: the local time with its offset, e.g. 2026-10-23T10:00:00+02:00."""
    return to_local(instant, timezone).isoformat()


def session_time(training_session) -> str:
    """Date, start and end of a session in its cohort's timezone."""
    timezone = training_session.cohort.timezone
    start = to_local(training_session.starts_at, timezone)
    end = to_local(training_session.ends_at, timezone)
    if start.date() != end.date():
        return _(
            "%(start)s – %(end)s",
            start=local_datetime(training_session.starts_at, timezone),
            end=local_datetime(training_session.ends_at, timezone),
        )
    return _(
        "%(date)s, %(start)s – %(end)s %(zone)s",
        date=_date(start),
        start=_time(start),
        end=_time(end),
        zone=zone_abbreviation(end),
    )


def _minutes(training_session) -> int:
    return int((training_session.ends_at - training_session.starts_at) / timedelta(minutes=1))


def session_duration(training_session) -> str:
    hours, minutes = divmod(_minutes(training_session), 60)
    if not minutes:
        return ngettext("%(num)d hour", "%(num)d hours", hours)
    if not hours:
        return ngettext("%(num)d minute", "%(num)d minutes", minutes)
    return _("%(hours)d h %(minutes)d min", hours=hours, minutes=minutes)


def session_duration_iso(training_session) -> str:
    """An HTML duration string for `<time datetime=…>`, e.g. PT1H30M."""
    hours, minutes = divmod(_minutes(training_session), 60)
    return f"PT{hours}H{minutes}M" if minutes else f"PT{hours}H"


TEMPLATE_FILTERS = {
    "local_datetime": local_datetime,
    "local_iso": local_iso,
    "session_time": session_time,
    "session_duration": session_duration,
    "session_duration_iso": session_duration_iso,
}
