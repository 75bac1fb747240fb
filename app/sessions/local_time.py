"""Instants shown as the cohort's local wall-clock time, in the visitor's language.

Flask-Babel's own `format_datetime` converts to the app-wide timezone; a session belongs to its
cohort's timezone instead, so every function here takes that timezone explicitly and passes it to
Babel. Two registers: the full one for participants and mails, always with the zone abbreviation
(MEZ/MESZ, CET/CEST), because a time without it is ambiguous for anyone reading from elsewhere;
and the compact one for the organisers' tables (`format_local`, `format_local_range`), whose
pages name the cohort's timezone once. The functions double as template filters and globals
(registered in `app.templating`). Converting between local and UTC is `app.sessions.timezones`.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_skeleton, format_time
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from app.sessions.timezones import local_date


def in_zone(instant: datetime, timezone: str) -> datetime:
    """The instant as an aware datetime in `timezone` (for Babel, which shows its zone)."""
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
    local = in_zone(instant, timezone)
    return _(
        "%(date)s, %(time)s %(zone)s",
        date=_date(local),
        time=_time(local),
        zone=zone_abbreviation(local),
    )


def local_iso(instant: datetime, timezone: str) -> str:
    """For `<time datetime=…>`: the local time with its offset, e.g. 2026-10-23T10:00:00+02:00."""
    return in_zone(instant, timezone).isoformat()


def session_time(training_session) -> str:
    """Date, start and end of a session in its cohort's timezone."""
    timezone = training_session.cohort.timezone
    start = in_zone(training_session.starts_at, timezone)
    end = in_zone(training_session.ends_at, timezone)
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


def _format(instant: datetime, timezone: str, skeleton: str) -> str:
    zone = ZoneInfo(timezone)
    return format_skeleton(
        skeleton, instant.astimezone(zone), tzinfo=zone, locale=str(get_locale())
    )


def format_local(instant: datetime | None, timezone: str) -> str:
    """An instant as the cohort's local date and time in the page's language.

    E.g. "Di., 20. Okt. 2026, 14:00" or "Tue, Oct 20, 2026, 14:00".
    """
    if instant is None:
        return ""
    return f"{_format(instant, timezone, 'yMMMEd')}, {_format(instant, timezone, 'Hm')}"


def format_local_range(starts: datetime, ends: datetime, timezone: str) -> str:
    """Start and end; the end's date is repeated only when it differs from the start's."""
    same_day = local_date(starts, timezone) == local_date(ends, timezone)
    end = _format(ends, timezone, "Hm") if same_day else format_local(ends, timezone)
    return f"{format_local(starts, timezone)} – {end}"


def local_time(instant: datetime | None, timezone: str, pattern: str | None = None) -> str:
    """`{{ starts_at|local_time(cohort.timezone) }}`: the compact local time; with a CLDR
    `pattern` (e.g. "HH:mm") only that part."""
    if instant is None:
        return ""
    if pattern is None:
        return format_local(instant, timezone)
    local = in_zone(instant, timezone)
    return format_datetime(local, pattern, tzinfo=local.tzinfo, locale=get_locale())


TEMPLATE_FILTERS = {
    "local_time": local_time,
    "local_datetime": local_datetime,
    "local_iso": local_iso,
    "session_time": session_time,
    "session_duration": session_duration,
    "session_duration_iso": session_duration_iso,
}

# The organisers' pages call these as functions: `local_time(instant, zone)` is the filter.
TEMPLATE_GLOBALS = {"local_time": local_time, "local_range": format_local_range}
