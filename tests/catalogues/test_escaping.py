"""Question texts are plain text: every page and the PDF show markup as the characters typed."""

import io

import pytest
from pypdf import PdfReader

from app.catalogues.models import AgendaItem, Question, QuestionSource, SessionAgenda
from app.db_types import utcnow
from app.extensions import db
from tests.catalogues.helpers import XSS, ask, browser_for, enrol, load

RAW = '<img src="file:///etc/passwd">'
ESCAPED = "&lt;img src=&#34;file:///etc/passwd&#34;&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"


@pytest.fixture
def world(app):
    demo = load()
    db.session.add(
        Question(
            target_group_id=demo.group().id,
            text=f"Katalog {XSS}",
            source=QuestionSource.PROGRAMME.value,
            position=99,
        )
    )
    kickoff_question = Question(
        target_group_id=demo.group().id,
        cohort_id=demo.cohort.id,
        session_id=demo.kickoff().id,
        text=f"Auftakt {XSS}",
        source=QuestionSource.KICKOFF.value,
    )
    db.session.add(kickoff_question)
    enrolment = enrol(demo, book=(0,))
    own = ask(enrolment, f"Eigene {XSS}")
    agenda = SessionAgenda(session_id=demo.impulse(0).id, published_at=utcnow())
    agenda.items.append(AgendaItem(text=f"Agenda {XSS}", question_id=own.id))
    db.session.add(agenda)
    db.session.commit()
    return demo, enrolment, own, kickoff_question


def _assert_escaped(response, *labels):
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert RAW not in html
    assert "<b>bold</b>" not in html
    for label in labels:
        assert f"{label} {ESCAPED}" in html, label


def test_coach_and_organiser_pages_escape_question_texts(server_app, world):
    demo, enrolment, own, kickoff_question = world
    coach = browser_for(server_app, demo.coach)
    impulse = f"/catalogues/sessions/{demo.impulse(0).id}"
    _assert_escaped(coach.get(f"/catalogues/groups/{demo.group().id}"), "Katalog", "Auftakt")
    _assert_escaped(coach.get(f"/catalogues/sessions/{demo.kickoff().id}/kickoff"), "Auftakt")
    _assert_escaped(coach.get(f"/catalogues/questions/{kickoff_question.id}/edit"), "Auftakt")
    _assert_escaped(coach.get(f"{impulse}/prepare"), "Katalog", "Auftakt", "Eigene", "Agenda")
    _assert_escaped(coach.get(f"{impulse}/agenda/print"), "Agenda")
    organiser = browser_for(server_app, demo.organiser)
    _assert_escaped(
        organiser.get(f"/catalogues/cohorts/{demo.cohort.id}/questions"), "Katalog", "Eigene"
    )


def test_participant_pages_escape_question_texts(server_app, world):
    demo, enrolment, own, _ = world
    client = browser_for(server_app, enrolment.user)
    _assert_escaped(client.get(f"/me/enrolments/{enrolment.id}/questions"), "Katalog", "Eigene")
    _assert_escaped(client.get(f"/me/questions/{own.id}/edit"), "Eigene")
    _assert_escaped(client.get(f"/me/sessions/{demo.impulse(0).id}"), "Agenda")


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


@pytest.mark.parametrize("who", ["coach", "participant"])
def test_the_pdf_prints_markup_as_text_and_fetches_nothing(server_app, world, who):
    demo, enrolment, _, _ = world
    if who == "coach":
        client = browser_for(server_app, demo.coach)
        url = f"/catalogues/sessions/{demo.impulse(0).id}/agenda.pdf"
    else:
        client = browser_for(server_app, enrolment.user)
        url = f"/me/sessions/{demo.impulse(0).id}/agenda.pdf"
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    assert f"Agenda {XSS}" in text
    assert demo.impulse(0).title in text
    assert not any(page.images for page in PdfReader(io.BytesIO(response.data)).pages)
