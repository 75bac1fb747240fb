"""Template filters and globals shared by every domain's pages and mails."""

from datetime import timedelta

from flask import Flask, current_app

from app.privacy.retention import RetentionState
from app.privacy.retention import retention_state as _retention_state
from app.sessions import local_time
from app.sessions.seats import free_seats


def retention_state(cohort) -> RetentionState:
    """`{% set retention = retention_state(cohort) %}` on the organiser's cohort page."""
    period = timedelta(days=current_app.config["RETENTION_DAYS"])
    return _retention_state(cohort, retention=period)


def register_template_filters(app: Flask) -> None:
    app.jinja_env.filters.update(local_time.TEMPLATE_FILTERS)
    app.jinja_env.globals.update(local_time.TEMPLATE_GLOBALS)
    app.jinja_env.globals["free_seats"] = free_seats
    app.jinja_env.globals["retention_state"] = retention_state
