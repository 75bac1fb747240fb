"""Participants mark the questions that matter to them and add, change and delete their own."""

import pytest
from sqlalchemy import func, select

from app.catalogues.models import QUESTION_MAX_LENGTH, Question, QuestionMark, QuestionSource
from app.catalogues.services import MAX_OWN_QUESTIONS
from app.enrolments.models import EnrolmentStatus
from app.extensions import db
from tests.catalogues.helpers import ask, browser_for, enrol, load, text_of, tr


@pytest.fixture
def demo(app):
    return load()


@pytest.fixture
def enrolment(demo):
    return enrol(demo)


@pytest.fixture
def client(server_app, enrolment):
    return browser_for(server_app, enrolment.user)


def _own(enrolment) -> list[str]:
    return db.session.scalars(
        select(Question.text)
        .where(Question.author_id == enrolment.user_id, Question.source == "participant")
        .order_by(Question.id)
    ).all()


def _marked(enrolment) -> set[int]:
    return set(
        db.session.scalars(
            select(QuestionMark.question_id).where(QuestionMark.enrolment_id == enrolment.id)
        )
    )


def test_the_enrolment_page_links_to_the_questions(client, enrolment):
    page = client.get(f"/me/enrolments/{enrolment.id}").get_data(as_text=True)
    assert f"/me/enrolments/{enrolment.id}/questions" in page


def test_submitting_an_own_question(client, enrolment):
    url = f"/me/enrolments/{enrolment.id}/questions"
    response = client.submit(url, {"text": " Wie gewinne ich den Bürgermeister? "})
    assert response.status_code == 302
    question = db.session.scalar(select(Question).where(Question.source == "participant"))
    assert question.text == "Wie gewinne ich den Bürgermeister?"
    assert (question.cohort_id, question.target_group_id, question.author_id) == (
        enrolment.cohort_id,
        enrolment.target_group_id,
        enrolment.user_id,
    )
    assert "Wie gewinne ich den Bürgermeister?" in text_of(client.get(url))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Please enter the question."),
        (
            "y" * (QUESTION_MAX_LENGTH + 1),
            "The question can be at most %(max)s characters long (it has %(n)s).",
        ),
    ],
)
def test_empty_or_overlong_own_questions_are_refused(client, enrolment, text, message):
    response = client.submit(f"/me/enrolments/{enrolment.id}/questions", {"text": text})
    assert response.status_code == 422
    expected = tr(message, max=QUESTION_MAX_LENGTH, n=QUESTION_MAX_LENGTH + 1)
    assert f'<p class="error" id="text-error">{expected}</p>' in text_of(response)
    assert _own(enrolment) == []


def test_at_most_so_many_own_questions(client, enrolment):
    for number in range(MAX_OWN_QUESTIONS):
        ask(enrolment, f"Frage {number}")
    response = client.submit(f"/me/enrolments/{enrolment.id}/questions", {"text": "Noch eine"})
    assert response.status_code == 422
    assert tr("You can ask at most %(n)s questions.", n=MAX_OWN_QUESTIONS) in text_of(response)
    assert len(_own(enrolment)) == MAX_OWN_QUESTIONS


def test_editing_and_deleting_own_questions(client, enrolment):
    first, second = ask(enrolment, "Erste Frage"), ask(enrolment, "Zweite Frage")
    edit = f"/me/questions/{first.id}/edit"
    assert "Erste Frage" in text_of(client.get(edit))

    assert client.submit(edit, {"text": "Erste Frage, genauer"}).status_code == 302
    refused = client.submit(edit, {"text": "  "})
    assert refused.status_code == 422
    assert tr("Please enter the question.") in text_of(refused)
    assert _own(enrolment) == ["Erste Frage, genauer", "Zweite Frage"]

    assert client.submit(f"/me/questions/{second.id}/delete").status_code == 302
    assert _own(enrolment) == ["Erste Frage, genauer"]


def test_questions_asked_at_sign_up_are_the_persons_own(client, enrolment):
    """The sign-up stores questions as participant questions of the run: they show up here."""
    db.session.add(
        Question(
            target_group_id=enrolment.target_group_id,
            cohort_id=enrolment.cohort_id,
            author_id=enrolment.user_id,
            text="Bei der Anmeldung gefragt",
            source=QuestionSource.PARTICIPANT.value,
        )
    )
    db.session.commit()
    assert "Bei der Anmeldung gefragt" in text_of(
        client.get(f"/me/enrolments/{enrolment.id}/questions")
    )


def test_marking_and_unmarking_catalogue_questions(client, demo, enrolment):
    first, second = demo.catalogue()[:2]
    base = f"/me/enrolments/{enrolment.id}/questions"
    assert client.submit(f"{base}/{first.id}/mark", {"marked": "1"}).status_code == 302
    client.submit(f"{base}/{second.id}/mark", {"marked": "1"})
    client.submit(f"{base}/{second.id}/mark", {"marked": "1"})  # twice is once
    assert _marked(enrolment) == {first.id, second.id}
    page = text_of(client.get(base))
    assert page.count(f'<span class="badge">{tr("Marked as important")}</span>') == 2

    client.submit(f"{base}/{first.id}/mark", {"marked": "0"})
    client.submit(f"{base}/{first.id}/mark", {"marked": "0"})
    assert _marked(enrolment) == {second.id}
    assert db.session.scalar(select(func.count(QuestionMark.id))) == 1


def test_own_questions_cannot_be_marked(client, enrolment):
    own = ask(enrolment, "Eigene")
    url = f"/me/enrolments/{enrolment.id}/questions/{own.id}/mark"
    assert client.submit(url, {"marked": "1"}).status_code == 404


def test_people_waiting_for_approval_may_ask_already(server_app, demo):
    applied = enrol(demo, book=(), status=EnrolmentStatus.APPLIED)
    client = browser_for(server_app, applied.user)
    url = f"/me/enrolments/{applied.id}/questions"
    assert client.submit(url, {"text": "Vorab gefragt"}).status_code == 302
    assert _own(applied) == ["Vorab gefragt"]
