"""A person's participation data: what the export shows, and leaving before erasure."""

from datetime import datetime

from sqlalchemy import select

from app.catalogues.models import Question
from app.enrolments import services
from app.enrolments.dashboard import enrolments_of
from app.extensions import db


def export_participation(user) -> list[dict]:
    """Every enrolment with its answers, consent, bookings, history and own questions."""
    questions = db.session.scalars(select(Question).where(Question.author_id == user.id)).all()
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
        }
        for enrolment in enrolments_of(user)
    ]


def leave_everything(user, *, now: datetime) -> None:
    """Withdraw every open enrolment, so waiting people get the seats before the account goes."""
    for enrolment in enrolments_of(user):
        if enrolment.is_open:
            services.withdraw(enrolment, actor=None, now=now, reason="account deleted")
