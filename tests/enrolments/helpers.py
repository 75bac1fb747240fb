"""Building blocks for sign-up and booking tests: the demo cohort and enrolled people."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.demo.loader import load_demo
from app.enrolments.models import Enrolment, EnrolmentStatus
from app.extensions import db
from app.programs.models import Programme
from app.sessions.models import SessionKind, TrainingSession
from tests.factories import UserFactory

# The demo is built around this day: the info event is three weeks later, impulse trainings
# about seven to nine weeks later, so "now" in these tests is well before every session.
DEMO_TODAY = date(2026, 9, 1)
NOW = datetime(2026, 9, 2, 9, 0, tzinfo=UTC)


def demo_cohort(today: date = DEMO_TODAY):
    """The demo cohort; pass today's date where pages act at the real current time."""
    load_demo(today=today)
    db.session.commit()
    programme = db.session.scalar(select(Programme))
    return programme.cohorts[0]


def group(cohort, slug: str):
    return next(g for g in cohort.programme.target_groups if g.slug == slug)


def impulse_sessions(cohort, group_slug: str) -> list[TrainingSession]:
    target = group(cohort, group_slug)
    return [
        s
        for s in cohort.sessions
        if s.kind == SessionKind.IMPULSE.value and s.target_group_id == target.id
    ]


def enrol(
    cohort, group_slug: str = "verkehrsplanung", *, status=EnrolmentStatus.APPROVED, user=None
) -> Enrolment:
    """An enrolment created directly (no bookings), e.g. to book it by hand afterwards."""
    enrolment = Enrolment(
        cohort=cohort,
        user=user or UserFactory(),
        target_group=group(cohort, group_slug),
        status=status.value,
        organisation="Stadt Musterstadt",
        job_function="Verkehrsplanung",
        confirmed_criteria=[],
        consent_text="Einwilligung",
        consented_at=NOW,
    )
    db.session.add(enrolment)
    db.session.commit()
    return enrolment


def before(training_session: TrainingSession, hours: float) -> datetime:
    return training_session.starts_at - timedelta(hours=hours)
