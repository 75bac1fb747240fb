"""The coach composes a session's agenda: pick, reorder, reword, add; publish and unpublish."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.catalogues.models import QUESTION_MAX_LENGTH, AgendaItem, SessionAgenda
from app.catalogues.queries import published_agenda
from app.catalogues.services import published_agenda as published_agenda_from_services
from app.extensions import db
from tests.catalogues.helpers import ask, browser_for, enrol, load, text_of, tr


@pytest.fixture
def demo(app):
    return load()


@pytest.fixture
def coach(server_app, demo):
    return browser_for(server_app, demo.coach)


@pytest.fixture
def session_url(demo):
    return f"/catalogues/sessions/{demo.impulse(0).id}"


def _items(demo) -> list[tuple[str, int | None]]:
    agenda = db.session.scalar(
        select(SessionAgenda)
        .where(SessionAgenda.session_id == demo.impulse(0).id)
        .execution_options(populate_existing=True)
    )
    if agenda is None:
        return []
    items = db.session.scalars(
        select(AgendaItem)
        .where(AgendaItem.agenda_id == agenda.id)
        .order_by(AgendaItem.position, AgendaItem.id)
        .execution_options(populate_existing=True)
    )
    return [(item.text, item.question_id) for item in items]


def _item_ids(demo) -> list[int]:
    return db.session.scalars(
        select(AgendaItem.id)
        .join(SessionAgenda)
        .where(SessionAgenda.session_id == demo.impulse(0).id)
        .order_by(AgendaItem.position, AgendaItem.id)
    ).all()


def test_compose_pick_add_reword_reorder_remove(coach, demo, session_url):
    q1, q2 = demo.catalogue()[:2]
    anna = enrol(demo, book=(0,))
    own = ask(anna, "Wie finde ich Verbündete?")

    assert coach.submit(f"{session_url}/agenda/pick/{q2.id}").status_code == 302
    coach.submit(f"{session_url}/agenda/pick/{own.id}")
    coach.submit(f"{session_url}/agenda/items", {"text": "Austausch und Ausblick"})
    assert _items(demo) == [
        (q2.text, q2.id),
        ("Wie finde ich Verbündete?", own.id),
        ("Austausch und Ausblick", None),
    ]

    _, second, third = _item_ids(demo)
    response = coach.submit(f"/catalogues/agenda-items/{second}/reword", {"text": "Verbündete"})
    assert response.status_code == 302
    coach.submit(f"/catalogues/agenda-items/{third}/move", {"direction": "up"})
    coach.submit(f"/catalogues/agenda-items/{third}/move", {"direction": "up"})
    assert _items(demo) == [
        ("Austausch und Ausblick", None),
        (q2.text, q2.id),
        ("Verbündete", own.id),
    ]
    # The source question keeps its own words.
    db.session.refresh(own)
    assert own.text == "Wie finde ich Verbündete?"

    coach.submit(f"/catalogues/agenda-items/{third}/delete")
    assert _items(demo) == [(q2.text, q2.id), ("Verbündete", own.id)]

    page = text_of(coach.get(f"{session_url}/prepare"))
    agenda_part, ranked_part = page.split('id="ranked"')
    assert agenda_part.index(q2.text) < agenda_part.index("Verbündete")
    assert ranked_part.count(tr("on the agenda")) == 2
    assert f"{session_url}/agenda/pick/{q1.id}" in ranked_part
    assert f"{session_url}/agenda/pick/{q2.id}" not in ranked_part


def test_a_question_goes_on_the_agenda_once(coach, demo, session_url):
    question = demo.catalogue()[0]
    coach.submit(f"{session_url}/agenda/pick/{question.id}")
    response = coach.submit(f"{session_url}/agenda/pick/{question.id}")
    assert tr("This question is already on the agenda.") in text_of(
        coach.get(response.headers["Location"])
    )
    assert len(_items(demo)) == 1


def test_only_questions_of_the_session_can_be_picked(coach, demo, session_url):
    other_group = demo.catalogue("fuehrungsebene")[0]
    not_booked = ask(enrol(demo, book=(1,)), "Gehört in ein anderes Training")
    for question in (other_group, not_booked):
        response = coach.submit(f"{session_url}/agenda/pick/{question.id}")
        assert tr("This question does not belong to this session.") in text_of(
            coach.get(response.headers["Location"])
        )
    assert coach.submit(f"{session_url}/agenda/pick/999999").status_code == 404
    assert _items(demo) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Please enter the agenda item."),
        (
            "z" * (QUESTION_MAX_LENGTH + 1),
            "The agenda item can be at most %(max)s characters long (it has %(n)s).",
        ),
    ],
)
def test_empty_or_overlong_items_are_refused_at_the_field(coach, demo, session_url, text, message):
    expected = tr(message, max=QUESTION_MAX_LENGTH, n=QUESTION_MAX_LENGTH + 1)
    added = coach.submit(f"{session_url}/agenda/items", {"text": text})
    assert added.status_code == 422
    assert f'<p class="error" id="text-error">{expected}</p>' in text_of(added)
    assert _items(demo) == []

    coach.submit(f"{session_url}/agenda/items", {"text": "Erster Punkt"})
    (item_id,) = _item_ids(demo)
    reworded = coach.submit(f"/catalogues/agenda-items/{item_id}/reword", {"text": text})
    assert reworded.status_code == 422
    page = text_of(reworded)
    assert f'<p class="error" id="item-{item_id}-error">{expected}</p>' in page
    assert f'aria-describedby="item-{item_id}-error"' in page
    assert _items(demo) == [("Erster Punkt", None)]


def test_publish_shows_the_agenda_to_booked_people_and_unpublish_hides_it(
    server_app, coach, demo, session_url
):
    booked = enrol(demo, book=(0,))
    participant = browser_for(server_app, booked.user)
    page_url = f"/me/sessions/{demo.impulse(0).id}"

    refused = coach.submit(f"{session_url}/agenda/publish")
    assert tr("Add at least one item before publishing the agenda.") in text_of(
        coach.get(refused.headers["Location"])
    )
    coach.submit(f"{session_url}/agenda/items", {"text": "Gehör verschaffen"})
    coach.submit(f"{session_url}/agenda/items", {"text": "Zielfahrplan"})
    assert published_agenda(demo.impulse(0).id) is None
    assert "Gehör verschaffen" not in text_of(participant.get(page_url))

    assert coach.submit(f"{session_url}/agenda/publish").status_code == 302
    assert published_agenda(demo.impulse(0).id) == ["Gehör verschaffen", "Zielfahrplan"]
    assert published_agenda_from_services is published_agenda
    shown = text_of(participant.get(page_url))
    assert shown.index("Gehör verschaffen") < shown.index("Zielfahrplan")
    assert f"{page_url}/agenda.pdf" in shown
    assert tr("Unpublish agenda") in text_of(coach.get(f"{session_url}/prepare"))

    # Changes to a published agenda show at once.
    first = _item_ids(demo)[0]
    coach.submit(f"/catalogues/agenda-items/{first}/reword", {"text": "Sich Gehör verschaffen"})
    assert published_agenda(demo.impulse(0).id) == ["Sich Gehör verschaffen", "Zielfahrplan"]

    coach.submit(f"{session_url}/agenda/unpublish")
    assert published_agenda(demo.impulse(0).id) is None
    assert "Zielfahrplan" not in text_of(participant.get(page_url))
    assert participant.get(f"{page_url}/agenda.pdf").status_code == 404
    # Unpublished, the agenda is still the coach's draft.
    assert _items(demo) == [("Sich Gehör verschaffen", None), ("Zielfahrplan", None)]


def test_published_agenda_of_a_session_without_agenda_is_none(demo):
    assert published_agenda(demo.impulse(0).id) is None
    assert published_agenda(999999) is None


def test_an_organiser_composes_too(server_app, demo, session_url):
    client = browser_for(server_app, demo.organiser)
    client.submit(f"{session_url}/agenda/items", {"text": "Von der Orga"})
    client.submit(f"{session_url}/agenda/publish")
    assert published_agenda(demo.impulse(0).id) == ["Von der Orga"]


def test_a_cancelled_session_keeps_its_agenda_as_it_is(coach, demo, session_url):
    coach.submit(f"{session_url}/agenda/items", {"text": "Punkt"})
    demo.impulse(0).status = "cancelled"
    db.session.commit()
    (item_id,) = _item_ids(demo)
    coach.submit(f"{session_url}/agenda/items", {"text": "Noch ein Punkt"})
    coach.submit(f"/catalogues/agenda-items/{item_id}/reword", {"text": "Anders"})
    response = coach.submit(f"{session_url}/agenda/publish")
    assert tr("This session has been cancelled.") in text_of(
        coach.get(response.headers["Location"])
    )
    assert _items(demo) == [("Punkt", None)]
    assert published_agenda(demo.impulse(0).id) is None


def test_the_print_view_and_the_pdf(coach, demo, session_url):
    coach.submit(f"{session_url}/agenda/items", {"text": "Gehör verschaffen"})
    page = text_of(coach.get(f"{session_url}/agenda/print"))
    assert "<li>Gehör verschaffen</li>" in page
    assert 'href="/static/css/print.css" media="print"' in page

    response = coach.get(f"{session_url}/agenda.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")


def test_the_database_keeps_a_question_once_per_agenda(demo):
    """Two coaches picking the same question at the same moment: the second insert fails."""
    question = demo.catalogue()[0]
    agenda = SessionAgenda(session_id=demo.impulse(0).id)
    agenda.items.append(AgendaItem(text="Eins", question_id=question.id, position=0))
    db.session.add(agenda)
    db.session.commit()
    db.session.add(AgendaItem(agenda_id=agenda.id, text="Zwei", question_id=question.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # Items of the coach's own (no question) may be many.
    db.session.add_all(
        [AgendaItem(agenda_id=agenda.id, text=text, position=1) for text in ("Drei", "Vier")]
    )
    db.session.commit()
