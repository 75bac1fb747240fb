"""Visibility rules beyond the role × URL matrix: coaches of other groups and other sessions,
participants of other groups and other people's questions, agendas only for booked people."""

import pytest

from app.catalogues.models import AgendaItem, Question, QuestionSource, SessionAgenda
from app.enrolments.models import EnrolmentStatus
from app.extensions import db
from app.programs.models import Cohort, CohortStatus
from tests.catalogues.helpers import NOW, ask, browser_for, enrol, load, text_of
from tests.factories import UserFactory


@pytest.fixture
def demo(app):
    return load()


def _agenda(training_session, *texts, published=True):
    agenda = SessionAgenda(session_id=training_session.id, published_at=NOW if published else None)
    for position, text in enumerate(texts):
        agenda.items.append(AgendaItem(text=text, position=position))
    db.session.add(agenda)
    db.session.commit()
    return agenda


def test_a_coach_of_another_group_reaches_only_that_groups_catalogue(server_app, demo):
    coach = UserFactory(role="coach")
    demo.impulse(0, "fuehrungsebene").coaches.append(coach)
    db.session.commit()
    agenda = _agenda(demo.impulse(0), "Punkt")
    question = demo.catalogue()[0]
    client = browser_for(server_app, coach)

    assert client.get(f"/catalogues/groups/{demo.group('fuehrungsebene').id}").status_code == 200
    own_prepare = client.get(f"/catalogues/sessions/{demo.impulse(0, 'fuehrungsebene').id}/prepare")
    assert own_prepare.status_code == 200
    for url in (
        f"/catalogues/groups/{demo.group().id}",
        f"/catalogues/questions/{question.id}/edit",
        f"/catalogues/sessions/{demo.kickoff().id}/kickoff",
        f"/catalogues/sessions/{demo.impulse(0).id}/prepare",
        f"/catalogues/sessions/{demo.impulse(0).id}/agenda/print",
        f"/catalogues/sessions/{demo.impulse(0).id}/agenda.pdf",
    ):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (f"/catalogues/groups/{demo.group().id}/questions", {"text": "Neu"}),
        (f"/catalogues/questions/{question.id}/delete", {}),
        (f"/catalogues/agenda-items/{agenda.items[0].id}/reword", {"text": "Anders"}),
        (f"/catalogues/sessions/{demo.impulse(0).id}/agenda/unpublish", {}),
    ):
        assert client.submit(url, data).status_code == 404, url
    assert db.session.get(Question, question.id) is not None

    index = text_of(client.get("/catalogues/"))
    assert "Führungsebene" in index
    assert "Verkehrsplaner:innen" not in index


def test_a_coach_of_the_group_prepares_only_the_sessions_they_run(server_app, demo):
    coach = UserFactory(role="coach")
    demo.impulse(1).coaches.append(coach)
    db.session.commit()
    client = browser_for(server_app, coach)

    assert client.get(f"/catalogues/groups/{demo.group().id}").status_code == 200
    assert client.get(f"/catalogues/sessions/{demo.impulse(1).id}/prepare").status_code == 200
    assert client.get(f"/catalogues/sessions/{demo.impulse(0).id}/prepare").status_code == 404
    # The kick-off is someone else's session: its page is not theirs, the catalogue is.
    assert client.get(f"/catalogues/sessions/{demo.kickoff().id}/kickoff").status_code == 404


def test_sessions_for_everyone_have_no_preparation_page(server_app, demo):
    info = demo.cohort.sessions[0]
    info.coaches.append(demo.coach)
    db.session.commit()
    client = browser_for(server_app, demo.coach)
    assert client.get(f"/catalogues/sessions/{info.id}/prepare").status_code == 404
    # A preparation page of an impulse training is no kick-off page.
    assert client.get(f"/catalogues/sessions/{demo.impulse(0).id}/kickoff").status_code == 404


def test_participants_see_only_their_own_groups_catalogue(server_app, demo):
    enrolment = enrol(demo)
    client = browser_for(server_app, enrolment.user)
    page = text_of(client.get(f"/me/enrolments/{enrolment.id}/questions"))

    for question in demo.catalogue():
        assert question.text in page
    for question in demo.catalogue("fuehrungsebene") + demo.catalogue("landkreiskoordination"):
        assert question.text not in page
    foreign = demo.catalogue("fuehrungsebene")[0]
    url = f"/me/enrolments/{enrolment.id}/questions/{foreign.id}/mark"
    assert client.submit(url, {"marked": "1"}).status_code == 404


def test_kickoff_questions_belong_to_their_run_only(server_app, demo):
    other_run = Cohort(
        programme=demo.programme,
        slug="fruehjahr",
        name="Frühjahr",
        status=CohortStatus.OPEN.value,
        signup_opens_at=demo.cohort.signup_opens_at,
        signup_closes_at=demo.cohort.signup_closes_at,
    )
    db.session.add(other_run)
    db.session.flush()
    for cohort, text in ((demo.cohort, "Aus unserem Auftakt"), (other_run, "Aus dem Frühjahr")):
        db.session.add(
            Question(
                target_group_id=demo.group().id,
                cohort_id=cohort.id,
                text=text,
                source=QuestionSource.KICKOFF.value,
            )
        )
    db.session.commit()
    enrolment = enrol(demo)
    page = text_of(
        browser_for(server_app, enrolment.user).get(f"/me/enrolments/{enrolment.id}/questions")
    )
    assert "Aus unserem Auftakt" in page
    assert "Aus dem Frühjahr" not in page


def test_participants_never_see_or_touch_another_persons_questions(server_app, demo):
    mine, theirs = enrol(demo), enrol(demo)
    own = ask(mine, "Meine eigene Frage")
    foreign = ask(theirs, "Die Frage der Kollegin")
    client = browser_for(server_app, mine.user)

    page = text_of(client.get(f"/me/enrolments/{mine.id}/questions"))
    assert own.text in page
    assert foreign.text not in page
    assert client.get(f"/me/enrolments/{theirs.id}/questions").status_code == 404
    assert client.get(f"/me/questions/{foreign.id}/edit").status_code == 404
    assert (
        client.submit(f"/me/questions/{foreign.id}/edit", {"text": "Gekapert"}).status_code == 404
    )
    assert client.submit(f"/me/questions/{foreign.id}/delete").status_code == 404
    # A catalogue question is nobody's own question.
    assert client.get(f"/me/questions/{demo.catalogue()[0].id}/edit").status_code == 404
    db.session.refresh(foreign)
    assert foreign.text == "Die Frage der Kollegin"


@pytest.mark.parametrize("status", [EnrolmentStatus.REJECTED, EnrolmentStatus.WITHDRAWN])
def test_people_no_longer_in_the_group_lose_the_catalogue(server_app, demo, status):
    enrolment = enrol(demo, book=(), status=status)
    own = ask(enrolment, "Noch eine Frage")
    client = browser_for(server_app, enrolment.user)
    assert client.get(f"/me/enrolments/{enrolment.id}/questions").status_code == 404
    assert client.get(f"/me/questions/{own.id}/edit").status_code == 404
    assert "/questions" not in client.get(f"/me/enrolments/{enrolment.id}").get_data(as_text=True)


def test_the_published_agenda_is_shown_to_booked_people_only(server_app, demo):
    booked = enrol(demo, book=(0,))
    elsewhere = enrol(demo, book=(1,))
    _agenda(demo.impulse(0), "Gehör verschaffen")
    session_url = f"/me/sessions/{demo.impulse(0).id}"
    pdf_url = f"{session_url}/agenda.pdf"

    booked_client = browser_for(server_app, booked.user)
    assert "Gehör verschaffen" in text_of(booked_client.get(session_url))
    assert booked_client.get(pdf_url).status_code == 200

    other_client = browser_for(server_app, elsewhere.user)
    assert "Gehör verschaffen" not in text_of(other_client.get(session_url))
    assert other_client.get(pdf_url).status_code == 404


def test_an_unpublished_agenda_is_not_shown_to_anyone_booked(server_app, demo):
    booked = enrol(demo, book=(0,))
    _agenda(demo.impulse(0), "Entwurf", published=False)
    client = browser_for(server_app, booked.user)
    assert "Entwurf" not in text_of(client.get(f"/me/sessions/{demo.impulse(0).id}"))
    assert client.get(f"/me/sessions/{demo.impulse(0).id}/agenda.pdf").status_code == 404


def test_another_programmes_organiser_reaches_no_catalogue(server_app, demo):
    other = UserFactory(role="organiser")
    client = browser_for(server_app, other)
    assert client.get(f"/catalogues/groups/{demo.group().id}").status_code == 404
    assert client.get(f"/catalogues/sessions/{demo.impulse(0).id}/prepare").status_code == 404
    assert "Verkehrsplaner:innen" not in text_of(client.get("/catalogues/"))
