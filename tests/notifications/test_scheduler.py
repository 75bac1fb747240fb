"""APScheduler runs the dispatcher: inside the web process when SCHEDULER_ENABLED, or as its own
process with `flask scheduler run`."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest

from app import create_app
from app.extensions import db
from app.notifications.models import Reason
from app.notifications.scheduler import JOB_ID
from config import BASE_DIR
from tests.conftest import Mailbox
from tests.notifications.helpers import book, demo_cohort, enrol, impulse_sessions, notifications


def _wait_for(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _pending_confirmation(app):
    app.config["NOTIFY_SEND_AFTER_COMMIT"] = False
    cohort = demo_cohort()
    cohort.programme.minimum_alert_hours = 0
    db.session.commit()
    booking = book(enrol(cohort), impulse_sessions(cohort, "verkehrsplanung")[0])
    [row] = notifications(booking_id=booking.id, reason=Reason.BOOKING_BOOKED.value)
    assert row.state == "pending"
    return row


def test_no_scheduler_runs_unless_enabled(app):
    assert "fahrplan_scheduler" not in app.extensions


@pytest.mark.parametrize(
    "config_overrides", [{"SCHEDULER_ENABLED": True, "NOTIFY_DISPATCH_INTERVAL": 3600}]
)
def test_the_embedded_scheduler_dispatches_in_the_background(app, app_config):
    row = _pending_confirmation(app)
    embedded = create_app(app_config)
    scheduler = embedded.extensions["fahrplan_scheduler"]
    try:
        job = scheduler.get_job(JOB_ID)
        assert job.trigger.interval.total_seconds() == 3600
        job.modify(next_run_time=datetime.now(UTC))  # instead of waiting for the next run
        assert _wait_for(lambda: notifications(id=row.id)[0].state == "sent")
    finally:
        scheduler.shutdown(wait=True)
        with embedded.app_context():
            db.engine.dispose()
    app.extensions.pop("fahrplan_scheduler").shutdown(wait=True)


def test_flask_scheduler_tick_dispatches_once(app):
    row = _pending_confirmation(app)
    result = app.test_cli_runner().invoke(args=["scheduler", "tick"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert notifications(id=row.id)[0].state == "sent"


def test_flask_scheduler_run_is_a_process_of_its_own_and_stops_cleanly(app, database_url, tmp_path):
    row = _pending_confirmation(app)
    instance = tmp_path / "dispatcher-instance"
    environment = {
        **os.environ,
        "FLASK_APP": "app",
        "DATABASE_URL": database_url,
        "FAHRPLAN_INSTANCE_PATH": str(instance),
        "PUBLIC_URL": "https://fahrplan.example.org",
        "NOTIFY_DISPATCH_INTERVAL": "1",
    }
    environment.pop("APP_ENV", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "scheduler", "run"],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        sent = _wait_for(lambda: notifications(id=row.id)[0].state == "sent", seconds=30)
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert sent, output
    assert process.returncode == 0, output
    [confirmation] = Mailbox(instance / "mail").for_recipient(row.user.email)[:1]
    assert confirmation["Message-ID"] == row.message_id
    text = confirmation.get_body(preferencelist=("plain",)).get_content()
    assert "https://fahrplan.example.org/me/" in text  # links without a request
