"""APScheduler runs the dispatcher every `NOTIFY_DISPATCH_INTERVAL` seconds (one minute), and
the retention job (app.privacy.retention) once a day.

Embedded: with `SCHEDULER_ENABLED` (set by `make run`), the web process starts a
BackgroundScheduler. Production: `flask scheduler run` is a process of its own (a
BlockingScheduler). Several of either may run at once: the claim in the dispatcher makes each
message go out once. The job holds no state: each run opens its own app context and reads the
rows, so a restart loses nothing.
"""

import atexit
import logging
import signal
from datetime import UTC, datetime, timedelta

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app
from flask.cli import AppGroup

from app.db_types import utcnow
from app.extensions import db
from app.notifications.dispatcher import dispatch_due
from app.privacy import retention

log = logging.getLogger(__name__)
JOB_ID = "dispatch-notifications"
RETENTION_JOB_ID = "erase-due-participant-data"
RETENTION_INTERVAL = timedelta(days=1)
_EXTENSION_KEY = "fahrplan_scheduler"

scheduler_cli = AppGroup(
    "scheduler", help="Scheduled work: the notification dispatcher and the retention job."
)


def run_dispatcher(app: Flask) -> None:
    """The job: one dispatcher tick in an app context of its own."""
    with app.app_context():
        try:
            tally = dispatch_due()
            if tally.claimed or tally.reclaimed or tally.planned:
                log.info("Dispatcher: %s", tally)
        finally:
            db.session.remove()


def run_retention(app: Flask) -> None:
    """The daily job: erase the participant data of cohorts whose retention period is over.
    Two schedulers may both run it: the second finds the cohorts already erased (each cohort is
    erased in one transaction and stamped)."""
    with app.app_context():
        try:
            period = timedelta(days=app.config["RETENTION_DAYS"])
            for due in retention.erase_due(now=utcnow(), retention=period):
                log.info("Retention: erased the participant data of cohort %s", due.cohort.id)
        finally:
            db.session.remove()


def _add_job(scheduler: BaseScheduler, app: Flask) -> None:
    for job, job_id, interval in (
        (run_dispatcher, JOB_ID, timedelta(seconds=app.config["NOTIFY_DISPATCH_INTERVAL"])),
        (run_retention, RETENTION_JOB_ID, RETENTION_INTERVAL),
    ):
        scheduler.add_job(
            job,
            "interval",
            args=[app],
            id=job_id,
            seconds=interval.total_seconds(),
            next_run_time=datetime.now(UTC),  # at start-up, too: nothing waits a day
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )


def register_scheduler(app: Flask) -> None:
    """Add `flask scheduler …`; start the embedded dispatcher when `SCHEDULER_ENABLED`."""
    app.cli.add_command(scheduler_cli)
    if not app.config["SCHEDULER_ENABLED"]:
        return
    scheduler = BackgroundScheduler(timezone=UTC, daemon=True)
    _add_job(scheduler, app)
    scheduler.start()
    app.extensions[_EXTENSION_KEY] = scheduler
    atexit.register(_shutdown, scheduler)


def _shutdown(scheduler: BaseScheduler) -> None:
    if scheduler.running:
        scheduler.shutdown(wait=True)  # let a running batch finish marking its rows


@scheduler_cli.command("run")
def run_command() -> None:
    """Run the dispatcher until stopped (SIGTERM or Ctrl+C finish the running batch first)."""
    app = current_app._get_current_object()
    embedded = app.extensions.pop(_EXTENSION_KEY, None)
    if embedded is not None:
        _shutdown(embedded)
    scheduler = BlockingScheduler(timezone=UTC)
    _add_job(scheduler, app)
    signal.signal(signal.SIGTERM, _exit)
    click.echo(
        f"Dispatching notifications every {app.config['NOTIFY_DISPATCH_INTERVAL']} s, "
        "erasing participant data that is due once a day (Ctrl+C stops)."
    )
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        _shutdown(scheduler)


def _exit(signum, frame) -> None:
    raise SystemExit(0)


@scheduler_cli.command("tick")
def tick_command() -> None:
    """Run the dispatcher once and print what it did (e.g. from cron)."""
    tally = dispatch_due()
    click.echo(
        f"sent {tally.sent}, retried {tally.retried}, failed {tally.failed}, "
        f"dropped {tally.dropped}, reclaimed {tally.reclaimed}, planned {tally.planned}"
    )
