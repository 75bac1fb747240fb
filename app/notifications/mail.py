"""Mail rendering and delivery.

Account mails (confirmation, password reset, invitation) are queued on the database session and
delivered only after that session's commit succeeds, so a rolled-back request never sends mail
about something that did not happen. Programme messages go through the outbox instead
(`app.notifications.dispatcher`), which sends many messages over one `Transport`.
Without `MAIL_SERVER`, each message is written as an .eml file under `MAIL_FILE_DIR`.
"""

import logging
import smtplib
import ssl
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email import encoders
from email.charset import BASE64, Charset
from email.header import Header
from email.message import EmailMessage, Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

log = logging.getLogger(__name__)
_QUEUE_KEY = "fahrplan_outgoing_mail"
# Subjects as base64 encoded-words: the default ("shortest") measures both encodings first.
_HEADER_CHARSET = Charset("utf-8")
_HEADER_CHARSET.header_encoding = BASE64


def render_message(
    *, to: str, subject: str, template: str, locale: str | None, **context
) -> EmailMessage:
    """Render `templates/email/<template>.txt` and `.html` in the recipient's language."""
    locale = locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    text, html = render_bodies(template, locale, **context)
    with force_locale(locale):
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


def render_bodies(template: str, locale: str, **context) -> tuple[str, str]:
    """`templates/email/<template>.txt` and `.html`, in `locale`."""
    with force_locale(locale):
        return (
            render_template(f"email/{template}.txt", **context),
            render_template(f"email/{template}.html", **context),
        )


def compose(
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    locale: str,
    message_id: str,
    attachments: Sequence[tuple[str, dict, bytes]] = (),
) -> Message:
    """A multipart mail (text + HTML, then `(filename, content-type params, bytes)` calendar
    attachments) built with the `email.mime` classes: the outbox sends thousands of these, and
    they are several times faster to build than an `EmailMessage` with the default policy."""
    # Boundaries of our own: the generator would otherwise search the whole text for a free one.
    boundary = f"fahrplan-{uuid.uuid4().hex}"
    body = MIMEMultipart("alternative", boundary=f"{boundary}-a")
    parts = [MIMEText(text, "plain", "utf-8"), MIMEText(html, "html", "utf-8")]
    for part in parts:
        body.attach(part)
    if attachments:
        message = MIMEMultipart("mixed", boundary=f"{boundary}-m")
        message.attach(body)
        for filename, params, content in attachments:
            part = MIMEBase("text", "calendar", **params)
            part.set_payload(content)
            encoders.encode_base64(part)
            part.add_header("Content-Disposition", "attachment", filename=filename)
            message.attach(part)
            parts.append(part)
        parts.append(body)
    else:
        message = body
    for part in parts:
        del part["MIME-Version"]  # once, on the whole message
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = Header(subject, _HEADER_CHARSET)
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = message_id
    message["Content-Language"] = locale
    return message


def deliver(message: EmailMessage, config: Mapping) -> None:
    if config.get("MAIL_SERVER"):
        _send_smtp(message, config)
    else:
        _write_file(message, Path(config["MAIL_FILE_DIR"]))


def _connect(config: Mapping) -> smtplib.SMTP:
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    context = ssl.create_default_context()
    smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    kwargs = {"context": context} if config.get("MAIL_USE_SSL") else {}
    smtp = smtp_class(host, port, timeout=timeout, **kwargs)
    try:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=context)
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _send_smtp(message: EmailMessage, config: Mapping) -> None:
    with _connect(config) as smtp:
        smtp.send_message(message)


class ServerUnavailable(Exception):
    """The mail server cannot be reached (or dropped the connection twice): retry later."""


class MessageRefused(Exception):
    """The server refused this one message; `permanent` for 5xx replies."""

    def __init__(self, error: smtplib.SMTPException, *, permanent: bool):
        super().__init__(str(error))
        self.permanent = permanent


_SESSION_ERRORS = (smtplib.SMTPConnectError, smtplib.SMTPHeloError, smtplib.SMTPAuthenticationError)


def _refusal(error: smtplib.SMTPException) -> MessageRefused:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
    else:
        codes = [getattr(error, "smtp_code", 0)]
    return MessageRefused(error, permanent=bool(codes) and all(code >= 500 for code in codes))


class Transport:
    """Many messages over one SMTP connection (or into .eml files without `MAIL_SERVER`).

    The connection is opened with the first message and kept for the next ones; a connection the
    server closed in between is reopened once. Use as a context manager.
    """

    def __init__(self, config: Mapping):
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "Transport":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def send(self, message: Message) -> None:
        if not self.config.get("MAIL_SERVER"):
            try:
                _write_file(message, Path(self.config["MAIL_FILE_DIR"]))
            except OSError as exc:
                raise ServerUnavailable(str(exc)) from exc
            return
        for attempt in (1, 2):
            try:
                if self._smtp is None:
                    self._smtp = _connect(self.config)
                self._smtp.send_message(message)
                return
            except smtplib.SMTPServerDisconnected as exc:
                self._drop_connection()
                if attempt == 2:
                    raise ServerUnavailable(str(exc) or "disconnected") from exc
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
                if isinstance(exc, _SESSION_ERRORS):
                    self._drop_connection()
                    raise ServerUnavailable(str(exc)) from exc
                raise _refusal(exc) from exc
            except OSError as exc:  # refused, timed out, TLS failed; smtplib errors are OSErrors
                self._drop_connection()
                raise ServerUnavailable(str(exc) or type(exc).__name__) from exc

    def _drop_connection(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            finally:
                self._drop_connection()


def _write_file(message: Message, directory: Path) -> Path:
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
