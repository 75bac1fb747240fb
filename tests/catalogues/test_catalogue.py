"""Organisers and the group's coaches edit the catalogue; kick-offs add their guiding
questions to it for their run."""

import pytest
from sqlalchemy import func, select

from app.catalogues.models import (
    QUESTION_MAX_LENGTH,
    AgendaItem,
    Question,
    QuestionMark,
    QuestionSource,
    SessionAgenda,
)
from app.extensions import db
from tests.catalogues.helpers import browser_for, enrol, load, mark, text_of, tr


@pytest.fixture
def demo(app):
    return load()


@pytest.fixture
def coach_client(server_app, demo):
    return browser_for(server_app, demo.coach)


def _count(*conditions) -> int:
    return db.session.scalar(select(func.count(Question.id)).where(*conditions))


@pytest.mark.parametrize("who", ["coach", "organiser"])
def test_adding_a_question_appends_it_to_the_catalogue(server_app, demo, who):
    client = browser_for(server_app, getattr(demo, who))
    url = f"/catalogues/groups/{demo.group().id}"
    response = client.submit(
        f"{url}/questions", {"text": "  Wie messen wir Wirkung?  ", "topic_block": "2"}
    )
    assert response.status_code == 302
    added = demo.catalogue()[-1]
    assert (added.text, added.topic_block, added.source) == (
        "Wie messen wir Wirkung?",
        2,
        "programme",
    )
    assert added.cohort_id is None
    assert added.position == len(demo.catalogue()) - 1
    assert "Wie messen wir Wirkung?" in text_of(client.get(url))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Please enter the question."),
        ("   \n ", "Please enter the question."),
        (
            "x" * (QUESTION_MAX_LENGTH + 1),
            "The question can be at most %(max)s characters long (it has %(n)s).",
        ),
    ],
)
def test_empty_or_overlong_questions_are_refused_at_the_field(coach_client, demo, text, message):
    before = _count()
    response = coach_client.submit(
        f"/catalogues/groups/{demo.group().id}/questions", {"text": text, "topic_block": "0"}
    )
    assert response.status_code == 422
    page = text_of(response)
    expected = tr(message, max=QUESTION_MAX_LENGTH, n=QUESTION_MAX_LENGTH + 1)
    assert f'<p class="error" id="text-error">{expected}</p>' in page
    assert 'aria-invalid="true"' in page
    assert _count() == before


def test_a_question_of_exactly_the_maximum_length_is_accepted(coach_client, demo):
    response = coach_client.submit(
        f"/catalogues/groups/{demo.group().id}/questions",
        {"text": "x" * QUESTION_MAX_LENGTH, "topic_block": "0"},
    )
    assert response.status_code == 302
    assert demo.catalogue()[-1].text == "x" * QUESTION_MAX_LENGTH


def test_editing_a_question(coach_client, demo):
    question = demo.catalogue()[1]
    url = f"/catalogues/questions/{question.id}/edit"
    assert question.text in text_of(coach_client.get(url))

    response = coach_client.submit(url, {"text": "Neu formuliert", "topic_block": "3"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/catalogues/groups/{demo.group().id}")
    db.session.refresh(question)
    assert (question.text, question.topic_block) == ("Neu formuliert", 3)

    refused = coach_client.submit(url, {"text": "", "topic_block": "1"})
    assert refused.status_code == 422
    db.session.refresh(question)
    assert (question.text, question.topic_block) == ("Neu formuliert", 3)


def test_reordering_questions(coach_client, demo):
    first, second, third, fourth = demo.catalogue()
    coach_client.submit(f"/catalogues/questions/{third.id}/move", {"direction": "up"})
    assert demo.catalogue() == [first, third, second, fourth]
    coach_client.submit(f"/catalogues/questions/{first.id}/move", {"direction": "down"})
    assert demo.catalogue() == [third, first, second, fourth]
    # The ends stay where they are.
    coach_client.submit(f"/catalogues/questions/{third.id}/move", {"direction": "up"})
    coach_client.submit(f"/catalogues/questions/{fourth.id}/move", {"direction": "down"})
    assert demo.catalogue() == [third, first, second, fourth]
    assert [q.position for q in demo.catalogue()] == [0, 1, 2, 3]


def test_removing_a_question_drops_its_marks_but_agenda_items_keep_their_text(coach_client, demo):
    question = demo.catalogue()[0]
    enrolment = enrol(demo)
    mark(enrolment, question)
    agenda = SessionAgenda(session_id=demo.impulse(0).id)
    agenda.items.append(AgendaItem(text="Gehör, umformuliert", question_id=question.id))
    db.session.add(agenda)
    db.session.commit()
    item_id, question_id = agenda.items[0].id, question.id

    response = coach_client.submit(f"/catalogues/questions/{question_id}/delete")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Question, question_id) is None
    assert db.session.scalar(select(func.count(QuestionMark.id))) == 0
    item = db.session.get(AgendaItem, item_id)
    assert (item.text, item.question_id) == ("Gehör, umformuliert", None)


def test_the_kickoff_records_guiding_questions_for_its_run(server_app, coach_client, demo):
    kickoff = demo.kickoff()
    url = f"/catalogues/sessions/{kickoff.id}/kickoff"
    assert coach_client.get(url).status_code == 200
    for text in ("Wie gewinnen wir die Politik?", "Wer entscheidet was?"):
        assert coach_client.submit(url, {"text": text, "topic_block": "1"}).status_code == 302

    recorded = db.session.scalars(
        select(Question).where(Question.source == QuestionSource.KICKOFF.value)
    ).all()
    assert [q.text for q in recorded] == ["Wie gewinnen wir die Politik?", "Wer entscheidet was?"]
    assert {(q.session_id, q.cohort_id, q.target_group_id) for q in recorded} == {
        (kickoff.id, demo.cohort.id, demo.group().id)
    }
    page = text_of(coach_client.get(url))
    assert page.index("Wie gewinnen wir") < page.index("Wer entscheidet")
    catalogue_page = text_of(coach_client.get(f"/catalogues/groups/{demo.group().id}"))
    assert "Wer entscheidet was?" in catalogue_page
    assert kickoff.title in catalogue_page

    enrolment = enrol(demo)
    participant_page = text_of(
        browser_for(server_app, enrolment.user).get(f"/me/enrolments/{enrolment.id}/questions")
    )
    assert "Wer entscheidet was?" in participant_page
    assert tr("from the kick-off") in participant_page
    # The kick-off's questions come first in the run's catalogue.
    assert participant_page.index("Wer entscheidet was?") < participant_page.index(
        demo.catalogue()[0].text
    )


def test_an_organiser_records_kickoff_questions_too_and_mistakes_are_refused(server_app, demo):
    client = browser_for(server_app, demo.organiser)
    url = f"/catalogues/sessions/{demo.kickoff().id}/kickoff"
    assert client.submit(url, {"text": "Von der Orga", "topic_block": "0"}).status_code == 302
    refused = client.submit(url, {"text": "", "topic_block": "0"})
    assert refused.status_code == 422
    assert tr("Please enter the question.") in text_of(refused)
    assert _count(Question.source == QuestionSource.KICKOFF.value) == 1


def test_kickoff_questions_are_edited_and_reordered_within_their_kickoff(coach_client, demo):
    url = f"/catalogues/sessions/{demo.kickoff().id}/kickoff"
    for text in ("Erste", "Zweite"):
        coach_client.submit(url, {"text": text, "topic_block": "0"})
    first, second = db.session.scalars(
        select(Question)
        .where(Question.source == QuestionSource.KICKOFF.value)
        .order_by(Question.position)
    ).all()
    response = coach_client.submit(f"/catalogues/questions/{second.id}/move", {"direction": "up"})
    assert response.headers["Location"].endswith(url)
    db.session.expire_all()
    assert (second.position, first.position) == (0, 1)
    # The programme's catalogue was not renumbered.
    assert [q.position for q in demo.catalogue()] == [0, 1, 2, 3]

    coach_client.submit(
        f"/catalogues/questions/{first.id}/edit", {"text": "Erste!", "topic_block": "2"}
    )
    db.session.refresh(first)
    assert (first.text, first.topic_block, first.source) == ("Erste!", 2, "kickoff")


def test_a_cancelled_kickoff_takes_no_more_questions(coach_client, demo):
    kickoff = demo.kickoff()
    kickoff.status = "cancelled"
    db.session.commit()
    response = coach_client.submit(
        f"/catalogues/sessions/{kickoff.id}/kickoff", {"text": "Zu spät", "topic_block": "0"}
    )
    assert response.status_code == 302
    assert _count(Question.source == QuestionSource.KICKOFF.value) == 0
    followed = coach_client.get(response.headers["Location"])
    assert tr("This session has been cancelled.") in text_of(followed)


def test_the_coach_session_page_links_to_the_question_work(coach_client, demo):
    kickoff_page = coach_client.get(f"/sessions/{demo.kickoff().id}/coach").get_data(as_text=True)
    assert f"/catalogues/sessions/{demo.kickoff().id}/kickoff" in kickoff_page
    assert f"/catalogues/sessions/{demo.kickoff().id}/prepare" in kickoff_page
    impulse_page = coach_client.get(f"/sessions/{demo.impulse(0).id}/coach").get_data(as_text=True)
    assert f"/catalogues/sessions/{demo.impulse(0).id}/prepare" in impulse_page
    assert "/kickoff" not in impulse_page
    assert f"/catalogues/groups/{demo.group().id}" in impulse_page


def test_the_index_lists_every_catalogue_an_organiser_manages(server_app, demo):
    page = text_of(browser_for(server_app, demo.organiser).get("/catalogues/"))
    for group in demo.programme.target_groups:
        assert group.name in page
    assert f"/catalogues/programmes/{demo.programme.id}" in page
