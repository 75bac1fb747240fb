"""Read-only views of catalogues, marks, rankings and agendas, each in a fixed number of queries.

`published_agenda(session_id)` is the one other domains use (the reminder mail).
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.bookings.models import Booking, BookingStatus
from app.catalogues.access import PARTICIPATING, coached_group_ids
from app.catalogues.models import (
    AgendaItem,
    Question,
    QuestionMark,
    QuestionSource,
    SessionAgenda,
)
from app.enrolments.models import Enrolment
from app.extensions import db
from app.programs.models import Cohort, Programme, TargetGroup, programme_managers
from app.sessions.models import TrainingSession

# Ties in a ranking: the catalogue first (the run's kick-off questions, then the programme's),
# each in its catalogue order; then participants' questions in the order they were asked.
SOURCE_ORDER = {
    QuestionSource.KICKOFF.value: 0,
    QuestionSource.PROGRAMME.value: 1,
    QuestionSource.PARTICIPANT.value: 2,
}


def _catalogue_condition(group_id: int, cohort_id: int | None):
    """The programme's questions of the group, plus the kick-off questions of one run."""
    programme_questions = and_(
        Question.source == QuestionSource.PROGRAMME.value, Question.cohort_id.is_(None)
    )
    if cohort_id is None:
        return and_(Question.target_group_id == group_id, programme_questions)
    kickoff_questions = and_(
        Question.source == QuestionSource.KICKOFF.value, Question.cohort_id == cohort_id
    )
    return and_(Question.target_group_id == group_id, or_(programme_questions, kickoff_questions))


def _catalogue_order(question: Question) -> tuple:
    return (SOURCE_ORDER[question.source], question.position, question.id)


def run_catalogue(group_id: int, cohort_id: int) -> list[Question]:
    """What the people of one run see: their kick-off's questions, then the programme's."""
    questions = db.session.scalars(
        select(Question).where(_catalogue_condition(group_id, cohort_id))
    ).all()
    return sorted(questions, key=_catalogue_order)


@dataclass
class KickoffQuestions:
    cohort: Cohort
    kickoff: TrainingSession | None
    questions: list[Question]


@dataclass
class Catalogue:
    group: TargetGroup
    questions: list[Question]
    kickoffs: list[KickoffQuestions]


def group_catalogue(group: TargetGroup) -> Catalogue:
    """The whole catalogue of a group, as its editors see it: the programme's questions, and the
    kick-off questions of every run, newest run first."""
    questions = db.session.scalars(
        select(Question)
        .where(
            Question.target_group_id == group.id,
            Question.source.in_([QuestionSource.PROGRAMME.value, QuestionSource.KICKOFF.value]),
        )
        .options(
            selectinload(Question.kickoff_session),
            joinedload(Question.target_group),
        )
        .order_by(Question.position, Question.id)
    ).all()
    cohorts = {
        c.id: c
        for c in db.session.scalars(
            select(Cohort).where(Cohort.id.in_({q.cohort_id for q in questions if q.cohort_id}))
        )
    }
    by_run: dict[tuple, list[Question]] = defaultdict(list)
    programme_questions = []
    for question in questions:
        if question.source == QuestionSource.PROGRAMME and question.cohort_id is None:
            programme_questions.append(question)
        elif question.source == QuestionSource.KICKOFF and question.cohort_id in cohorts:
            by_run[(question.cohort_id, question.session_id)].append(question)
    kickoffs = [
        KickoffQuestions(cohorts[cohort_id], items[0].kickoff_session, items)
        for (cohort_id, _), items in by_run.items()
    ]
    kickoffs.sort(key=lambda k: (k.cohort.signup_opens_at, k.cohort.id), reverse=True)
    return Catalogue(group=group, questions=programme_questions, kickoffs=kickoffs)


def kickoff_questions(kickoff: TrainingSession) -> list[Question]:
    return db.session.scalars(
        select(Question)
        .where(
            Question.source == QuestionSource.KICKOFF.value,
            Question.session_id == kickoff.id,
        )
        .order_by(Question.position, Question.id)
    ).all()


@dataclass
class Participation:
    """A participant's page: their group's catalogue for their run, their marks, their own
    questions."""

    catalogue: list[Question]
    marked_ids: set[int]
    own_questions: list[Question]


def participation(enrolment: Enrolment) -> Participation:
    catalogue = run_catalogue(enrolment.target_group_id, enrolment.cohort_id)
    marked = set(
        db.session.scalars(
            select(QuestionMark.question_id).where(QuestionMark.enrolment_id == enrolment.id)
        )
    )
    return Participation(
        catalogue=catalogue,
        marked_ids=marked,
        own_questions=own_questions(enrolment),
    )


def own_questions(enrolment: Enrolment) -> list[Question]:
    return db.session.scalars(
        select(Question)
        .where(
            Question.source == QuestionSource.PARTICIPANT.value,
            Question.cohort_id == enrolment.cohort_id,
            Question.author_id == enrolment.user_id,
        )
        .order_by(Question.created_at, Question.id)
    ).all()


def is_visible_to(question: Question, enrolment: Enrolment) -> bool:
    """May this participant see (and mark) this catalogue question?"""
    if question.target_group_id != enrolment.target_group_id:
        return False
    if question.source == QuestionSource.PROGRAMME:
        return question.cohort_id is None
    if question.source == QuestionSource.KICKOFF:
        return question.cohort_id == enrolment.cohort_id
    return False


@dataclass
class RankedQuestion:
    question: Question
    # How many of the people booked into the session marked or asked this question.
    people: int
    on_agenda: bool = False


@dataclass
class Preparation:
    """The coach's page for one session."""

    booked: int
    questions: list[RankedQuestion]
    agenda: SessionAgenda | None
    picked_ids: set[int] = field(default_factory=set)


def booked_people(session_id: int) -> dict[int, int]:
    """{enrolment_id: user_id} of the people holding a seat (not waiting) in the session."""
    rows = db.session.execute(
        select(Booking.enrolment_id, Enrolment.user_id)
        .join(Enrolment, Enrolment.id == Booking.enrolment_id)
        .where(Booking.session_id == session_id, Booking.status == BookingStatus.BOOKED.value)
    )
    return dict(rows.all())


def ranked_questions(training_session: TrainingSession) -> tuple[int, list[RankedQuestion]]:
    """The group's catalogue for the session's run and the booked people's own questions,
    ranked by how many booked people marked or asked each (ties: see SOURCE_ORDER)."""
    booked = booked_people(training_session.id)
    enrolment_of_user = {user_id: enrolment_id for enrolment_id, user_id in booked.items()}
    own_of_booked = and_(
        Question.target_group_id == training_session.target_group_id,
        Question.source == QuestionSource.PARTICIPANT.value,
        Question.cohort_id == training_session.cohort_id,
        Question.author_id.in_(list(enrolment_of_user)),
    )
    questions = db.session.scalars(
        select(Question)
        .where(
            or_(
                _catalogue_condition(training_session.target_group_id, training_session.cohort_id),
                own_of_booked,
            )
        )
        .options(joinedload(Question.author))
    ).all()
    people: dict[int, set[int]] = defaultdict(set)
    if booked:
        marks = db.session.execute(
            select(QuestionMark.question_id, QuestionMark.enrolment_id).where(
                QuestionMark.enrolment_id.in_(list(booked))
            )
        )
        for question_id, enrolment_id in marks:
            people[question_id].add(enrolment_id)
    for question in questions:
        if question.is_from_participant and question.author_id in enrolment_of_user:
            people[question.id].add(enrolment_of_user[question.author_id])
    ranked = [RankedQuestion(q, len(people[q.id])) for q in questions]
    ranked.sort(
        key=lambda r: (
            -r.people,
            SOURCE_ORDER[r.question.source],
            r.question.position if r.question.is_in_catalogue else 0,
            r.question.created_at,
            r.question.id,
        )
    )
    return len(booked), ranked


def agenda_of(session_id: int) -> SessionAgenda | None:
    return db.session.scalar(
        select(SessionAgenda)
        .where(SessionAgenda.session_id == session_id)
        .options(selectinload(SessionAgenda.items))
    )


def preparation(training_session: TrainingSession) -> Preparation:
    booked, ranked = ranked_questions(training_session)
    agenda = agenda_of(training_session.id)
    picked = {item.question_id for item in agenda.items if item.question_id} if agenda else set()
    for entry in ranked:
        entry.on_agenda = entry.question.id in picked
    return Preparation(booked=booked, questions=ranked, agenda=agenda, picked_ids=picked)


def published_agenda(session_id: int) -> list[str] | None:
    """The texts of a session's published agenda, in order; None while there is nothing
    published (no agenda, not published, or no items)."""
    agenda = db.session.scalar(
        select(SessionAgenda).where(
            SessionAgenda.session_id == session_id, SessionAgenda.published_at.is_not(None)
        )
    )
    if agenda is None:
        return None
    texts = db.session.scalars(
        select(AgendaItem.text)
        .where(AgendaItem.agenda_id == agenda.id)
        .order_by(AgendaItem.position, AgendaItem.id)
    ).all()
    return list(texts) or None


@dataclass
class StatRow:
    group: TargetGroup
    text: str
    source: str
    marked: int = 0
    asked: int = 0

    @property
    def people(self) -> int:
        return self.marked + self.asked


_SPACES = re.compile(r"\s+")


def _same_question(text: str) -> str:
    """Participants' questions count as the same when they differ only in case and spacing."""
    return _SPACES.sub(" ", text).strip().rstrip("?").strip().casefold()


def cohort_question_stats(cohort: Cohort) -> list[StatRow]:
    """Across the run's target groups: how many people marked each catalogue question, and how
    many asked each of their own questions; most first. Only people still in the run count
    (rejected and withdrawn sign-ups do not)."""
    groups = {g.id: g for g in cohort.programme.target_groups}
    catalogue = db.session.scalars(
        select(Question).where(
            Question.target_group_id.in_(list(groups)),
            or_(
                and_(
                    Question.source == QuestionSource.PROGRAMME.value,
                    Question.cohort_id.is_(None),
                ),
                and_(
                    Question.source == QuestionSource.KICKOFF.value,
                    Question.cohort_id == cohort.id,
                ),
            ),
        )
    ).all()
    marks = dict(
        db.session.execute(
            select(QuestionMark.question_id, func.count(QuestionMark.id))
            .join(Enrolment, Enrolment.id == QuestionMark.enrolment_id)
            .where(Enrolment.cohort_id == cohort.id, Enrolment.status.in_(PARTICIPATING))
            .group_by(QuestionMark.question_id)
        ).all()
    )
    rows = [
        StatRow(groups[q.target_group_id], q.text, q.source, marked=marks.get(q.id, 0))
        for q in sorted(catalogue, key=_catalogue_order)
    ]
    asked = db.session.execute(
        select(Question.target_group_id, Question.text, Question.author_id)
        .join(
            Enrolment,
            and_(
                Enrolment.cohort_id == Question.cohort_id,
                Enrolment.user_id == Question.author_id,
            ),
        )
        .where(
            Question.cohort_id == cohort.id,
            Question.source == QuestionSource.PARTICIPANT.value,
            Enrolment.status.in_(PARTICIPATING),
        )
        .order_by(Question.created_at, Question.id)
    )
    authors: dict[tuple[int, str], set[int]] = defaultdict(set)
    first_text: dict[tuple[int, str], str] = {}
    for group_id, text, author_id in asked:
        if group_id not in groups:
            continue
        key = (group_id, _same_question(text))
        authors[key].add(author_id)
        first_text.setdefault(key, text)
    rows += [
        StatRow(groups[key[0]], first_text[key], QuestionSource.PARTICIPANT.value, asked=len(who))
        for key, who in authors.items()
    ]
    rows.sort(key=lambda r: (-r.people, r.group.position, SOURCE_ORDER[r.source]))
    return rows


@dataclass
class ProgrammeCatalogues:
    programme: Programme
    groups: list[TargetGroup]
    managed: bool


def reachable_catalogues(user: User) -> tuple[list[ProgrammeCatalogues], dict[int, int]]:
    """Every catalogue the user may edit, by programme, and {group_id: number of programme
    questions}: organisers' programmes whole, coaches' groups one by one."""
    coached = coached_group_ids(user)
    if user.is_admin:
        managed_ids = set(db.session.scalars(select(Programme.id)))
    elif user.is_organiser:
        managed_ids = set(
            db.session.scalars(
                select(programme_managers.c.programme_id).where(
                    programme_managers.c.user_id == user.id
                )
            )
        )
    else:
        managed_ids = set()
    groups = db.session.scalars(
        select(TargetGroup)
        .where(or_(TargetGroup.programme_id.in_(managed_ids), TargetGroup.id.in_(coached)))
        .options(selectinload(TargetGroup.programme).selectinload(Programme.cohorts))
        .order_by(TargetGroup.programme_id, TargetGroup.position, TargetGroup.id)
    ).all()
    counts = question_counts(g.id for g in groups)
    by_programme: dict[int, ProgrammeCatalogues] = {}
    for group in groups:
        entry = by_programme.setdefault(
            group.programme_id,
            ProgrammeCatalogues(group.programme, [], group.programme_id in managed_ids),
        )
        entry.groups.append(group)
    return list(by_programme.values()), counts


def question_counts(group_ids: Iterable[int]) -> dict[int, int]:
    """{group_id: number of questions in the programme's catalogue of that group}."""
    rows = db.session.execute(
        select(Question.target_group_id, func.count(Question.id))
        .where(
            Question.target_group_id.in_(list(group_ids)),
            Question.source == QuestionSource.PROGRAMME.value,
            Question.cohort_id.is_(None),
        )
        .group_by(Question.target_group_id)
    )
    return dict(rows.all())
