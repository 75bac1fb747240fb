"""Every change to catalogues, participants' questions and marks, and session agendas.

Services take the acting user and `now` explicitly, raise `CatalogueRefused` with a message for
the person, and only flush: the view commits once. Who may call them is decided by the loaders
in `app.catalogues.access`; the rules about *when* (deadline, cancelled sessions) live here.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.catalogues.deadline import question_window
from app.catalogues.models import (
    QUESTION_MAX_LENGTH,
    TOPIC_BLOCKS,
    AgendaItem,
    Question,
    QuestionMark,
    QuestionSource,
    SessionAgenda,
)
from app.catalogues.queries import (
    booked_people,
    is_visible_to,
    published_agenda,  # noqa: F401  (for the reminder mail)
)
from app.enrolments.models import Enrolment
from app.errors import Refusal
from app.extensions import db
from app.notifications.services import queue_agenda_published
from app.programs.models import Programme, TargetGroup
from app.sessions.models import SessionKind, TrainingSession

# Participants' own questions per run, sign-up included: enough to ask, too few to flood.
MAX_OWN_QUESTIONS = 20
MAX_DEADLINE_HOURS = 24 * 14
DIRECTIONS = ("up", "down")


class CatalogueRefused(Refusal):
    """A change to a catalogue, question or agenda that was not made."""


def clean_text(text: str | None, *, field: str = "text", what: str = "question") -> str:
    """Plain text, trimmed; empty or longer than QUESTION_MAX_LENGTH is refused for `field`.
    `what` is "question" or "item" (an agenda item), for the wording of the message."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise CatalogueRefused(
            _l("Please enter the question.")
            if what == "question"
            else _l("Please enter the agenda item."),
            field,
        )
    if len(cleaned) > QUESTION_MAX_LENGTH:
        limits = {"max": QUESTION_MAX_LENGTH, "n": len(cleaned)}
        raise CatalogueRefused(
            _l("The question can be at most %(max)s characters long (it has %(n)s).", **limits)
            if what == "question"
            else _l(
                "The agenda item can be at most %(max)s characters long (it has %(n)s).",
                **limits,
            ),
            field,
        )
    return cleaned


def clean_topic_block(value: int | None) -> int | None:
    if value in (None, 0):
        return None
    if value not in TOPIC_BLOCKS:
        raise CatalogueRefused(_l("Please choose topic block 1, 2 or 3."), "topic_block")
    return value


def _next_position(*conditions) -> int:
    highest = db.session.scalar(select(func.max(Question.position)).where(*conditions))
    return 0 if highest is None else highest + 1


# --- the catalogue (organisers and the group's coaches) -------------------------------------


def add_question(
    group: TargetGroup, *, text: str, topic_block: int | None, actor, now: datetime
) -> Question:
    """Append a question to the programme's catalogue of the group (every run sees it)."""
    question = Question(
        target_group_id=group.id,
        text=clean_text(text),
        topic_block=clean_topic_block(topic_block),
        source=QuestionSource.PROGRAMME.value,
        author_id=actor.id,
        created_at=now,
        position=_next_position(
            Question.target_group_id == group.id,
            Question.source == QuestionSource.PROGRAMME.value,
            Question.cohort_id.is_(None),
        ),
    )
    db.session.add(question)
    db.session.flush()
    return question


def record_kickoff_question(
    kickoff: TrainingSession, *, text: str, topic_block: int | None, actor, now: datetime
) -> Question:
    """A guiding question the kick-off agreed on: it joins the group's catalogue for that run."""
    if kickoff.kind != SessionKind.KICKOFF or kickoff.target_group_id is None:
        raise CatalogueRefused(_l("Guiding questions are recorded for a group's kick-off."))
    _check_changeable(kickoff)
    question = Question(
        target_group_id=kickoff.target_group_id,
        cohort_id=kickoff.cohort_id,
        session_id=kickoff.id,
        text=clean_text(text),
        topic_block=clean_topic_block(topic_block),
        source=QuestionSource.KICKOFF.value,
        author_id=actor.id,
        created_at=now,
        position=_next_position(
            Question.source == QuestionSource.KICKOFF.value, Question.session_id == kickoff.id
        ),
    )
    db.session.add(question)
    db.session.flush()
    return question


def update_question(question: Question, *, text: str, topic_block: int | None, actor) -> Question:
    if not question.is_in_catalogue:
        raise CatalogueRefused(_l("Only catalogue questions can be edited here."))
    question.text = clean_text(text)
    question.topic_block = clean_topic_block(topic_block)
    db.session.flush()
    return question


def _siblings(question: Question) -> list[Question]:
    """The list a catalogue question is ordered within."""
    if question.source == QuestionSource.KICKOFF:
        scope = (
            Question.source == QuestionSource.KICKOFF.value,
            Question.cohort_id == question.cohort_id,
            Question.session_id.is_(None)
            if question.session_id is None
            else Question.session_id == question.session_id,
        )
    else:
        scope = (
            Question.source == QuestionSource.PROGRAMME.value,
            Question.cohort_id.is_(None),
        )
    return db.session.scalars(
        select(Question)
        .where(Question.target_group_id == question.target_group_id, *scope)
        .order_by(Question.position, Question.id)
    ).all()


def _move(items: list, item, direction: str) -> None:
    """Swap `item` with its neighbour; positions are renumbered 0..n-1 on the way."""
    if direction not in DIRECTIONS:
        raise CatalogueRefused(_l("Unknown direction."))
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, entry in enumerate(items):
        entry.position = position
    db.session.flush()


def move_question(question: Question, direction: str, *, actor) -> None:
    _move(_siblings(question), question, direction)


def remove_question(question: Question, *, actor) -> None:
    """Marks go with it; agenda items that came from it keep their text."""
    if not question.is_in_catalogue:
        raise CatalogueRefused(_l("Only catalogue questions can be removed here."))
    db.session.delete(question)
    db.session.flush()


# --- participants ----------------------------------------------------------------------------


def _check_window(enrolment: Enrolment, now: datetime) -> None:
    if not question_window(enrolment, now=now).is_open:
        hours = enrolment.cohort.programme.question_deadline_hours
        raise CatalogueRefused(
            _l(
                "Questions can be added and changed only until %(hours)s hours before your next "
                "impulse training.",
                hours=hours,
            )
        )


def submit_question(enrolment: Enrolment, text: str, *, now: datetime) -> Question:
    cleaned = clean_text(text)
    _check_window(enrolment, now)
    asked = db.session.scalar(
        select(func.count(Question.id)).where(
            Question.source == QuestionSource.PARTICIPANT.value,
            Question.cohort_id == enrolment.cohort_id,
            Question.author_id == enrolment.user_id,
        )
    )
    if asked >= MAX_OWN_QUESTIONS:
        raise CatalogueRefused(
            _l("You can ask at most %(n)s questions.", n=MAX_OWN_QUESTIONS), "text"
        )
    question = Question(
        target_group_id=enrolment.target_group_id,
        cohort_id=enrolment.cohort_id,
        author_id=enrolment.user_id,
        text=cleaned,
        source=QuestionSource.PARTICIPANT.value,
        position=asked,
        created_at=now,
    )
    db.session.add(question)
    db.session.flush()
    return question


def _check_own(question: Question, enrolment: Enrolment) -> None:
    if (
        question.source != QuestionSource.PARTICIPANT
        or question.author_id != enrolment.user_id
        or question.cohort_id != enrolment.cohort_id
    ):
        raise CatalogueRefused(_l("This is not one of your questions."))


def update_own_question(
    question: Question, enrolment: Enrolment, text: str, *, now: datetime
) -> Question:
    _check_own(question, enrolment)
    cleaned = clean_text(text)
    _check_window(enrolment, now)
    question.text = cleaned
    db.session.flush()
    return question


def delete_own_question(question: Question, enrolment: Enrolment, *, now: datetime) -> None:
    _check_own(question, enrolment)
    _check_window(enrolment, now)
    db.session.delete(question)
    db.session.flush()


def set_mark(enrolment: Enrolment, question: Question, *, marked: bool, now: datetime) -> None:
    """Mark (or unmark) a catalogue question of the person's group; idempotent."""
    if not is_visible_to(question, enrolment):
        raise CatalogueRefused(_l("This question is not in your catalogue."))
    _check_window(enrolment, now)
    existing = db.session.scalar(
        select(QuestionMark).where(
            QuestionMark.enrolment_id == enrolment.id, QuestionMark.question_id == question.id
        )
    )
    if marked and existing is None:
        db.session.add(QuestionMark(enrolment_id=enrolment.id, question_id=question.id))
    elif not marked and existing is not None:
        db.session.delete(existing)
    db.session.flush()


# --- session agendas (the session's coaches and the programme's organisers) ------------------


def _check_changeable(training_session: TrainingSession) -> None:
    if training_session.is_cancelled:
        raise CatalogueRefused(_l("This session has been cancelled."))
    if training_session.cohort.is_archived:
        raise CatalogueRefused(_l("This cohort is archived and can no longer be changed."))


def _agenda(training_session: TrainingSession) -> SessionAgenda:
    agenda = db.session.scalar(
        select(SessionAgenda).where(SessionAgenda.session_id == training_session.id)
    )
    if agenda is None:
        agenda = SessionAgenda(session_id=training_session.id)
        db.session.add(agenda)
        db.session.flush()
    return agenda


def _belongs_to_session(question: Question, training_session: TrainingSession) -> bool:
    """Is the question on the session's preparation page?"""
    if question.target_group_id != training_session.target_group_id:
        return False
    if question.source == QuestionSource.PROGRAMME:
        return question.cohort_id is None
    if question.source == QuestionSource.KICKOFF:
        return question.cohort_id == training_session.cohort_id
    return question.cohort_id == training_session.cohort_id and question.author_id in set(
        booked_people(training_session.id).values()
    )


def _append(agenda: SessionAgenda, text: str, question_id: int | None, now: datetime):
    position = max((item.position for item in agenda.items), default=-1) + 1
    item = AgendaItem(text=text, question_id=question_id, position=position, created_at=now)
    agenda.items.append(item)
    agenda.updated_at = now
    db.session.flush()
    return item


def pick_question(
    training_session: TrainingSession, question: Question, *, actor, now: datetime
) -> AgendaItem:
    """Put a question on the agenda, in its own words for now (the coach may reword it)."""
    _check_changeable(training_session)
    if not _belongs_to_session(question, training_session):
        raise CatalogueRefused(_l("This question does not belong to this session."))
    agenda = _agenda(training_session)
    if any(item.question_id == question.id for item in agenda.items):
        raise CatalogueRefused(_l("This question is already on the agenda."))
    return _append(agenda, question.text, question.id, now)


def add_item(training_session: TrainingSession, text: str, *, actor, now: datetime) -> AgendaItem:
    """A point of the coach's own."""
    cleaned = clean_text(text, what="item")
    _check_changeable(training_session)
    return _append(_agenda(training_session), cleaned, None, now)


def reword_item(item: AgendaItem, text: str, *, actor, now: datetime) -> AgendaItem:
    cleaned = clean_text(text, what="item")
    _check_changeable(item.agenda.training_session)
    item.text = cleaned
    item.agenda.updated_at = now
    db.session.flush()
    return item


def move_item(item: AgendaItem, direction: str, *, actor, now: datetime) -> None:
    _check_changeable(item.agenda.training_session)
    item.agenda.updated_at = now
    _move(list(item.agenda.items), item, direction)


def remove_item(item: AgendaItem, *, actor, now: datetime) -> None:
    _check_changeable(item.agenda.training_session)
    agenda = item.agenda
    agenda.items.remove(item)
    agenda.updated_at = now
    for position, entry in enumerate(agenda.items):
        entry.position = position
    db.session.flush()


def publish(training_session: TrainingSession, *, actor, now: datetime) -> SessionAgenda:
    """Booked participants see the agenda from now on (and the reminder mail carries it)."""
    _check_changeable(training_session)
    agenda = _agenda(training_session)
    if not agenda.items:
        raise CatalogueRefused(_l("Add at least one item before publishing the agenda."))
    if agenda.published_at is None:
        agenda.published_at = now
        agenda.published_by_id = actor.id
        db.session.flush()
        queue_agenda_published(training_session, now=now)
    db.session.flush()
    return agenda


def unpublish(training_session: TrainingSession, *, actor, now: datetime) -> SessionAgenda:
    agenda = _agenda(training_session)
    agenda.published_at = None
    agenda.published_by_id = None
    agenda.updated_at = now
    db.session.flush()
    return agenda


# --- settings --------------------------------------------------------------------------------


def set_question_deadline(programme: Programme, hours: int | None, *, actor) -> None:
    if hours is None or not 0 <= hours <= MAX_DEADLINE_HOURS:
        raise CatalogueRefused(
            _l("Please enter a number of hours from 0 to %(max)s.", max=MAX_DEADLINE_HOURS),
            "hours",
        )
    programme.question_deadline_hours = hours
    db.session.flush()
