"""What each reason sends: template, subject, calendar attachment, and when it is no longer wanted.

Everything here is evaluated when the row is sent, against the data as it is then: a reminder
shows the session's current time, a minimum-capacity alert is dropped when enough people have
booked in the meantime. `still_wanted` returns None to send, or a drop note.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.bookings.models import Attendance, Booking, BookingStatus
from app.enrolments.models import Enrolment
from app.notifications import outbox
from app.notifications.models import Notification, NotificationState, Reason
from app.programs.models import CohortStatus


@dataclass(frozen=True)
class MessageKind:
    template: str
    subject: Callable[[Notification], object]
    # Session mails carry an .ics: REQUEST while the person holds a seat, else CANCEL.
    invitation: bool = False
    still_wanted: Callable[[Session, Notification, datetime], str | None] = lambda *_: None


def _title(n: Notification) -> str:
    return n.training_session.title


def _programme(n: Notification) -> str:
    return n.cohort.programme.title


def _booking_active(session: Session, n: Notification, now: datetime) -> str | None:
    if n.booking is None or n.booking.status == BookingStatus.CANCELLED:
        return outbox.BOOKING_CANCELLED
    return None


def _session_ahead(session: Session, n: Notification, now: datetime) -> str | None:
    if n.training_session.is_cancelled:
        return outbox.SESSION_CANCELLED
    if n.training_session.starts_at <= now:
        return outbox.TOO_LATE
    return None


def superseded_reminders(session: Session, rows, now: datetime) -> set[int]:
    """Ids of the reminders among `rows` that a later reminder of the same booking, also due
    by `now`, makes pointless (no flood: of several overdue reminders only the latest goes
    out). One query for a whole batch."""
    bookings = {n.booking_id for n in rows if n.reason == Reason.REMINDER}
    if not bookings:
        return set()
    due = session.execute(
        select(Notification.id, Notification.booking_id, Notification.due_at).where(
            Notification.booking_id.in_(bookings),
            Notification.reason == Reason.REMINDER.value,
            Notification.due_at <= now,
            Notification.state != NotificationState.DROPPED.value,
        )
    ).all()
    latest: dict[int, datetime] = {}
    for _id, booking_id, due_at in due:
        latest[booking_id] = max(latest.get(booking_id, due_at), due_at)
    return {
        n.id
        for n in rows
        if n.reason == Reason.REMINDER and n.due_at < latest.get(n.booking_id, n.due_at)
    }


def _reminder_wanted(session: Session, n: Notification, now: datetime) -> str | None:
    if n.booking is None or not n.booking.is_booked:
        return outbox.BOOKING_CANCELLED
    note = _session_ahead(session, n, now)
    if note:
        return note
    if n.params.get("starts_at") != n.training_session.starts_at.isoformat():
        return outbox.RESCHEDULED
    return None


def _feedback_wanted(session: Session, n: Notification, now: datetime) -> str | None:
    if n.booking is None or not n.booking.is_booked:
        return outbox.BOOKING_CANCELLED
    if n.training_session.is_cancelled:
        return outbox.SESSION_CANCELLED
    if n.booking.attendance in {Attendance.ABSENT, Attendance.EXCUSED}:
        return outbox.NOT_NEEDED
    # Sent whether or not feedback came first: a request dropped for those who answered would
    # show the organisers, in the outbox, who gave feedback.
    return None


def _session_changed_wanted(session: Session, n: Notification, now: datetime) -> str | None:
    if n.training_session.is_cancelled:
        return outbox.SESSION_CANCELLED  # the cancellation mail says everything
    return _booking_active(session, n, now)


def _minimum_alert_wanted(session: Session, n: Notification, now: datetime) -> str | None:
    training_session = n.training_session
    note = _session_ahead(session, n, now)
    if note:
        return note
    booked = session.scalar(
        select(func.count(Booking.id)).where(
            Booking.session_id == training_session.id,
            Booking.status == BookingStatus.BOOKED.value,
        )
    )
    if booked >= training_session.capacity_min:
        return outbox.NOT_NEEDED
    if not n.cohort.programme.can_manage(n.user):
        return outbox.NOT_NEEDED
    return None


def _signup_closing_wanted(session: Session, n: Notification, now: datetime) -> str | None:
    cohort = n.cohort
    if cohort.status != CohortStatus.OPEN or now >= cohort.signup_closes_at:
        return outbox.TOO_LATE
    enrolled = session.scalar(
        select(func.count(Enrolment.id)).where(
            Enrolment.cohort_id == cohort.id, Enrolment.user_id == n.user_id
        )
    )
    return outbox.NOT_NEEDED if enrolled else None


def _runs(n: Notification) -> bool:
    return n.user in n.training_session.coaches


def _still_coaching(session: Session, n: Notification, now: datetime) -> str | None:
    note = _session_ahead(session, n, now)
    if note:
        return note
    return None if _runs(n) else outbox.NOT_NEEDED


def _no_longer_coaching(session: Session, n: Notification, now: datetime) -> str | None:
    return outbox.NOT_NEEDED if _runs(n) and not n.training_session.is_cancelled else None


KINDS: dict[str, MessageKind] = {
    Reason.ENROLMENT_RECEIVED: MessageKind(
        "enrolment_received", lambda n: _l("We have received your sign-up")
    ),
    Reason.ENROLMENT_APPROVED: MessageKind(
        "enrolment_approved", lambda n: _l("Your sign-up has been approved")
    ),
    Reason.ENROLMENT_PROMOTED: MessageKind(
        "enrolment_promoted", lambda n: _l("A place has become free: your sign-up is approved")
    ),
    Reason.ENROLMENT_REJECTED: MessageKind(
        "enrolment_rejected", lambda n: _l("Your sign-up could not be accepted")
    ),
    Reason.ENROLMENT_WAITLISTED: MessageKind(
        "enrolment_waitlisted", lambda n: _l("You are on the waiting list")
    ),
    Reason.ENROLMENT_WITHDRAWN: MessageKind(
        "enrolment_withdrawn", lambda n: _l("Your sign-up has been withdrawn")
    ),
    Reason.BOOKING_BOOKED: MessageKind(
        "booking_booked",
        lambda n: _l("Your seat is booked: %(title)s", title=_title(n)),
        invitation=True,
    ),
    Reason.BOOKING_WAITLISTED: MessageKind(
        "booking_waitlisted",
        lambda n: _l("You are on the waiting list: %(title)s", title=_title(n)),
    ),
    Reason.BOOKING_PROMOTED: MessageKind(
        "booking_promoted",
        lambda n: _l("A seat has become free for you: %(title)s", title=_title(n)),
        invitation=True,
    ),
    Reason.BOOKING_CANCELLED: MessageKind(
        "booking_cancelled",
        lambda n: _l("Booking cancelled: %(title)s", title=_title(n)),
        invitation=True,
    ),
    Reason.BOOKING_MOVED: MessageKind(
        "booking_moved",
        lambda n: _l("Booking moved: %(title)s", title=_title(n)),
        invitation=True,
    ),
    Reason.SESSION_CHANGED: MessageKind(
        "session_changed",
        lambda n: _l("Changed: %(title)s", title=_title(n)),
        invitation=True,
        still_wanted=_session_changed_wanted,
    ),
    Reason.SESSION_CANCELLED: MessageKind(
        "session_cancelled",
        lambda n: _l("Cancelled: %(title)s", title=_title(n)),
        invitation=True,
    ),
    Reason.AGENDA_PUBLISHED: MessageKind(
        "agenda_published",
        lambda n: _l("The agenda is ready: %(title)s", title=_title(n)),
        still_wanted=_booking_active,
    ),
    Reason.REMINDER: MessageKind(
        "reminder",
        lambda n: _l("Reminder: %(title)s", title=_title(n)),
        invitation=True,
        still_wanted=_reminder_wanted,
    ),
    Reason.FEEDBACK_REQUEST: MessageKind(
        "feedback_request",
        lambda n: _l("How was it? %(title)s", title=_title(n)),
        still_wanted=_feedback_wanted,
    ),
    Reason.CERTIFICATE_ISSUED: MessageKind(
        "certificate_issued",
        lambda n: _l("Your certificate for %(programme)s", programme=_programme(n)),
    ),
    Reason.MINIMUM_ALERT: MessageKind(
        "minimum_alert",
        lambda n: _l("Too few bookings: %(title)s", title=_title(n)),
        still_wanted=_minimum_alert_wanted,
    ),
    Reason.SIGNUP_CLOSING: MessageKind(
        "signup_closing",
        lambda n: _l("Sign-up closes soon: %(programme)s", programme=_programme(n)),
        still_wanted=_signup_closing_wanted,
    ),
    Reason.COACH_ASSIGNED: MessageKind(
        "coach_assigned",
        lambda n: _l("You are coaching: %(title)s", title=_title(n)),
        invitation=True,
        still_wanted=_still_coaching,
    ),
    Reason.COACH_UNASSIGNED: MessageKind(
        "coach_unassigned",
        lambda n: _l("You no longer coach: %(title)s", title=_title(n)),
        invitation=True,
        still_wanted=_no_longer_coaching,
    ),
    Reason.COACH_SESSION_CHANGED: MessageKind(
        "coach_session_changed",
        lambda n: _l("Changed: %(title)s", title=_title(n)),
        invitation=True,
        still_wanted=_still_coaching,
    ),
    Reason.COACH_SESSION_CANCELLED: MessageKind(
        "coach_session_cancelled",
        lambda n: _l("Cancelled: %(title)s", title=_title(n)),
        invitation=True,
    ),
}

REASON_LABELS = {
    Reason.ENROLMENT_RECEIVED: _l("Sign-up received"),
    Reason.ENROLMENT_APPROVED: _l("Sign-up approved"),
    Reason.ENROLMENT_PROMOTED: _l("Sign-up approved from the waiting list"),
    Reason.ENROLMENT_REJECTED: _l("Sign-up rejected"),
    Reason.ENROLMENT_WAITLISTED: _l("Sign-up on the waiting list"),
    Reason.ENROLMENT_WITHDRAWN: _l("Sign-up withdrawn"),
    Reason.BOOKING_BOOKED: _l("Seat booked"),
    Reason.BOOKING_WAITLISTED: _l("Booking on the waiting list"),
    Reason.BOOKING_PROMOTED: _l("Seat from the waiting list"),
    Reason.BOOKING_CANCELLED: _l("Booking cancelled"),
    Reason.BOOKING_MOVED: _l("Booking moved"),
    Reason.SESSION_CHANGED: _l("Session changed"),
    Reason.SESSION_CANCELLED: _l("Session cancelled"),
    Reason.AGENDA_PUBLISHED: _l("Agenda published"),
    Reason.REMINDER: _l("Reminder"),
    Reason.FEEDBACK_REQUEST: _l("Feedback request"),
    Reason.CERTIFICATE_ISSUED: _l("Certificate issued"),
    Reason.MINIMUM_ALERT: _l("Minimum not reached"),
    Reason.SIGNUP_CLOSING: _l("Sign-up closing soon"),
    Reason.COACH_ASSIGNED: _l("Coach assigned"),
    Reason.COACH_UNASSIGNED: _l("Coach removed"),
    Reason.COACH_SESSION_CHANGED: _l("Session changed (coach)"),
    Reason.COACH_SESSION_CANCELLED: _l("Session cancelled (coach)"),
}

STATE_LABELS = {
    NotificationState.PENDING: _l("pending"),
    NotificationState.SENDING: _l("sending"),
    NotificationState.SENT: _l("sent"),
    NotificationState.FAILED: _l("failed"),
    NotificationState.DROPPED: _l("dropped"),
}

DROP_NOTE_LABELS = {
    outbox.BOOKING_CANCELLED: _l("the booking was cancelled"),
    outbox.SESSION_CANCELLED: _l("the session was cancelled"),
    outbox.RESCHEDULED: _l("the session's time changed"),
    outbox.TOO_LATE: _l("too late to be useful"),
    outbox.SUPERSEDED: _l("a later reminder went out instead"),
    outbox.NOT_NEEDED: _l("no longer needed"),
    outbox.RECIPIENT_DISABLED: _l("the account is disabled"),
}


def still_wanted(
    session: Session, notification: Notification, now: datetime, *, superseded: set[int]
) -> str | None:
    """None to send; else why the row is dropped. `superseded`: see `superseded_reminders`."""
    if not notification.user.is_enabled:
        return outbox.RECIPIENT_DISABLED
    kind = KINDS[notification.reason]
    note = kind.still_wanted(session, notification, now)
    if note is None and notification.id in superseded:
        return outbox.SUPERSEDED
    return note
