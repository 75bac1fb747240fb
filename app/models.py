"""Every model in one import, for the mapper and for Alembic's autogenerate."""

from app.auth.models import User
from app.bookings.models import Booking
from app.catalogues.models import AgendaItem, Question, QuestionMark, SessionAgenda
from app.certificates.models import Certificate, CertificateBatch  # noqa: F401
from app.enrolments.models import Enrolment, EnrolmentEvent
from app.feedback.models import SessionFeedback  # noqa: F401
from app.notifications.models import Notification, SignupDraft  # noqa: F401
from app.programs.models import Cohort, EligibilityCriterion, Programme, TargetGroup
from app.sessions.models import TrainingSession

__all__ = [
    "AgendaItem",
    "QuestionMark",
    "SessionAgenda",
    "Booking",
    "Enrolment",
    "EnrolmentEvent",
    "Cohort",
    "EligibilityCriterion",
    "Programme",
    "Question",
    "TargetGroup",
    "TrainingSession",
    "User",
]
