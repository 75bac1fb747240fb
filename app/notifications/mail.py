"""Mail rendering and delivery.

Messages are queued on the database session and delivered only after that session's commit
succeeds, so a rolled-back request never sends mail about something that did not happen.
Without `MAIL_SERVER`, each message is written as an .eml file under `MAIL_FILE_DIR`.
"""

import logging
import smtplib
import ssl
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

log = logging.getLogger(__name__)
_QUEUE_KEY = "fahrplan_outgoing_mail"


def render_message(
    *, to: str, subject: str, template: str, locale: str | None, **context
) -> EmailMessage:
    """Render `templates/email/<template>.txt` and `.html` in the recipient's language."""
    locale = locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
        subject = str(subject)
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain="fahrplan.local")
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    # After add_alternative, which moves Content-* headers into the first part.
    message["Content-Language"] = locale
    return message


def deliver(message: EmailMessage, config: Mapping) -> None:
    if config.get("MAIL_SERVER"):
        _send_smtp(message, config)
    else:
        _write_file(message, Path(config["MAIL_FILE_DIR"]))


def _send_smtp(message: EmailMessage, config: Mapping) -> None:
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    context = ssl.create_default_context()
    smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    kwargs = {"context": context} if config.get("MAIL_USE_SSL") else {}
    with smtp_class(host, port, timeout=timeout, **kwargs) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=context)
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def _write_file(message: EmailMessage, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(bytes(message))
    return path


def queue_after_commit(message: EmailMessage) -> None:
    """Send `message` once the current transaction has committed."""
    session = db.session()
    session.info.setdefault(_QUEUE_KEY, []).append((message, dict(current_app.config)))


@event.listens_for(Session, "after_commit")
def _deliver_queued(session: Session) -> None:
    for message, config in session.info.pop(_QUEUE_KEY, []):
        try:
            deliver(message, config)
        except (OSError, smtplib.SMTPException):
            log.exception("Could not deliver mail to %s", message["To"])


@event.listens_for(Session, "after_rollback")
def _drop_queued(session: Session) -> None:
    session.info.pop(_QUEUE_KEY, None)
