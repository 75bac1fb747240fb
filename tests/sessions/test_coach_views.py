"""Coaches see the sessions they run, with meeting links; nobody else's."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from app.demo import data
from app.demo.loader import load_demo
from app.extensions import db
from app.programs.models import Programme
from app.sessions.models import SessionKind
from tests.factories import UserFactory
from tests.sessions.factories import CohortFactory, ProgrammeFactory, TrainingSessionFactory
from tests.sessions.helpers import page_text, sign_in, tr

# The demo cohort loaded for 1 September 2026 runs from 22 September to 19 November 2026.
# (Sign in inside the frozen time: a session cookie signed "later" is refused as from the future.)
DURING_THE_IMPULSE_TRAININGS = datetime(2026, 10, 27, 12, tzinfo=UTC)


@pytest.fixture
def demo(app) -> Programme:
    load_demo(today=date(2026, 9, 1))
    db.session.commit()
    return db.session.query(Programme).one()


@pytest.fixture
def demo_coach(demo):
    return next(c for c in demo.cohorts[0].sessions[1].coaches if c.role == "coach")


def coached_links(html: str) -> list[str]:
    return [
        part.split('"', 1)[0]
        for part in html.split('href="/sessions/')[1:]
        if part.split('"', 1)[0].endswith("/coach")
    ]


def test_the_coach_sees_the_kickoffs_and_impulse_trainings_they_run(client, demo, demo_coach):
    with time_machine.travel(DURING_THE_IMPULSE_TRAININGS, tick=False):
        sign_in(client, demo_coach, data.DEMO_PASSWORD)
        html = page_text(client.get("/sessions/mine"))

    coached = [ts for ts in demo.cohorts[0].sessions if demo_coach in ts.coaches]
    assert {ts.kind for ts in coached} == {SessionKind.KICKOFF, SessionKind.IMPULSE}
    assert len(coached) == 12
    assert sorted(coached_links(html)) == sorted(f"{ts.id}/coach" for ts in coached)
    assert "Online-Infoveranstaltung" not in html
    assert "Abschlussveranstaltung" not in html


def test_upcoming_in_order_then_past_newest_first(client, demo, demo_coach):
    with time_machine.travel(DURING_THE_IMPULSE_TRAININGS, tick=False):
        sign_in(client, demo_coach, data.DEMO_PASSWORD)
        html = page_text(client.get("/sessions/mine"))

    upcoming, past = html.split(f">{tr('Past')}</h2>")
    # On 27 October at 13:00 local, Baustein 2 of the Führungsebene (26 October) is over.
    assert "Impuls-Training Führungsebene – Baustein 2" in past
    assert "Impuls-Training Verkehrsplaner:innen – Baustein 2" in upcoming
    assert past.index("Baustein 2") < past.index("Baustein 1") < past.index("Auftaktworkshop")
    assert upcoming.index("Baustein 2") < upcoming.index("Baustein 3")


def test_the_list_shows_local_times_cohort_group_and_meeting_link(client, demo, demo_coach):
    sign_in(client, demo_coach, data.DEMO_PASSWORD)
    html = page_text(client.get("/sessions/mine"))

    assert '<time datetime="2026-10-26T14:00:00+01:00">' in html
    assert '<time datetime="2026-10-19T14:00:00+02:00">' in html
    assert demo.title in html
    assert demo.cohorts[0].name in html
    assert "Landkreiskoordinator:innen" in html
    assert 'href="https://meet.example.org/mutig-voran-impuls-fuehrungsebene-1"' in html


def test_the_coach_page_of_a_session(client, demo, demo_coach):
    training_session = demo.cohorts[0].sessions[1]
    sign_in(client, demo_coach, data.DEMO_PASSWORD)
    html = page_text(client.get(f"/sessions/{training_session.id}/coach"))

    assert f"<h1>{training_session.title}</h1>" in html
    assert training_session.meeting_url in html
    assert demo_coach.name in html
    assert '<time datetime="2026-10-05T09:00:00+02:00">' in html
    assert tr("%(free)s of %(capacity)s seats free", free=30, capacity=30) in html
    assert f'href="/sessions/{training_session.id}.ics"' in html


def test_another_coach_sees_neither_list_entries_nor_the_page(client, demo):
    other = UserFactory(role="coach")
    own = TrainingSessionFactory(
        cohort=CohortFactory(programme=ProgrammeFactory()),
        title="Eigenes Training",
        coaches=[other],
    )
    sign_in(client, other)

    html = page_text(client.get("/sessions/mine"))
    assert coached_links(html) == [f"{own.id}/coach"]
    assert "Eigenes Training" in html
    assert "meet.example.org/mutig-voran" not in html
    for foreign in demo.cohorts[0].sessions:
        assert client.get(f"/sessions/{foreign.id}/coach").status_code == 404
    assert client.get(f"/sessions/{own.id}/coach").status_code == 200


def test_a_coach_without_sessions_sees_empty_lists(client, login_as):
    login_as("coach")
    html = page_text(client.get("/sessions/mine"))

    assert tr("You have no upcoming sessions.") in html
    assert tr("You have no past sessions.") in html


def test_the_programmes_organiser_may_open_the_coach_page(client, demo):
    sign_in(client, demo.managers[0], data.DEMO_PASSWORD)
    training_session = demo.cohorts[0].sessions[2]

    response = client.get(f"/sessions/{training_session.id}/coach")
    assert response.status_code == 200
    assert training_session.meeting_url in page_text(response)


def test_an_unknown_session_is_not_found(client, login_as):
    login_as("coach")
    assert client.get("/sessions/999999/coach").status_code == 404
