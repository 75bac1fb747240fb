"""A row becomes an e-mail when it is sent: text + HTML in the recipient's language, with the
current data, and for session mails an .ics (METHOD:REQUEST while the person holds a seat,
METHOD:CANCEL once they do not)."""

from contextlib import nullcontext
from datetime import datetime
from email.message import Message
from email.utils import parseaddr

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from sqlalchemy import func, select

from app.bookings.models import Booking, BookingStatus
from app.catalogues.queries import published_agenda
from app.notifications.mail import compose, render_bodies
from app.notifications.messages import KINDS
from app.notifications.models import COACH_REASONS, Notification, Reason
from app.sessions import calendar
from app.sessions.models import TrainingSession


def url_context(app):
    """Links in mail need a host: the request's, else SERVER_NAME, else PUBLIC_URL."""
    if has_request_context() or app.config.get("SERVER_NAME"):
        return nullcontext()
    return app.test_request_context(base_url=app.config["PUBLIC_URL"])


def _on_the_calendar(notification: Notification, training_session: TrainingSession) -> bool:
    """Whether the recipient takes part: holds a seat, or (coach mails) runs the session."""
    if training_session.is_cancelled:
        return False
    if notification.reason in COACH_REASONS:
        return notification.user in training_session.coaches
    booking = notification.booking
    return (
        booking is not None
        and booking.session_id == training_session.id
        and booking.status == BookingStatus.BOOKED
    )


def _session_page(notification: Notification, training_session: TrainingSession) -> str:
    if notification.reason in COACH_REASONS:
        return url_for("sessions.coach_session", session_id=training_session.id, _external=True)
    return url_for("enrolments.session_detail", session_id=training_session.id, _external=True)


def _context(notification: Notification, session) -> dict:
    params = notification.params or {}
    context = {
        "user": notification.user,
        "notification": notification,
        "cohort": notification.cohort,
        "programme": notification.cohort.programme,
        "enrolment": notification.enrolment,
        "booking": notification.booking,
        "training_session": notification.training_session,
        "reason": params.get("reason", ""),
        "params": params,
    }
    if notification.training_session is not None:
        # The meeting link is for those who take part: a seat, or the session to run.
        context["on_the_calendar"] = _on_the_calendar(notification, notification.training_session)
    previous_id = params.get("previous_session_id")
    if previous_id is not None:
        context["previous"] = session.get(TrainingSession, previous_id)
    if "previous_starts_at" in params:
        context["previous_starts_at"] = datetime.fromisoformat(params["previous_starts_at"])
    if notification.reason in {Reason.REMINDER, Reason.AGENDA_PUBLISHED}:
        context["agenda"] = published_agenda(notification.session_id)
    if notification.reason == Reason.MINIMUM_ALERT:
        context["booked_count"] = session.scalar(
            select(func.count(Booking.id)).where(
                Booking.session_id == notification.session_id,
                Booking.status == BookingStatus.BOOKED.value,
            )
        )
    return context


def _invitations(notification: Notification, context: dict, now: datetime) -> list:
    """(filename, method, bytes) for every session the mail is about."""
    sessions = [notification.training_session]
    if notification.reason == Reason.BOOKING_MOVED and context.get("previous") is not None:
        sessions.append(context["previous"])
    sender_name, sender_address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    attendee = (notification.user.name, notification.user.email)
    attachments = []
    for training_session in sessions:
        method = "REQUEST" if _on_the_calendar(notification, training_session) else "CANCEL"
        body = calendar.invitation(
            training_session,
            method=method,
            now=now,
            page_url=_session_page(notification, training_session),
            organizer=(sender_name or "Fahrplan", sender_address),
            attendee=attendee,
        )
        name = "invitation" if method == "REQUEST" else "cancellation"
        attachments.append((f"{name}-{training_session.id}.ics", method, body))
    return attachments


def render(notification: Notification, session, *, now: datetime) -> Message:
    """The e-mail for `notification`; call inside `url_context(app)`."""
    kind = KINDS[notification.reason]
    context = _context(notification, session)
    user = notification.user
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    text, html = render_bodies(kind.template, locale, **context)
    with force_locale(locale):
        subject = str(kind.subject(notification))
        attachments = []
        if kind.invitation and notification.training_session is not None:
            attachments = [
                (filename, {"method": method, "charset": "utf-8"}, body)
                for filename, method, body in _invitations(notification, context, now)
            ]
    return compose(
        to=user.email,
        subject=subject,
        text=text,
        html=html,
        locale=locale,
        message_id=notification.message_id,
        attachments=attachments,
    )
