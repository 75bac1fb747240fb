"""Every change to an account. Services flush; the caller commits once.

No service reads `flask.request` or `current_user`: the acting user and the settings they need
are explicit arguments, so the CLI and the scheduler can call them too.
"""

from collections.abc import Mapping
from datetime import datetime

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import Role, User, new_session_token
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.auth.tokens import (
    Purpose,
    TokenExpired,
    TokenInvalid,
    make_token,
    read_token,
    token_matches,
)
from app.errors import Refusal
from app.extensions import db
from app.notifications.mail import queue_after_commit, render_message


class AccountError(Refusal):
    """A refusal with a message meant for the person who asked."""


class EmailTaken(AccountError):
    def __init__(self):
        super().__init__(_l("An account with this e-mail address already exists."))


class LinkInvalid(AccountError):
    def __init__(self):
        super().__init__(_l("This link is invalid or has already been used."))


class LinkExpired(AccountError):
    def __init__(self):
        super().__init__(_l("This link has expired. Please request a new one."))


class LoginFailed(AccountError):
    def __init__(self):
        super().__init__(_l("E-mail address or password is wrong."))


class AccountLocked(AccountError):
    def __init__(self):
        super().__init__(_l("This account is locked. Please contact the administrators."))


class EmailNotConfirmed(AccountError):
    def __init__(self):
        super().__init__(
            _l("Please confirm your e-mail address first. We can send you a new link.")
        )


class RoleChangeRefused(AccountError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def _ensure_email_free(email: str) -> None:
    if find_user_by_email(email) is not None:
        raise EmailTaken


def create_user(
    *,
    email: str,
    name: str,
    organisation: str = "",
    password: str | None = None,
    role: Role = Role.PARTICIPANT,
    confirmed_at: datetime | None = None,
    invited_by: User | None = None,
    locale: str | None = None,
) -> User:
    _ensure_email_free(email)
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        organisation=organisation.strip(),
        password_hash=hash_password(password) if password else None,
        role=role.value,
        email_confirmed_at=confirmed_at,
        invited_by_id=invited_by.id if invited_by else None,
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    return user


def register(
    *, email: str, name: str, organisation: str, password: str, locale: str | None, config: Mapping
) -> User:
    user = create_user(
        email=email, name=name, organisation=organisation, password=password, locale=locale
    )
    send_confirmation(user, config=config)
    return user


def send_confirmation(user: User, *, config: Mapping) -> None:
    token = make_token(config["SECRET_KEY"], user, Purpose.CONFIRM_EMAIL)
    _queue_mail(
        user,
        subject=_l("Please confirm your e-mail address"),
        template="confirm_email",
        link=url_for("auth.confirm_email", token=token, _external=True),
        max_age_hours=config["EMAIL_CONFIRM_MAX_AGE"] // 3600,
    )


def confirm_email(token: str, *, config: Mapping, now: datetime) -> User:
    claims = _read(token, Purpose.CONFIRM_EMAIL, config, config["EMAIL_CONFIRM_MAX_AGE"])
    user = _user_for(claims, Purpose.CONFIRM_EMAIL)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = now
    db.session.flush()
    return user


def authenticate(email: str, password: str, *, now: datetime) -> User:
    """Check credentials; unknown e-mail and wrong password look and take the same.

    Only someone who knows the password learns that the account is locked or unconfirmed.
    """
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise LoginFailed
    if not user.is_enabled:
        raise AccountLocked
    if not user.is_confirmed:
        raise EmailNotConfirmed
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    db.session.flush()
    return user


def request_password_reset(email: str, *, config: Mapping) -> None:
    """Mail a reset link if the account exists; the caller answers the same either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_enabled:
        return
    token = make_token(config["SECRET_KEY"], user, Purpose.RESET_PASSWORD)
    _queue_mail(
        user,
        subject=_l("Reset your Fahrplan password"),
        template="reset_password",
        link=url_for("auth.reset_password", token=token, _external=True),
        max_age_minutes=config["PASSWORD_RESET_MAX_AGE"] // 60,
    )


def check_password_token(token: str, purpose: Purpose, *, config: Mapping) -> User:
    max_age = config[
        "INVITATION_MAX_AGE" if purpose is Purpose.INVITATION else "PASSWORD_RESET_MAX_AGE"
    ]
    return _user_for(_read(token, purpose, config, max_age), purpose)


def set_password_with_token(
    token: str, purpose: Purpose, new_password: str, *, config: Mapping, now: datetime
) -> User:
    """Use a reset or invitation link: both prove control of the mailbox, so both confirm it."""
    user = check_password_token(token, purpose, config=config)
    change_password(user, new_password)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = now
    db.session.flush()
    return user


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end every other session of the account."""
    user.password_hash = hash_password(new_password)
    user.session_token = new_session_token()
    db.session.flush()


def invite(
    *, email: str, name: str, organisation: str, role: Role, inviter: User, config: Mapping
) -> User:
    """Create an account for someone else and mail them a link to choose their password."""
    if role is Role.ADMIN and not inviter.is_admin:
        raise RoleChangeRefused(_l("Only administrators can create administrators."))
    user = create_user(
        email=email, name=name, organisation=organisation, role=role, invited_by=inviter
    )
    token = make_token(config["SECRET_KEY"], user, Purpose.INVITATION)
    _queue_mail(
        user,
        subject=_l("You are invited to Fahrplan"),
        template="invitation",
        link=url_for("auth.accept_invitation", token=token, _external=True),
        inviter=inviter,
        role=role,
        max_age_days=config["INVITATION_MAX_AGE"] // 86400,
    )
    return user


def change_role(user: User, role: Role, *, actor: User) -> None:
    if not actor.is_admin:
        raise RoleChangeRefused(_l("Only administrators can change roles."))
    if user.id == actor.id and role is not Role.ADMIN:
        raise RoleChangeRefused(_l("You cannot remove your own administrator role."))
    user.role = role.value
    db.session.flush()


def set_enabled(user: User, enabled: bool, *, actor: User) -> None:
    if not actor.is_admin:
        raise RoleChangeRefused(_l("Only administrators can lock accounts."))
    if user.id == actor.id and not enabled:
        raise RoleChangeRefused(_l("You cannot lock your own account."))
    user.is_enabled = enabled
    if not enabled:
        user.session_token = new_session_token()
    db.session.flush()


def _read(token: str, purpose: Purpose, config: Mapping, max_age: int) -> dict:
    try:
        return read_token(config["SECRET_KEY"], token, purpose, max_age=max_age)
    except TokenExpired as exc:
        raise LinkExpired from exc
    except TokenInvalid as exc:
        raise LinkInvalid from exc


def _user_for(claims: dict, purpose: Purpose) -> User:
    user = db.session.get(User, claims.get("uid"))
    if not token_matches(user, claims, purpose):
        raise LinkInvalid
    return user


def _queue_mail(user: User, *, subject, template: str, **context) -> None:
    message = render_message(
        to=user.email, subject=subject, template=template, locale=user.locale, user=user, **context
    )
    queue_after_commit(message)


class WrongPassword(AccountError):
    def __init__(self):
        super().__init__(_l("The password is not correct."))


def update_profile(user: User, *, name: str, organisation: str, locale: str) -> None:
    user.name = name.strip()
    user.organisation = organisation.strip()
    user.locale = locale
    db.session.flush()


def change_own_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise WrongPassword
    change_password(user, new_password)


def export_personal_data(user: User) -> dict:
    """Everything Fahrplan stores about the person (GDPR Art. 15 and 20), as JSON-ready data."""
    return {
        "account": {
            "email": user.email,
            "name": user.name,
            "organisation": user.organisation,
            "role": user.role,
            "language": user.locale,
            "registered_at": user.created_at.isoformat(),
            "email_confirmed_at": _iso(user.email_confirmed_at),
            "last_login_at": _iso(user.last_login_at),
        },
    }


def confirm_password(user: User, current_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise WrongPassword


def delete_account(user: User, current_password: str) -> None:
    """Erase the account (GDPR Art. 17); records that point to it keep no personal data.

    The caller first gives up the person's seats (`enrolments.privacy.leave_everything`), so
    people on waiting lists move up before the bookings disappear with the account."""
    confirm_password(user, current_password)
    db.session.delete(user)
    db.session.flush()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
