"""`flask privacy erase-due`: the retention job by hand (it also runs daily in the scheduler)."""

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from app.db_types import utcnow
from app.privacy import retention

privacy_cli = AppGroup("privacy", help="Data protection: retention of participant data.")


def retention_period() -> timedelta:
    return timedelta(days=current_app.config["RETENTION_DAYS"])


@privacy_cli.command("erase-due")
@click.option("--dry-run", is_flag=True, help="Only list the cohorts that are due.")
def erase_due_command(dry_run: bool) -> None:
    """Erase the participant data of cohorts that ended more than RETENTION_DAYS ago."""
    now, period = utcnow(), retention_period()
    due = (
        retention.due_cohorts(now=now, retention=period)
        if dry_run
        else retention.erase_due(now=now, retention=period)
    )
    verb = "due" if dry_run else "erased"
    for item in due:
        click.echo(
            f"{verb}: {item.cohort.programme.title} / {item.cohort.name} "
            f"(ended {item.ended_at:%Y-%m-%d})"
        )
    click.echo(f"{len(due)} cohort(s) {verb}.")
