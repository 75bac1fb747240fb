"""A person's participation data: what the export shows (sign-ups, certificates, mails), and
leaving before erasure."""

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from app.bookings.models import Booking
from app.catalogues.models import Question, QuestionMark, QuestionSource
from app.certificates.models import Certificate
from app.enrolments import services
from app.enrolments.dashboard import enrolments_of
from app.enrolments.models import Enrolment
from app.extensions import db
from app.feedback.models import SessionFeedback
from app.notifications.models import Notification


def export_participation(user) -> list[dict]:
    """Every enrolment with its answers, consent, bookings (with feedback), history, own questions,
    marks and certificates."""
    questions = db.session.scalars(_own_questions(user)).all()
    feedback = {
        row.booking_id: {"rating": row.rating, "comment": row.comment}
        for row in db.session.scalars(
            select(SessionFeedback)
            .join(Booking, Booking.id == SessionFeedback.booking_id)
            .join(Enrolment, Enrolment.id == Booking.enrolment_id)
            .where(Enrolment.user_id == user.id)
        )
    }
    certificates = db.session.scalars(
        select(Certificate)
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .where(Enrolment.user_id == user.id)
        .order_by(Certificate.id)
    ).all()
    marked = db.session.execute(
        select(QuestionMark.enrolment_id, Question.text)
        .join(Question, Question.id == QuestionMark.question_id)
        .join(Enrolment, Enrolment.id == QuestionMark.enrolment_id)
        .where(Enrolment.user_id == user.id)
    ).all()
    return [
        {
            "programme": enrolment.cohort.programme.title,
            "cohort": enrolment.cohort.name,
            "target_group": enrolment.target_group.name,
            "status": enrolment.status,
            "organisation": enrolment.organisation,
            "function": enrolment.job_function,
            "confirmed_criteria": [c["text"] for c in enrolment.confirmed_criteria],
            "consent_text": enrolment.consent_text,
            "consented_at": enrolment.consented_at.isoformat(),
            "bookings": [
                {
                    "session": booking.training_session.title,
                    "starts_at": booking.training_session.starts_at.isoformat(),
                    "status": booking.status,
                    "attendance": booking.attendance,
                    "feedback": feedback.get(booking.id),
                }
                for booking in enrolment.bookings
            ],
            "history": [
                {
                    "at": event.at.isoformat(),
                    "action": event.action,
                    "from": event.from_status,
                    "to": event.to_status,
                    "reason": event.reason,
                }
                for event in enrolment.events
            ],
            "questions": [q.text for q in questions if q.cohort_id == enrolment.cohort_id],
            "marked_questions": [text for eid, text in marked if eid == enrolment.id],
            "certificates": [
                {
                    "code": certificate.code,
                    "version": certificate.version,
                    "issued_at": certificate.issued_at.isoformat(),
                    "status": certificate.status.value,
                }
                for certificate in certificates
                if certificate.enrolment_id == enrolment.id
            ],
        }
        for enrolment in enrolments_of(user)
    ]


def export_messages(user) -> list[dict]:
    """The programme mails addressed to the person: sent, waiting or given up."""
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user.id)
        .options(selectinload(Notification.cohort))
        .order_by(Notification.id)
    )
    return [
        {
            "reason": row.reason,
            "cohort": row.cohort.name,
            "due_at": row.due_at.isoformat(),
            "state": row.state,
            "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        }
        for row in rows
    ]


def _own_questions(user):
    """What the person asked themselves (questions they added as a coach are catalogue work)."""
    return select(Question).where(
        Question.author_id == user.id, Question.source == QuestionSource.PARTICIPANT.value
    )


def leave_everything(user, *, now: datetime) -> None:
    """Before erasure: withdraw every open enrolment, so waiting people get the seats before the
    account goes, and delete the person's own questions (their marks go with the enrolments)."""
    for enrolment in enrolments_of(user):
        if enrolment.is_open:
            services.withdraw(enrolment, actor=None, now=now, reason="account deleted")
    db.session.execute(
        delete(Question).where(
            Question.author_id == user.id, Question.source == QuestionSource.PARTICIPANT.value
        )
    )
    db.session.flush()
