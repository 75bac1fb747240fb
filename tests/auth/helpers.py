"""Small helpers for the account tests: reading pages, flashes and the session like a browser."""

import json
import re
from html import unescape
from urllib.parse import urlsplit

from flask_babel import force_locale
from flask_babel import gettext as _gettext
from itsdangerous import base64_decode, base64_encode
from sqlalchemy import func, select

from app.auth.models import User
from app.auth.passwords import verify_password
from app.extensions import db
from tests.factories import PASSWORD

NEW_PASSWORD = "a brand new passphrase"

FLASH_RE = re.compile(r'<p class="alert alert-(\w+)">(.*?)</p>', re.S)
FORM_ALERT_RE = re.compile(r'<div class="alert alert-error" role="alert">(.*?)</div>', re.S)


def tr(message, locale: str = "de", **variables) -> str:
    """`message` (a msgid or a lazy string) as the app shows it to a visitor in `locale`.

    The expected text comes from the app's own catalogue, so the assertions hold before and
    after the German translations are filled in.
    """
    with force_locale(locale):
        if isinstance(message, str):
            return _gettext(message, **variables)
        return str(message)


def field_error(response, field_id: str) -> str | None:
    """The error text rendered next to one field (None when the field has no error)."""
    html = response.get_data(as_text=True)
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    if match is None:
        return None
    control = re.search(
        rf'<(?:input|select|textarea)\b[^>]*\bid="{re.escape(field_id)}"[^>]*>', html
    )
    assert control, f"no form control with id {field_id}"
    described_by = re.search(r'aria-describedby="([^"]*)"', control.group(0))
    assert described_by, f"{field_id} does not point to its error message"
    assert f"{field_id}-error" in described_by.group(1).split()
    assert 'aria-invalid="true"' in control.group(0)
    return unescape(match.group(1)).strip()


def fields_with_errors(response) -> set[str]:
    html = response.get_data(as_text=True)
    return set(re.findall(r'<p class="error" id="([\w-]+)-error">', html))


def form_alert(response) -> str | None:
    match = FORM_ALERT_RE.search(response.get_data(as_text=True))
    return unescape(match.group(1)).strip() if match else None


def flashes(response) -> list[tuple[str, str]]:
    """(category, text) of the flashed messages on a rendered page."""
    return [
        (category, unescape(text).strip())
        for category, text in FLASH_RE.findall(response.get_data(as_text=True))
    ]


def follow(client, response):
    """Open the page a redirect points to, as a browser does (rendering its flashes)."""
    assert response.status_code in (302, 303), response.status_code
    return client.get(response.headers["Location"])


def location_path(response) -> str:
    parts = urlsplit(response.headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


def session_data(client) -> dict:
    """What the browser's signed session cookie currently holds."""
    with client.session_transaction() as session:
        return dict(session)


def count_users() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(User))


def reload_user(user_or_email) -> User | None:
    db.session.expire_all()
    email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
    return db.session.scalar(select(User).where(User.email == email))


def password_works(user_or_email, password: str) -> bool:
    """Check against the stored hash (read fresh from the database)."""
    return verify_password(reload_user(user_or_email).password_hash, password)


def registration_data(**overrides) -> dict:
    data = {
        "name": "Renate Radweg",
        "email": "renate.radweg@kommune.example",
        "organisation": "Stadt Freiburg",
        "password": "a long enough password",
        "confirm": "a long enough password",
        "accept_privacy": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def register(client, **overrides):
    return client.submit(
        "/auth/register", registration_data(**overrides), form_page="/auth/register"
    )


def login(client, email: str, password: str = PASSWORD, *, path: str = "/auth/login", **extra):
    return client.submit(path, {"email": email, "password": password, **extra}, form_page=path)


def is_signed_in(client) -> bool:
    """Ask the server: a protected page answers 200 only with a valid session."""
    return client.get("/account/").status_code == 200


def link_path(link: str) -> str:
    parts = urlsplit(link)
    return parts.path


def tampered(link: str, **claims) -> str:
    """The link with its signed payload rewritten (e.g. another `uid`), signature kept."""
    head, _, token = link.rpartition("/")
    payload, timestamp, signature = token.split(".")
    data = json.loads(base64_decode(payload))
    data.update(claims or {"uid": data["uid"] + 1})
    forged = base64_encode(json.dumps(data, separators=(",", ":")).encode()).decode()
    return f"{head}/{forged}.{timestamp}.{signature}"
