"""Template filters shared by every domain's pages and mails."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Flask, current_app
from flask_babel import get_locale

from app.privacy.retention import RetentionState
from app.privacy.retention import retention_state as _retention_state
from app.sessions import local_time as local_time_filters
from app.sessions.seats import free_seats
from app.sessions.timezones import format_local


def local_time(instant: datetime | None, timezone: str, pattern: str | None = None) -> str:
    """`{{ starts_at|local_time(cohort.timezone) }}`: the cohort's wall-clock time; with a CLDR
    `pattern` (e.g. "HH:mm") only that part."""
    if instant is None:
        return ""
    if pattern is None:
        return format_local(instant, timezone)
    zone = ZoneInfo(timezone)
    return format_datetime(instant.astimezone(zone), pattern, tzinfo=zone, locale=get_locale())


def retention_state(cohort) -> RetentionState:
    """`{% set retention = retention_state(cohort) %}` on the organiser's cohort page."""
    period = timedelta(days=current_app.config["RETENTION_DAYS"])
    return _retention_state(cohort, retention=period)


def register_template_filters(app: Flask) -> None:
    app.jinja_env.filters.update(local_time_filters.TEMPLATE_FILTERS)
    app.add_template_filter(local_time, "local_time")
    app.jinja_env.globals["free_seats"] = free_seats
    app.jinja_env.globals["retention_state"] = retention_state
