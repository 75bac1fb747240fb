"""Programme messages: what the other domains call. Every message becomes an outbox row.

Services flush; the caller commits once. Rows due at once are sent right after that commit
(see `outbox`), the others by the dispatcher when they are due.
"""

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.bookings.models import Booking, BookingStatus
from app.enrolments.models import Enrolment
from app.extensions import db
from app.notifications import outbox, planning
from app.notifications.models import Notification, NotificationState, Reason, SignupDraft
from app.programs.models import Cohort
from app.programs.services import ensure_manager
from app.sessions.models import TrainingSession

# A change to any of these is worth a mail to the people booked.
WATCHED_FIELDS = ("title", "starts_at", "ends_at", "format", "meeting_url", "location")


def tell_enrolment(enrolment: Enrolment, reason: Reason, *, now: datetime, note: str = ""):
    """Sign-up received, approved, rejected, waitlisted, promoted or withdrawn."""
    return outbox.add(
        enrolment.user,
        reason,
        cohort_id=enrolment.cohort_id,
        now=now,
        enrolment_id=enrolment.id,
        params={"reason": note} if note else {},
    )


def tell_booking(
    booking: Booking,
    reason: Reason,
    *,
    now: datetime,
    previous_session: TrainingSession | None = None,
    params: dict | None = None,
) -> Notification:
    """A message about a booking: seat booked, waiting list, promoted, cancelled or moved
    (`previous_session`: from where), session cancelled, agenda published."""
    params = dict(params or {})
    if previous_session is not None:
        params["previous_session_id"] = previous_session.id
    return outbox.add(
        booking.enrolment.user,
        reason,
        cohort_id=booking.training_session.cohort_id,
        now=now,
        session_id=booking.session_id,
        booking_id=booking.id,
        enrolment_id=booking.enrolment_id,
        params=params,
    )


def plan_booking(*bookings: Booking, now: datetime) -> None:
    """Recompute the reminders and feedback request of bookings that changed."""
    planning.plan_bookings(bookings, now=now)


def _active_bookings(training_session: TrainingSession) -> list[Booking]:
    return db.session.scalars(
        select(Booking)
        .where(
            Booking.session_id == training_session.id,
            Booking.status != BookingStatus.CANCELLED.value,
        )
        .options(selectinload(Booking.enrolment).selectinload(Enrolment.user))
        .order_by(Booking.id)
    ).all()


def snapshot(training_session: TrainingSession) -> dict:
    """What people booked and the coaches know about a session, to compare after an edit."""
    return {field: getattr(training_session, field) for field in WATCHED_FIELDS} | {
        "coach_ids": {coach.id for coach in training_session.coaches}
    }


def session_updated(training_session: TrainingSession, before: dict, *, now: datetime) -> None:
    """After an edit: reminders follow the new time; people booked hear about what changed.

    Several edits before the mail goes out make one mail (it is rendered with the data as it is
    when sent, and names the time people knew before the first edit).
    """
    planning.plan_session(training_session, now=now)
    changed = [f for f in WATCHED_FIELDS if before[f] != getattr(training_session, f)]
    _tell_coaches_of_edit(training_session, before, changed, now=now)
    if not changed or training_session.is_cancelled:
        return
    recipients = [
        (booking.enrolment.user, {"booking_id": booking.id, "enrolment_id": booking.enrolment_id})
        for booking in _active_bookings(training_session)
    ]
    _tell_what_changed(
        training_session, Reason.SESSION_CHANGED, recipients, before, changed, now=now
    )
    db.session.flush()


def _tell_what_changed(
    training_session: TrainingSession,
    reason: Reason,
    recipients: list[tuple],
    before: dict,
    changed: list[str],
    *,
    now: datetime,
) -> None:
    """One mail per (user, what it refers to) about `changed`; an edit made while that mail is
    still waiting joins it (it names the time people knew before the first edit)."""
    waiting = {
        row.user_id: row
        for row in outbox.pending_for(session_id=training_session.id, reasons=[reason])
    }
    for user, refers_to in recipients:
        row = waiting.get(user.id)
        if row is not None:
            row.params = {**row.params, "changed": sorted({*row.params["changed"], *changed})}
            continue
        outbox.add(
            user,
            reason,
            cohort_id=training_session.cohort_id,
            now=now,
            session_id=training_session.id,
            params={
                "changed": changed,
                "previous_starts_at": before["starts_at"].isoformat(),
                "previous_ends_at": before["ends_at"].isoformat(),
            },
            **refers_to,
        )


def session_cancelled(training_session: TrainingSession, *, now: datetime) -> None:
    """Everything still planned for the session is dropped; everyone booked or waiting is told,
    and so are its coaches."""
    outbox.drop(outbox.pending_for(session_id=training_session.id), outbox.SESSION_CANCELLED)
    if _coaches_follow(training_session, now):
        for coach in training_session.coaches:
            _tell_coach(coach, Reason.COACH_SESSION_CANCELLED, training_session, now=now)
    for booking in _active_bookings(training_session):
        tell_booking(
            booking,
            Reason.SESSION_CANCELLED,
            now=now,
            params={"reason": training_session.cancellation_reason},
        )


# Coaches hear about the sessions they run once the cohort is public (a draft is still being
# planned: copying a cohort must not mail every coach), and only about sessions still ahead.


def _coaches_follow(training_session: TrainingSession, now: datetime) -> bool:
    return training_session.cohort.is_public and training_session.starts_at > now


def coaches_were_told(training_session: TrainingSession, *, now: datetime) -> bool:
    """Whether the session's coaches have (or will have) it in their calendars."""
    return bool(training_session.coaches) and _coaches_follow(training_session, now)


def _tell_coach(coach, reason: Reason, training_session: TrainingSession, *, now, params=None):
    return outbox.add(
        coach,
        reason,
        cohort_id=training_session.cohort_id,
        now=now,
        session_id=training_session.id,
        params=params or {},
    )


def coaches_assigned(training_session: TrainingSession, coaches, *, now: datetime) -> None:
    """A new session of a public cohort, or a cohort just made public: its coaches are told."""
    if _coaches_follow(training_session, now) and not training_session.is_cancelled:
        for coach in coaches:
            _tell_coach(coach, Reason.COACH_ASSIGNED, training_session, now=now)


def cohort_published(cohort: Cohort, *, now: datetime) -> None:
    for training_session in cohort.sessions:
        coaches_assigned(training_session, training_session.coaches, now=now)


def _tell_coaches_of_edit(
    training_session: TrainingSession, before: dict, changed: list[str], *, now: datetime
) -> None:
    """Coaches added or removed by the edit are told so; the others hear what changed (one mail
    for several edits, like the people booked)."""
    if training_session.is_cancelled or not _coaches_follow(training_session, now):
        return
    current = {coach.id: coach for coach in training_session.coaches}
    added = [coach for coach_id, coach in current.items() if coach_id not in before["coach_ids"]]
    coaches_assigned(training_session, added, now=now)
    removed = before["coach_ids"] - current.keys()
    for coach in db.session.scalars(select(User).where(User.id.in_(removed))):
        _tell_coach(coach, Reason.COACH_UNASSIGNED, training_session, now=now)
    if not changed:
        return
    kept = [(current[coach_id], {}) for coach_id in before["coach_ids"] & current.keys()]
    _tell_what_changed(
        training_session, Reason.COACH_SESSION_CHANGED, kept, before, changed, now=now
    )


def queue_agenda_published(training_session: TrainingSession, *, now: datetime) -> int:
    """For the coaches' agenda: tell everyone with a seat (once while a mail is still waiting)."""
    waiting = {
        row.booking_id
        for row in outbox.pending_for(
            session_id=training_session.id, reasons=[Reason.AGENDA_PUBLISHED]
        )
    }
    count = 0
    for booking in _active_bookings(training_session):
        if booking.status != BookingStatus.BOOKED or booking.id in waiting:
            continue
        tell_booking(booking, Reason.AGENDA_PUBLISHED, now=now)
        count += 1
    return count


def queue_certificate_issued(
    user, *, enrolment_id: int, download_url: str, now: datetime
) -> Notification:
    """For the certificates: one mail per issued certificate (its download link is the key)."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    digest = hashlib.sha256(download_url.encode()).hexdigest()[:16]
    key = f"certificate_issued:{enrolment_id}:{digest}"
    existing = db.session.scalar(select(Notification).where(Notification.dedup_key == key))
    if existing is not None:
        return existing
    return outbox.add(
        user,
        Reason.CERTIFICATE_ISSUED,
        cohort_id=enrolment.cohort_id,
        now=now,
        dedup_key=key,
        enrolment_id=enrolment_id,
        params={"download_url": download_url},
    )


def record_signup_started(cohort: Cohort, user, *, now: datetime) -> None:
    """The person opened the sign-up form; without an enrolment 48 h before the window closes,
    they get one notice (the dispatcher plans it then). Idempotent, also under concurrency."""
    if not cohort.is_open_for_signup(now):
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(SignupDraft)
        .values(cohort_id=cohort.id, user_id=user.id, started_at=now)
        .on_conflict_do_nothing(index_elements=["cohort_id", "user_id"])
    )


# The organisers' side.


def set_reminders(cohort: Cohort, offsets_text: str, *, actor, now: datetime) -> list[int]:
    """New offsets for the cohort's reminders; every booking still ahead is planned again."""
    ensure_manager(cohort.programme, actor)
    hours = planning.parse_offsets(offsets_text)
    cohort.reminder_offsets_hours = planning.format_offsets(hours)
    db.session.flush()
    planning.plan_cohort(cohort, now=now)
    return hours


def set_paused(cohort: Cohort, paused: bool, *, actor) -> None:
    """Hold (or release) the cohort's reminders, feedback requests and sign-up notices.

    Held rows stay pending; on resume the no-flood rule applies: of a booking's overdue
    reminders only the latest goes out, and none once the session has started.
    """
    ensure_manager(cohort.programme, actor)
    cohort.reminders_paused = paused
    db.session.flush()


def resend(notification: Notification, *, actor, now: datetime) -> bool:
    """A failed message goes out again (right after the commit), with fresh attempts."""
    ensure_manager(notification.cohort.programme, actor)
    if notification.state != NotificationState.FAILED:
        return False
    outbox.revive(notification, due_at=now)
    outbox.send_after_commit(notification)
    db.session.flush()
    return True


def resend_failed(cohort: Cohort, *, actor, now: datetime) -> int:
    ensure_manager(cohort.programme, actor)
    failed = db.session.scalars(
        select(Notification).where(
            Notification.cohort_id == cohort.id,
            Notification.state == NotificationState.FAILED.value,
        )
    ).all()
    for notification in failed:
        outbox.revive(notification, due_at=now)
        outbox.send_after_commit(notification)
    db.session.flush()
    return len(failed)
