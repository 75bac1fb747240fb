"""`flask demo load`."""

from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup

from app.demo.data import DEMO_PASSWORD
from app.demo.loader import load_demo
from app.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def load() -> None:
    """Load the demo programme (seed 004) and one account per role; safe to run twice."""
    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("The demo has published passwords; it is not for production.")
    result = load_demo(today=datetime.now(ZoneInfo("Europe/Berlin")).date())
    db.session.commit()
    click.echo("Demo programme loaded." if result.created else "Demo programme already there.")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for role, email in result.accounts:
        click.echo(f"  {role:<12} {email}")
