"""The demo programme, people in it, and signed-in browsers for the catalogue tests.

The demo is loaded for DEMO_TODAY: the kick-offs are on 5-7 October 2026, the impulse
trainings of "verkehrsplanung" on 20 October, 27 October and 3 November 2026 (14:00 local).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import unescape

from flask_babel import force_locale
from flask_babel import gettext as _gettext
from sqlalchemy import select

from app.bookings import services as bookings
from app.catalogues.models import Question, QuestionMark, QuestionSource
from app.demo.loader import load_demo
from app.enrolments.models import Enrolment, EnrolmentStatus
from app.extensions import db
from app.programs.models import Cohort, Programme, TargetGroup
from app.sessions.models import SessionKind, TrainingSession
from tests.factories import PASSWORD, UserFactory

DEMO_TODAY = date(2026, 9, 1)
NOW = datetime(2026, 9, 2, 9, 0, tzinfo=UTC)
XSS = '<img src="file:///etc/passwd"> & <b>bold</b>'


@dataclass
class Demo:
    programme: Programme
    cohort: Cohort
    coach: object
    organiser: object

    def group(self, slug: str = "verkehrsplanung") -> TargetGroup:
        return next(g for g in self.programme.target_groups if g.slug == slug)

    def sessions(self, kind: SessionKind, slug: str = "verkehrsplanung") -> list[TrainingSession]:
        group = self.group(slug)
        return [s for s in self.cohort.sessions if s.kind == kind and s.target_group_id == group.id]

    def impulse(self, number: int = 0, slug: str = "verkehrsplanung") -> TrainingSession:
        return self.sessions(SessionKind.IMPULSE, slug)[number]

    def kickoff(self, slug: str = "verkehrsplanung") -> TrainingSession:
        return self.sessions(SessionKind.KICKOFF, slug)[0]

    def catalogue(self, slug: str = "verkehrsplanung") -> list[Question]:
        return db.session.scalars(
            select(Question)
            .where(
                Question.target_group_id == self.group(slug).id,
                Question.source == QuestionSource.PROGRAMME.value,
            )
            .order_by(Question.position, Question.id)
            .execution_options(populate_existing=True)
        ).all()


def load() -> Demo:
    load_demo(today=DEMO_TODAY)
    db.session.commit()
    programme = db.session.scalar(select(Programme))
    cohort = programme.cohorts[0]
    coach = next(c for c in cohort.sessions[1].coaches if c.role == "coach")
    organiser = programme.managers[0]
    for user in (coach, organiser):
        user.password_hash = UserFactory.password_hash
    db.session.commit()
    return Demo(programme, cohort, coach, organiser)


def enrol(
    demo: Demo,
    slug: str = "verkehrsplanung",
    *,
    book: tuple[int, ...] = (0,),
    status: EnrolmentStatus = EnrolmentStatus.APPROVED,
    user=None,
    cohort=None,
) -> Enrolment:
    """Someone in the demo cohort's group `slug`, with seats in the impulse trainings `book`."""
    cohort = cohort or demo.cohort
    user = user or UserFactory()
    enrolment = Enrolment(
        cohort=cohort,
        user=user,
        target_group=demo.group(slug),
        status=EnrolmentStatus.APPROVED.value,
        organisation="Stadt Musterstadt",
        job_function="Verkehrsplanung",
        confirmed_criteria=[],
        consent_text="Einwilligung",
        consented_at=NOW,
    )
    db.session.add(enrolment)
    db.session.flush()
    for number in book:
        bookings.book(enrolment, demo.impulse(number, slug).id, actor=user, now=NOW, quiet=True)
    enrolment.status = status.value
    db.session.commit()
    return enrolment


def ask(enrolment: Enrolment, text: str) -> Question:
    question = Question(
        target_group_id=enrolment.target_group_id,
        cohort_id=enrolment.cohort_id,
        author_id=enrolment.user_id,
        text=text,
        source=QuestionSource.PARTICIPANT.value,
    )
    db.session.add(question)
    db.session.commit()
    return question


def mark(enrolment: Enrolment, *questions: Question) -> None:
    for question in questions:
        db.session.add(QuestionMark(enrolment_id=enrolment.id, question_id=question.id))
    db.session.commit()


def sign_in(client, user) -> None:
    response = client.submit(
        "/auth/login", {"email": user.email, "password": PASSWORD}, form_page="/auth/login"
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def browser_for(server_app, user):
    """A separate signed-in client (own cookies), like a second person's browser."""
    client = server_app.test_client()
    sign_in(client, user)
    return client


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def tr(message: str, **variables) -> str:
    """`message` as the pages show it (German by default), from the app's catalogue."""
    with force_locale("de"):
        return _gettext(message, **variables)
