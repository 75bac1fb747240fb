"""`flask users ...`: account management from the shell."""

import click
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask.cli import AppGroup

from app.auth import services
from app.auth.models import Role
from app.db_types import utcnow
from app.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--organisation", default="")
@click.option(
    "--role", type=click.Choice([role.value for role in Role]), default=Role.PARTICIPANT.value
)
@click.password_option()
def create(email: str, name: str, organisation: str, role: str, password: str) -> None:
    """Create a confirmed account, e.g. the first administrator."""
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise click.BadParameter(f"{email!r}: {exc}", param_hint="--email") from exc
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise click.BadParameter(f"use at least {minimum} characters", param_hint="--password")
    try:
        user = services.create_user(
            email=email,
            name=name,
            organisation=organisation,
            password=password,
            role=Role(role),
            confirmed_at=utcnow(),
        )
    except services.AccountError as exc:
        raise click.ClickException(str(exc.message)) from exc
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([role.value for role in Role]))
def set_role(email: str, role: str) -> None:
    """Change the role of an existing account."""
    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    user.role = role
    db.session.commit()
    click.echo(f"{user.email} is now {role}.")
