"""Local wall-clock times ↔ UTC instants, correct on both sides of a daylight-saving change
(conversion only; showing times in a language is `app.sessions.local_time`).

Organisers type local times in the cohort's timezone; the database stores UTC instants.

- A local time that does not exist (the hour skipped when clocks go forward, e.g. 02:30 on the
  last Sunday of March in Europe/Berlin) is refused with `NonExistentLocalTime`.
- A local time that exists twice (the hour repeated when clocks go back, e.g. 02:30 on the last
  Sunday of October) means its first occurrence (`fold=0`, still summer time).
"""

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_TIMEZONE = "Europe/Berlin"


class NonExistentLocalTime(ValueError):
    """The wall-clock time is skipped by a daylight-saving change in that timezone."""


@lru_cache(maxsize=1)
def _known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_valid_timezone(name: str) -> bool:
    """An IANA name such as "Europe/Berlin" that zoneinfo can load."""
    if name not in _known_timezones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def to_utc(local: datetime, timezone: str) -> datetime:
    """The UTC instant of a naive local wall-clock time in `timezone`."""
    if local.tzinfo is not None:
        raise ValueError("to_utc expects a naive local datetime")
    zone = ZoneInfo(timezone)
    aware = local.replace(tzinfo=zone, fold=0)
    instant = aware.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local:
        raise NonExistentLocalTime(local)
    return instant


def to_local(instant: datetime, timezone: str) -> datetime:
    """The naive wall-clock time of a UTC instant in `timezone` (what a form field shows)."""
    return instant.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def local_date(instant: datetime, timezone: str) -> date:
    return to_local(instant, timezone).date()


def shift_local(instant: datetime, timezone: str, days: int) -> datetime:
    """Move an instant by whole days on the local calendar, keeping its wall-clock time.

    10:00 stays 10:00 even when the shift crosses a daylight-saving change (the UTC distance is
    then an hour more or less than `days` × 24 h).
    """
    return to_utc(to_local(instant, timezone) + timedelta(days=days), timezone)
