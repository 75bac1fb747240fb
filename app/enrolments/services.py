"""Sign-up and the decisions on it. Services flush; the caller commits once."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.bookings import services as bookings
from app.bookings.models import BookingStatus
from app.catalogues.models import Question, QuestionSource
from app.enrolments.history import record
from app.enrolments.models import STATUS_LABELS, Enrolment, EnrolmentStatus
from app.errors import Refusal
from app.extensions import db
from app.notifications import services as notifications
from app.notifications.models import Reason
from app.programs.models import Cohort

QUESTION_MAX_LENGTH = 500


class SignupRefused(Refusal):
    """A sign-up or a decision on one that was refused."""


@dataclass
class SignupRequest:
    target_group_id: int
    organisation: str
    job_function: str
    confirmed_criterion_ids: Sequence[int]
    consent_given: bool
    questions: Sequence[str] = ()


def active_enrolment_count(cohort: Cohort) -> int:
    return db.session.scalar(
        select(func.count(Enrolment.id)).where(
            Enrolment.cohort_id == cohort.id,
            Enrolment.status.in_([EnrolmentStatus.APPLIED.value, EnrolmentStatus.APPROVED.value]),
        )
    )


def find_enrolment(cohort: Cohort, user) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment).where(Enrolment.cohort_id == cohort.id, Enrolment.user_id == user.id)
    )


def sign_up(cohort: Cohort, user, request: SignupRequest, *, now: datetime) -> Enrolment:
    programme = cohort.programme
    if not cohort.is_open_for_signup(now):
        raise SignupRefused(_l("Sign-up for this cohort is not open."))
    if find_enrolment(cohort, user) is not None:
        raise SignupRefused(_l("You have already signed up for this cohort."))
    if cohort.max_participants is not None and active_enrolment_count(cohort) >= (
        cohort.max_participants
    ):
        raise SignupRefused(_l("This cohort is full."))
    group = next((g for g in programme.target_groups if g.id == request.target_group_id), None)
    if group is None:
        raise SignupRefused(
            _l("Please choose one of the programme's target groups."), "target_group"
        )
    criteria = [
        c for c in programme.eligibility_criteria if c.id in set(request.confirmed_criterion_ids)
    ]
    if len(criteria) < programme.eligibility_min_criteria:
        raise SignupRefused(
            _l(
                "At least %(n)s of the criteria must apply to you.",
                n=programme.eligibility_min_criteria,
            ),
            "criteria",
        )
    if not request.consent_given:
        raise SignupRefused(_l("Please consent to the processing of your data."), "consent")
    questions = _clean_questions(request.questions)
    enrolment = Enrolment(
        cohort=cohort,
        user=user,
        target_group=group,
        status=EnrolmentStatus.APPLIED.value,
        organisation=request.organisation.strip(),
        job_function=request.job_function.strip(),
        confirmed_criteria=[{"id": c.id, "text": c.text} for c in criteria],
        consent_text=programme.consent_text,
        consented_at=now,
    )
    db.session.add(enrolment)
    db.session.flush()  # a concurrent double sign-up fails here on the unique constraint
    for position, text in enumerate(questions):
        db.session.add(
            Question(
                target_group_id=group.id,
                cohort_id=cohort.id,
                author_id=user.id,
                text=text,
                position=position,
                source=QuestionSource.PARTICIPANT.value,
            )
        )
    record(enrolment, action="applied", actor=user, now=now, to_status=enrolment.status)
    if programme.auto_approve:
        decide(
            enrolment,
            EnrolmentStatus.APPROVED,
            actor=None,
            now=now,
            reason=str(_l("Approved automatically")),
        )
    else:
        notifications.tell_enrolment(enrolment, Reason.ENROLMENT_RECEIVED, now=now)
    return enrolment


def _clean_questions(texts: Iterable[str]) -> list[str]:
    cleaned = [text.strip() for text in texts if text and text.strip()]
    for text in cleaned:
        if len(text) > QUESTION_MAX_LENGTH:
            raise SignupRefused(
                _l("Questions can be at most %(n)s characters long.", n=QUESTION_MAX_LENGTH),
                "questions",
            )
    return cleaned


_DECISION_MAIL = {
    EnrolmentStatus.APPROVED: Reason.ENROLMENT_APPROVED,
    EnrolmentStatus.REJECTED: Reason.ENROLMENT_REJECTED,
    EnrolmentStatus.WAITLISTED: Reason.ENROLMENT_WAITLISTED,
}


def decide(
    enrolment: Enrolment, status: EnrolmentStatus, *, actor, now: datetime, reason: str = ""
) -> Enrolment:
    """Approve, reject or waitlist; approval books the sessions for everyone and the kick-off."""
    previous = enrolment.status
    if not enrolment.can_move_to(status):
        raise SignupRefused(
            _l(
                "A sign-up that is “%(current)s” cannot become “%(new)s”.",
                current=STATUS_LABELS[EnrolmentStatus(previous)],
                new=STATUS_LABELS[status],
            )
        )
    enrolment.status = status.value
    db.session.flush()
    record(
        enrolment,
        action="status",
        actor=actor,
        now=now,
        from_status=previous,
        to_status=status.value,
        reason=reason,
    )
    if status is EnrolmentStatus.APPROVED:
        bookings.book_for_everyone_and_kickoff(enrolment, actor=actor, now=now)
    message = _DECISION_MAIL[status]
    if status is EnrolmentStatus.APPROVED and previous == EnrolmentStatus.WAITLISTED:
        message = Reason.ENROLMENT_PROMOTED
    notifications.tell_enrolment(enrolment, message, now=now, note=reason)
    return enrolment


def decide_many(
    enrolments: Iterable[Enrolment],
    status: EnrolmentStatus,
    *,
    actor,
    now: datetime,
    reason: str = "",
) -> tuple[list[Enrolment], list[Enrolment]]:
    """Bulk decision: returns (changed, skipped); sign-ups already past that state are skipped."""
    changed, skipped = [], []
    for enrolment in enrolments:
        if enrolment.can_move_to(status):
            changed.append(decide(enrolment, status, actor=actor, now=now, reason=reason))
        else:
            skipped.append(enrolment)
    return changed, skipped


def withdraw(enrolment: Enrolment, *, actor, now: datetime, reason: str = "") -> None:
    """The person leaves the cohort: every booking is given back (waiting people move up)."""
    if not enrolment.can_move_to(EnrolmentStatus.WITHDRAWN):
        raise SignupRefused(_l("This sign-up cannot be withdrawn any more."))
    for booking in list(enrolment.bookings):
        if booking.status != BookingStatus.CANCELLED.value:
            bookings.cancel(
                booking, actor=actor, now=now, reason=reason, by_organiser=True, quiet=True
            )
    previous = enrolment.status
    enrolment.status = EnrolmentStatus.WITHDRAWN.value
    db.session.flush()
    record(
        enrolment,
        action="status",
        actor=actor,
        now=now,
        from_status=previous,
        to_status=EnrolmentStatus.WITHDRAWN.value,
        reason=reason,
    )
    notifications.tell_enrolment(enrolment, Reason.ENROLMENT_WITHDRAWN, now=now, note=reason)
