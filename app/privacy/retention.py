"""Retention: a cohort's participant data is erased RETENTION_DAYS after the cohort ended.

The default consent text promises it ("Die Daten werden ein Jahr nach Abschluss des Durchgangs
gelöscht"), so a scheduled job keeps the promise. A cohort has ended with the end of its last
session that took place (without sessions: when sign-up closed).

Erased, per cohort: the sign-ups of people without a certificate (with their answers, bookings,
attendance, feedback, history and marks), the questions participants asked, the cohort's mails
in the outbox and the "started a sign-up" notes. Kept: the certificates, because verifying them
is their purpose. Their holders' sign-ups stay as a bare link between person, cohort and group
(answers blanked, bookings, history and marks deleted); a certificate states everything it
certifies itself. Before erasing, the cohort's figures are stored with it, so reports on past
cohorts still have their numbers; afterwards the cohort is a record that no longer changes.
Nothing here touches the accounts: those belong to their owners, who delete them themselves.
Services flush; the caller commits.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import SQLAlchemyError

from app.bookings.models import Booking
from app.catalogues.models import Question, QuestionMark, QuestionSource
from app.certificates.models import Certificate
from app.enrolments.models import Enrolment, EnrolmentEvent
from app.extensions import db
from app.notifications.models import Notification, SignupDraft
from app.programs.models import Cohort
from app.reports.figures import cohort_figures
from app.sessions.models import SessionStatus, TrainingSession

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueCohort:
    cohort: Cohort
    ended_at: datetime


def _last_session_ends():
    """Per cohort, the end of its last session that took place (cancelled ones do not count)."""
    return (
        select(TrainingSession.cohort_id, func.max(TrainingSession.ends_at).label("ends_at"))
        .where(TrainingSession.status != SessionStatus.CANCELLED.value)
        .group_by(TrainingSession.cohort_id)
        .subquery()
    )


def cohort_ended_at(cohort: Cohort) -> datetime:
    """The end of the cohort's last session that took place; sign-up close without sessions."""
    last = _last_session_ends()
    last_end = db.session.scalar(select(last.c.ends_at).where(last.c.cohort_id == cohort.id))
    return last_end or cohort.signup_closes_at


def erasure_date(cohort: Cohort, *, retention: timedelta) -> datetime:
    return cohort_ended_at(cohort) + retention


def due_cohorts(*, now: datetime, retention: timedelta) -> list[DueCohort]:
    """Cohorts whose data has not been erased yet and whose retention period is over (one
    query for all of them)."""
    last = _last_session_ends()
    rows = db.session.execute(
        select(Cohort, last.c.ends_at)
        .outerjoin(last, last.c.cohort_id == Cohort.id)
        .where(Cohort.personal_data_erased_at.is_(None))
        .order_by(Cohort.id)
    ).all()
    due = []
    for cohort, last_end in rows:
        ended_at = last_end or cohort.signup_closes_at
        if ended_at + retention <= now:
            due.append(DueCohort(cohort, ended_at))
    return due


def erase_cohort(cohort: Cohort, *, now: datetime) -> dict | None:
    """Keep the cohort's figures, then erase its participants' data; returns the figures, or
    None when another process erased it first (the stamp is claimed before anything else, so
    two schedulers running the job at once erase each cohort once)."""
    claimed = db.session.execute(
        update(Cohort)
        .where(Cohort.id == cohort.id, Cohort.personal_data_erased_at.is_(None))
        .values(personal_data_erased_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return None
    figures = cohort_figures(cohort)
    certified = set(
        db.session.scalars(
            select(Certificate.enrolment_id)
            .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
            .where(Enrolment.cohort_id == cohort.id)
        )
    )
    enrolment_ids = select(Enrolment.id).where(Enrolment.cohort_id == cohort.id)
    for statement in (
        delete(Notification).where(Notification.cohort_id == cohort.id),
        delete(SignupDraft).where(SignupDraft.cohort_id == cohort.id),
        delete(QuestionMark).where(QuestionMark.enrolment_id.in_(enrolment_ids)),
        delete(Question).where(
            Question.cohort_id == cohort.id, Question.source == QuestionSource.PARTICIPANT.value
        ),
        delete(Booking).where(Booking.enrolment_id.in_(enrolment_ids)),
        delete(EnrolmentEvent).where(EnrolmentEvent.enrolment_id.in_(enrolment_ids)),
        delete(Enrolment).where(Enrolment.cohort_id == cohort.id, Enrolment.id.not_in(certified)),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))
    for enrolment in db.session.scalars(select(Enrolment).where(Enrolment.id.in_(certified))):
        enrolment.organisation = ""
        enrolment.job_function = ""
        enrolment.confirmed_criteria = []
    cohort.retained_figures = figures
    db.session.flush()
    db.session.expire_all()
    return figures


def erase_due(*, now: datetime, retention: timedelta) -> list[DueCohort]:
    """The scheduled job's work: each due cohort erased and committed on its own; one that fails
    is rolled back and logged, and the others are still erased (it is due again tomorrow)."""
    erased = []
    for due in due_cohorts(now=now, retention=retention):
        cohort_id = due.cohort.id
        try:
            done = erase_cohort(due.cohort, now=now) is not None
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            log.exception("Retention: erasing cohort %s failed; tried again tomorrow", cohort_id)
            continue
        if done:
            erased.append(due)
    return erased


@dataclass(frozen=True)
class RetentionState:
    """For the organiser's cohort page: when the data goes, or when it went and what stayed."""

    erases_at: datetime
    erased_at: datetime | None
    figures: dict | None

    @property
    def signups(self) -> int:
        return sum((self.figures or {}).get("enrolments", {}).values())


def retention_state(cohort: Cohort, *, retention: timedelta) -> RetentionState:
    return RetentionState(
        erases_at=erasure_date(cohort, retention=retention),
        erased_at=cohort.personal_data_erased_at,
        figures=cohort.retained_figures,
    )
