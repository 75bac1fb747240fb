"""Template filters and globals shared by every domain's pages and mails."""

from datetime import timedelta

from flask import Flask, current_app
from flask_babel import format_decimal, format_percent

from app.privacy.retention import RetentionState
from app.privacy.retention import retention_state as _retention_state
from app.sessions import local_time
from app.sessions.seats import free_seats


def retention_state(cohort) -> RetentionState:
    """`{% set retention = retention_state(cohort) %}` on the organiser's cohort page."""
    period = timedelta(days=current_app.config["RETENTION_DAYS"])
    return _retention_state(cohort, retention=period)


def percent(share: float | None) -> str:
    """`{{ rate|percent }}`: "85 %" in German, "85%" in English; "–" without a share."""
    return "–" if share is None else format_percent(share)


def decimal(number: float) -> str:
    """`{{ 4.25|round(1)|decimal }}`: "4,3" in German, "4.3" in English."""
    return format_decimal(number)


def register_template_filters(app: Flask) -> None:
    app.jinja_env.filters.update(local_time.TEMPLATE_FILTERS)
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["decimal"] = decimal
    app.jinja_env.globals.update(local_time.TEMPLATE_GLOBALS)
    app.jinja_env.globals["free_seats"] = free_seats
    app.jinja_env.globals["retention_state"] = retention_state
