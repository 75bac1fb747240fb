"""The coach's preparation page: the group's catalogue for the run and the booked people's own
questions, ranked by how many of the booked people marked or asked each."""

import pytest

from app.bookings.models import Booking, BookingStatus
from app.catalogues.models import Question, QuestionSource
from app.catalogues.queries import ranked_questions
from app.extensions import db
from tests.catalogues.helpers import ask, browser_for, enrol, load, mark, text_of


@pytest.fixture
def demo(app):
    return load()


def _ranking(training_session) -> list[tuple[str, int]]:
    _, ranked = ranked_questions(training_session)
    return [(entry.question.text, entry.people) for entry in ranked]


def test_marks_and_own_questions_of_booked_people_count(demo):
    q1, q2, q3, q4 = demo.catalogue()
    anna, ben, cara = (enrol(demo, book=(0,)) for _ in range(3))
    mark(anna, q1, q2)
    mark(ben, q2)
    ask(cara, "Wie finde ich Verbündete?")
    mark(cara, q2)

    assert _ranking(demo.impulse(0)) == [
        (q2.text, 3),
        (q1.text, 1),
        ("Wie finde ich Verbündete?", 1),
        (q3.text, 0),
        (q4.text, 0),
    ]


def test_people_not_booked_into_the_session_do_not_count(demo):
    q1, q2, q3, q4 = demo.catalogue()
    booked = enrol(demo, book=(0,))
    elsewhere = enrol(demo, book=(1,))
    waiting = enrol(demo, book=())
    db.session.add(
        Booking(
            session_id=demo.impulse(0).id,
            enrolment_id=waiting.id,
            status=BookingStatus.WAITLISTED.value,
        )
    )
    other_group = enrol(demo, "fuehrungsebene", book=(0,))
    db.session.commit()
    mark(booked, q4)
    for enrolment in (elsewhere, waiting):
        mark(enrolment, q3)
        ask(enrolment, f"Frage von {enrolment.id}")
    ask(other_group, "Frage der Führungsebene")

    count, ranked = ranked_questions(demo.impulse(0))
    assert count == 1
    assert [(r.question.text, r.people) for r in ranked] == [
        (q4.text, 1),
        (q1.text, 0),
        (q2.text, 0),
        (q3.text, 0),
    ]


def test_ties_the_kickoffs_questions_then_the_programmes_then_participants_in_order(demo):
    q1, q2, q3, q4 = demo.catalogue()
    kickoff_question = Question(
        target_group_id=demo.group().id,
        cohort_id=demo.cohort.id,
        session_id=demo.kickoff().id,
        text="Aus dem Auftakt",
        source=QuestionSource.KICKOFF.value,
    )
    db.session.add(kickoff_question)
    db.session.commit()
    anna, ben = enrol(demo, book=(0,)), enrol(demo, book=(0,))
    ask(ben, "Bens Frage")
    ask(anna, "Annas Frage")
    mark(anna, q3, kickoff_question)
    mark(ben, q1)

    assert _ranking(demo.impulse(0)) == [
        ("Aus dem Auftakt", 1),
        (q1.text, 1),
        (q3.text, 1),
        ("Bens Frage", 1),
        ("Annas Frage", 1),
        (q2.text, 0),
        (q4.text, 0),
    ]


def test_the_page_shows_the_ranking_and_who_asked(server_app, demo):
    q1 = demo.catalogue()[0]
    anna, ben = enrol(demo, book=(0,)), enrol(demo, book=(0,))
    mark(anna, q1)
    mark(ben, q1)
    ask(ben, "Bens Frage")
    page = text_of(
        browser_for(server_app, demo.coach).get(
            f"/catalogues/sessions/{demo.impulse(0).id}/prepare"
        )
    )
    ranked = page.split('id="ranked"')[1]
    assert (
        ranked.index(q1.text) < ranked.index("Bens Frage") < ranked.index(demo.catalogue()[1].text)
    )
    assert ben.user.name in ranked
    assert anna.user.name not in ranked


def _crowd(demo, first: int, last: int) -> None:
    catalogue = demo.catalogue()
    for number in range(first, last):
        enrolment = enrol(demo, book=(0,))
        mark(enrolment, *catalogue[: number % 4 + 1])
        ask(enrolment, f"Frage {number}")
        ask(enrolment, f"Noch eine Frage {number}")


def test_the_preparation_page_needs_the_same_queries_for_two_or_eight_people(
    server_app, demo, count_queries
):
    client = browser_for(server_app, demo.coach)
    url = f"/catalogues/sessions/{demo.impulse(0).id}/prepare"
    _crowd(demo, 0, 2)
    client.submit(
        f"/catalogues/sessions/{demo.impulse(0).id}/agenda/items", {"text": "Eigener Punkt"}
    )
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _crowd(demo, 2, 8)
    client.submit(f"/catalogues/sessions/{demo.impulse(0).id}/agenda/items", {"text": "Noch einer"})
    with count_queries() as many:
        page = text_of(client.get(url))
    assert "Noch eine Frage 7" in page
    assert len(many) == len(few), many
    assert len(many) <= 15, many
