"""Catalogue, agenda and participant question URLs (scenario: the demo programme; the demo coach
runs every kick-off and impulse training, so coaches every group; the participant is approved in
"verkehrsplanung" with a seat in its first impulse training).

Catalogues: the programme's organisers and the coaches of the group; other coaches and other
organisers get 404. Preparation and agenda: the session's coaches and the programme's
organisers. Participants reach only their own enrolment's catalogue and their own questions
(anything else: 404). Coaches of *another group* are covered in test_access.py.
"""

from app.catalogues.models import (
    AgendaItem,
    Question,
    QuestionSource,
    SessionAgenda,
)
from app.db_types import utcnow
from app.extensions import db
from tests.access import ACTORS, AccessRow

EDITORS = {
    "anonymous": 302,
    "participant": 403,
    "coach": 200,
    "other_coach": 404,
    "organiser": 200,
    "other_organiser": 404,
    "admin": 200,
}
EDITOR_POSTS = EDITORS | {"coach": 302, "organiser": 302, "admin": 302}
SIGNED_IN_EDITORS = dict.fromkeys(ACTORS, 200) | {"anonymous": 302, "participant": 403}
MANAGING = dict.fromkeys(ACTORS, 403) | {"anonymous": 302, "organiser": 200, "admin": 200}
MANAGING_POSTS = MANAGING | {"organiser": 302, "admin": 302}
OWNER_ONLY = dict.fromkeys(ACTORS, 404) | {"anonymous": 302, "participant": 200}
OWNER_POSTS = dict.fromkeys(ACTORS, 404) | {"anonymous": 302, "participant": 302}


def _group(s):
    return s.extra["enrolment"].target_group


def _question(s):
    """The first question of the participant's group's programme catalogue."""
    return min(
        (q for q in db.session.query(Question).filter_by(target_group_id=_group(s).id)),
        key=lambda q: (q.position, q.id),
    )


def _impulse(s):
    return s.extra["booking"].training_session


def _kickoff(s):
    return next(
        ts for ts in s.sessions if ts.kind == "kickoff" and ts.target_group_id == _group(s).id
    )


def _once(s, key, make):
    if key not in s.extra:
        s.extra[key] = make()
        db.session.commit()
    return s.extra[key]


def _kickoff_question(s):
    def make():
        kickoff = _kickoff(s)
        question = Question(
            target_group_id=kickoff.target_group_id,
            cohort_id=kickoff.cohort_id,
            session_id=kickoff.id,
            text="Wie gewinnen wir die Politik?",
            source=QuestionSource.KICKOFF.value,
        )
        db.session.add(question)
        return question

    return _once(s, "kickoff_question", make)


def _own_question(s):
    def make():
        enrolment = s.extra["enrolment"]
        question = Question(
            target_group_id=enrolment.target_group_id,
            cohort_id=enrolment.cohort_id,
            author_id=enrolment.user_id,
            text="Wie finde ich Verbündete?",
            source=QuestionSource.PARTICIPANT.value,
        )
        db.session.add(question)
        return question

    return _once(s, "own_question", make)


def _agenda_item(s, *, published: bool = False):
    def make():
        agenda = SessionAgenda(
            session_id=_impulse(s).id, published_at=utcnow() if published else None
        )
        agenda.items.append(AgendaItem(text="Gehör verschaffen", position=0))
        db.session.add(agenda)
        return agenda.items[0]

    return _once(s, "agenda_item", make)


def _published(s):
    _agenda_item(s, published=True)
    return _impulse(s)


ROWS = [
    AccessRow("catalogues.index", lambda s: "/catalogues/", SIGNED_IN_EDITORS),
    AccessRow("catalogues.group", lambda s: f"/catalogues/groups/{_group(s).id}", EDITORS),
    AccessRow(
        "catalogues.question_add",
        lambda s: f"/catalogues/groups/{_group(s).id}/questions",
        EDITOR_POSTS,
        method="POST",
        data={"text": "Wie messen wir Erfolg?", "topic_block": "2"},
    ),
    AccessRow(
        "catalogues.question_edit",
        lambda s: f"/catalogues/questions/{_question(s).id}/edit",
        EDITORS,
    ),
    AccessRow(
        "catalogues.question_move",
        lambda s: f"/catalogues/questions/{_question(s).id}/move",
        EDITOR_POSTS,
        method="POST",
        data={"direction": "down"},
    ),
    AccessRow(
        "catalogues.question_delete",
        lambda s: f"/catalogues/questions/{_kickoff_question(s).id}/delete",
        EDITOR_POSTS,
        method="POST",
    ),
    AccessRow(
        "catalogues.kickoff", lambda s: f"/catalogues/sessions/{_kickoff(s).id}/kickoff", EDITORS
    ),
    AccessRow(
        "catalogues.prepare", lambda s: f"/catalogues/sessions/{_impulse(s).id}/prepare", EDITORS
    ),
    AccessRow(
        "catalogues.agenda_pick",
        lambda s: f"/catalogues/sessions/{_impulse(s).id}/agenda/pick/{_question(s).id}",
        EDITOR_POSTS,
        method="POST",
    ),
    AccessRow(
        "catalogues.agenda_add",
        lambda s: f"/catalogues/sessions/{_impulse(s).id}/agenda/items",
        EDITOR_POSTS,
        method="POST",
        data={"text": "Eigene Erfahrungen"},
    ),
    AccessRow(
        "catalogues.agenda_reword",
        lambda s: f"/catalogues/agenda-items/{_agenda_item(s).id}/reword",
        EDITOR_POSTS,
        method="POST",
        data={"text": "Wie verschaffe ich mir Gehör?"},
    ),
    AccessRow(
        "catalogues.agenda_move",
        lambda s: f"/catalogues/agenda-items/{_agenda_item(s).id}/move",
        EDITOR_POSTS,
        method="POST",
        data={"direction": "up"},
    ),
    AccessRow(
        "catalogues.agenda_remove",
        lambda s: f"/catalogues/agenda-items/{_agenda_item(s).id}/delete",
        EDITOR_POSTS,
        method="POST",
    ),
    AccessRow(
        "catalogues.agenda_publish",
        lambda s: f"/catalogues/sessions/{_agenda_item(s).agenda.session_id}/agenda/publish",
        EDITOR_POSTS,
        method="POST",
    ),
    AccessRow(
        "catalogues.agenda_unpublish",
        lambda s: f"/catalogues/sessions/{_published(s).id}/agenda/unpublish",
        EDITOR_POSTS,
        method="POST",
    ),
    AccessRow(
        "catalogues.agenda_print",
        lambda s: f"/catalogues/sessions/{_impulse(s).id}/agenda/print",
        EDITORS,
    ),
    AccessRow(
        "catalogues.agenda_pdf",
        lambda s: f"/catalogues/sessions/{_impulse(s).id}/agenda.pdf",
        EDITORS,
    ),
    AccessRow(
        "catalogues.programme", lambda s: f"/catalogues/programmes/{s.programme.id}", MANAGING
    ),
    AccessRow(
        "catalogues.deadline",
        lambda s: f"/catalogues/programmes/{s.programme.id}/deadline",
        MANAGING_POSTS,
        method="POST",
        data={"hours": "24"},
    ),
    AccessRow(
        "catalogues.cohort_questions",
        lambda s: f"/catalogues/cohorts/{s.cohort.id}/questions",
        MANAGING,
    ),
    AccessRow(
        "catalogues.my_questions",
        lambda s: f"/me/enrolments/{s.extra['enrolment'].id}/questions",
        OWNER_ONLY,
    ),
    AccessRow(
        "catalogues.my_question_add",
        lambda s: f"/me/enrolments/{s.extra['enrolment'].id}/questions",
        OWNER_POSTS,
        method="POST",
        data={"text": "Wie überzeuge ich den Gemeinderat?"},
    ),
    AccessRow(
        "catalogues.my_mark",
        lambda s: f"/me/enrolments/{s.extra['enrolment'].id}/questions/{_question(s).id}/mark",
        OWNER_POSTS,
        method="POST",
        data={"marked": "1"},
    ),
    AccessRow(
        "catalogues.my_question_edit",
        lambda s: f"/me/questions/{_own_question(s).id}/edit",
        OWNER_ONLY,
    ),
    AccessRow(
        "catalogues.my_question_delete",
        lambda s: f"/me/questions/{_own_question(s).id}/delete",
        OWNER_POSTS,
        method="POST",
    ),
    AccessRow(
        "catalogues.my_agenda_pdf",
        lambda s: f"/me/sessions/{_published(s).id}/agenda.pdf",
        OWNER_ONLY,
    ),
]
