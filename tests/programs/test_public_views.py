"""Public programme pages: the seed's timeline, local times, drafts hidden, no meeting links."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import event

from app.demo import data
from app.demo.loader import CLOSING_ADDRESS, load_demo
from app.extensions import db
from app.programs.models import CohortStatus, Programme
from app.sessions.models import SessionFormat, SessionKind, SessionStatus
from tests.factories import UserFactory
from tests.sessions.factories import (
    CohortFactory,
    EligibilityCriterionFactory,
    ProgrammeFactory,
    TargetGroupFactory,
    TrainingSessionFactory,
)
from tests.sessions.helpers import page_text, sign_in, tr

DEMO_TODAY = date(2026, 9, 1)
SESSION_ROW_RE = re.compile(r'<tr id="session-(\d+)">\s*<th scope="row">\s*(?:<del>)?([^<\n]+)')


@pytest.fixture
def demo(app) -> Programme:
    load_demo(today=DEMO_TODAY)
    db.session.commit()
    return db.session.query(Programme).one()


def session_titles(html: str) -> list[str]:
    return [title.strip() for _, title in SESSION_ROW_RE.findall(html)]


def test_the_programme_page_shows_the_seed_timeline_in_order(client, demo):
    html = page_text(client.get("/programmes/mutig-voran"))

    groups = [group["name"] for group in data.TARGET_GROUPS]
    assert session_titles(html) == [
        "Online-Infoveranstaltung",
        *(f"Auftaktworkshop {name}" for name in groups),
        *(f"Impuls-Training {name} – Baustein {block}" for name in groups for block in (1, 2, 3)),
        "Abschlussveranstaltung mit Übergabe der Zertifikate",
    ]
    phases = [tr("Info event"), tr("Kick-off workshops"), tr("Impulse trainings")]
    positions = [html.index(f">{title}</h3>") for title in [*phases, tr("Closing event")]]
    assert positions == sorted(positions)
    # Impulse trainings are grouped per target group, each group under its own heading.
    impulse = html[html.index(f">{tr('Impulse trainings')}</h3>") :]
    assert [impulse.index(f"<h4>{name}</h4>") for name in groups] == sorted(
        impulse.index(f"<h4>{name}</h4>") for name in groups
    )


def test_times_are_local_with_the_zone_on_both_sides_of_the_october_change(client, demo):
    html = page_text(client.get("/programmes/mutig-voran"))

    # Baustein 1 on Monday 19 October (summer time), Baustein 2 on Monday 26 October (winter).
    assert '<time datetime="2026-10-19T14:00:00+02:00">' in html
    assert '<time datetime="2026-10-26T14:00:00+01:00">' in html
    template = "%(date)s, %(start)s – %(end)s %(zone)s"
    summer = {"date": "Montag, 19. Oktober 2026", "start": "14:00", "end": "16:00", "zone": "MESZ"}
    winter = {"date": "Montag, 26. Oktober 2026", "start": "14:00", "end": "16:00", "zone": "MEZ"}
    assert tr(template, **summer) in html
    assert tr(template, **winter) in html
    assert '<time datetime="PT2H">' in html
    assert '<time datetime="PT1H30M">' in html  # the info event


def test_english_visitors_see_english_dates_and_cet_cest(client, demo):
    client.submit("/language", {"lang": "en", "next": "/"})
    html = page_text(client.get("/programmes/mutig-voran")).replace("\u202f", " ")

    assert "Monday, October 19, 2026, 2:00 PM – 4:00 PM CEST" in html
    assert "Monday, October 26, 2026, 2:00 PM – 4:00 PM CET" in html


def test_the_page_shows_description_eligibility_groups_and_the_closing_address(client, demo):
    html = page_text(client.get("/programmes/mutig-voran"))

    assert data.PROGRAMME["title"] in html
    assert "<p>Ablauf: Online-Infoveranstaltung" in html  # second paragraph of the description
    assert tr("At least %(num)d of these must apply:", num=1) in html
    for criterion in data.ELIGIBILITY_CRITERIA:
        assert f"<li>{criterion}</li>" in html
    for group in data.TARGET_GROUPS:
        assert f"<dt>{group['name']}</dt>" in html
    closing = html[html.index("Abschlussveranstaltung mit") :]
    assert tr("In person") in closing
    assert CLOSING_ADDRESS in closing


def test_capacity_and_free_seats_per_session(client, demo):
    html = page_text(client.get("/programmes/mutig-voran"))

    assert tr("%(free)s of %(capacity)s seats free", free=8, capacity=8) in html
    assert tr("%(free)s of %(capacity)s seats free", free=200, capacity=200) in html
    assert tr("Takes place with at least %(number)s participants", number=6) in html


@pytest.mark.parametrize("who", ["anonymous", "coach", "organiser", "admin"])
def test_meeting_links_are_never_on_public_pages(client, demo, login_as, who):
    if who in ("coach", "organiser"):
        # The demo coach runs these sessions; the demo organiser manages the programme.
        demo_user = next(
            u for u in demo.cohorts[0].sessions[1].coaches + demo.managers if u.role == who
        )
        sign_in(client, demo_user, data.DEMO_PASSWORD)
    elif who == "admin":
        login_as("admin")
    for url in (
        "/programmes/",
        "/programmes/mutig-voran",
        f"/programmes/mutig-voran/{demo.cohorts[0].slug}",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "meet.example.org" not in page_text(response), url


def test_a_cancelled_session_is_shown_as_cancelled(client, demo):
    cancelled = demo.cohorts[0].sessions[1]
    cancelled.status = SessionStatus.CANCELLED.value
    db.session.commit()

    html = page_text(client.get("/programmes/mutig-voran"))
    row = html[html.index(f'<tr id="session-{cancelled.id}">') :]
    row = row[: row.index("</tr>")]
    assert f"<del>{cancelled.title}</del>" in row
    assert tr("Cancelled") in row
    assert tr("%(free)s of %(capacity)s seats free", free=30, capacity=30) not in row


@pytest.mark.parametrize(
    ("now", "message", "when"),
    [
        (
            datetime(2026, 8, 1, tzinfo=UTC),
            "Sign-up opens on %(when)s",
            ("Dienstag, 1. September 2026", "08:00", "MESZ"),
        ),
        (
            datetime(2026, 9, 10, tzinfo=UTC),
            "Sign-up open until %(when)s",
            ("Donnerstag, 15. Oktober 2026", "23:59", "MESZ"),
        ),
        (datetime(2026, 10, 20, tzinfo=UTC), "Sign-up closed", None),
    ],
)
def test_the_sign_up_window(client, app, now, message, when):
    CohortFactory(programme=ProgrammeFactory(slug="fenster"))
    with time_machine.travel(now, tick=False):
        html = page_text(client.get("/programmes/fenster"))
        index = page_text(client.get("/programmes/"))
    if when:
        day, time, zone = when
        expected = tr(
            message, when=tr("%(date)s, %(time)s %(zone)s", date=day, time=time, zone=zone)
        )
    else:
        expected = tr(message)
    assert expected in html
    assert expected in index


def test_a_running_cohort_is_closed_for_sign_up(client, app):
    CohortFactory(programme=ProgrammeFactory(slug="laeuft"), status=CohortStatus.RUNNING.value)
    with time_machine.travel(datetime(2026, 9, 10, tzinfo=UTC), tick=False):
        assert tr("Sign-up closed") in page_text(client.get("/programmes/laeuft"))


class TestDrafts:
    @pytest.fixture
    def draft(self, app):
        manager = UserFactory(role="organiser")
        programme = ProgrammeFactory(slug="entwurf", title="Geheimer Entwurf", managers=[manager])
        cohort = CohortFactory(programme=programme, slug="2027", status=CohortStatus.DRAFT.value)
        training_session = TrainingSessionFactory(cohort=cohort, title="Geplante Sitzung")
        return manager, programme, cohort, training_session

    def urls(self, draft) -> list[str]:
        _, programme, cohort, training_session = draft
        return [
            f"/programmes/{programme.slug}",
            f"/programmes/{programme.slug}/{cohort.slug}",
            f"/programmes/{programme.slug}/{cohort.slug}/calendar.ics",
            f"/sessions/{training_session.id}.ics",
        ]

    @pytest.mark.parametrize("role", [None, "participant", "coach", "organiser"])
    def test_a_draft_does_not_exist_for_others(self, client, login_as, draft, role):
        if role:
            login_as(role)
        for url in self.urls(draft):
            assert client.get(url).status_code == 404, url
        assert "Geheimer Entwurf" not in page_text(client.get("/programmes/"))

    @pytest.mark.parametrize("who", ["manager", "admin"])
    def test_the_managing_organiser_and_admins_see_the_draft(self, client, login_as, draft, who):
        if who == "manager":
            sign_in(client, draft[0])
        else:
            login_as("admin")
        for url in self.urls(draft):
            assert client.get(url).status_code == 200, url
        html = page_text(client.get("/programmes/entwurf"))
        assert "Geplante Sitzung" in html
        assert tr("This run is a draft: only the programme's organisers can see it.") in html
        assert "meet.example.org" not in html
        # The index stays public: a draft-only programme is not listed even for its organiser.
        assert "Geheimer Entwurf" not in page_text(client.get("/programmes/"))

    def test_a_draft_cohort_of_a_published_programme_stays_hidden(self, client, demo):
        CohortFactory(
            programme=demo,
            slug="naechstes-jahr",
            name="Durchgang 2027",
            status=CohortStatus.DRAFT.value,
        )

        html = page_text(client.get("/programmes/mutig-voran"))
        assert "Durchgang 2027" not in html
        assert client.get("/programmes/mutig-voran/naechstes-jahr").status_code == 404
        sign_in(client, demo.managers[0], data.DEMO_PASSWORD)
        assert "Durchgang 2027" in page_text(client.get("/programmes/mutig-voran"))


def test_the_index_lists_programmes_with_a_published_cohort(client, demo):
    CohortFactory(
        programme=ProgrammeFactory(title="Nur ein Entwurf"), status=CohortStatus.DRAFT.value
    )
    ProgrammeFactory(title="Ganz ohne Durchgang")

    html = page_text(client.get("/programmes/"))
    assert data.PROGRAMME["title"] in html
    assert 'href="/programmes/mutig-voran"' in html
    assert "Nur ein Entwurf" not in html
    assert "Ganz ohne Durchgang" not in html


def test_unknown_programmes_and_cohorts_are_not_found(client, demo):
    assert client.get("/programmes/gibt-es-nicht").status_code == 404
    assert client.get("/programmes/mutig-voran/gibt-es-nicht").status_code == 404
    assert client.get("/programmes/mutig-voran/gibt-es-nicht/calendar.ics").status_code == 404


def test_archived_runs_are_linked_not_expanded(client, demo):
    CohortFactory(
        programme=demo, slug="2025", name="Durchgang 2025", status=CohortStatus.ARCHIVED.value
    )

    html = page_text(client.get("/programmes/mutig-voran"))
    assert tr("Earlier runs") in html
    assert 'href="/programmes/mutig-voran/2025"' in html
    assert client.get("/programmes/mutig-voran/2025").status_code == 200


def test_sessions_for_everyone_and_per_group_in_one_phase(client, app):
    programme = ProgrammeFactory(slug="gemischt")
    group = TargetGroupFactory(programme=programme, name="Führung")
    EligibilityCriterionFactory(programme=programme)
    cohort = CohortFactory(programme=programme)
    start = datetime(2026, 10, 1, 8, tzinfo=UTC)
    TrainingSessionFactory(
        cohort=cohort, kind=SessionKind.OTHER.value, title="Für alle", starts_at=start
    )
    TrainingSessionFactory(
        cohort=cohort,
        kind=SessionKind.OTHER.value,
        title="Nur Führung",
        target_group=group,
        starts_at=start - timedelta(days=1),
        format=SessionFormat.IN_PERSON.value,
        meeting_url="",
        location="Rathaus, Marktplatz 1",
    )

    html = page_text(client.get("/programmes/gemischt"))
    assert html.index(f"<h4>{tr('All target groups')}</h4>") < html.index("<h4>Führung</h4>")
    assert session_titles(html) == ["Für alle", "Nur Führung"]
    assert "Rathaus, Marktplatz 1" in html


def test_a_cohort_page_shows_one_run(client, demo):
    cohort = demo.cohorts[0]
    html = page_text(client.get(f"/programmes/mutig-voran/{cohort.slug}"))

    assert f"<h1>{cohort.name}</h1>" in html
    assert len(session_titles(html)) == 14
    assert f'href="/programmes/mutig-voran/{cohort.slug}/calendar.ics"' in html
    assert f'href="/sessions/{cohort.sessions[0].id}.ics"' in html


def test_description_paragraphs_and_all_criteria_required(client, app):
    programme = ProgrammeFactory(
        slug="absaetze",
        description="Erster Absatz.\r\n\r\nZweiter Absatz.",
        eligibility_min_criteria=2,
    )
    EligibilityCriterionFactory(programme=programme, text="Kriterium A")
    EligibilityCriterionFactory(programme=programme, text="Kriterium B")
    CohortFactory(programme=programme)

    html = page_text(client.get("/programmes/absaetze"))
    assert "<p>Erster Absatz.</p><p>Zweiter Absatz.</p>" in html
    assert tr("All of these must apply:") in html


def test_the_programme_page_needs_the_same_queries_for_more_sessions(client, server_app, demo):
    def queries_for(url: str) -> int:
        statements = []

        def count(*args, **kwargs):
            statements.append(args[2])

        with server_app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    before = queries_for("/programmes/mutig-voran")
    cohort = demo.cohorts[0]
    for offset in range(10):
        TrainingSessionFactory(
            cohort=cohort,
            target_group=demo.target_groups[offset % 3],
            coaches=[UserFactory(role="coach")],
        )
    assert queries_for("/programmes/mutig-voran") == before


def test_a_session_through_the_night_of_the_change_shows_both_zones(client, app):
    cohort = CohortFactory(programme=ProgrammeFactory(slug="nacht"))
    # Saturday 24 October 22:00 CEST until Sunday 25 October 04:00 CET: seven hours.
    TrainingSessionFactory(
        cohort=cohort,
        starts_at=datetime(2026, 10, 24, 20, tzinfo=UTC),
        ends_at=datetime(2026, 10, 25, 3, tzinfo=UTC),
    )

    html = page_text(client.get("/programmes/nacht"))
    start = tr(
        "%(date)s, %(time)s %(zone)s", date="Samstag, 24. Oktober 2026", time="22:00", zone="MESZ"
    )
    end = tr(
        "%(date)s, %(time)s %(zone)s", date="Sonntag, 25. Oktober 2026", time="04:00", zone="MEZ"
    )
    assert tr("%(start)s – %(end)s", start=start, end=end) in html
    assert '<time datetime="PT7H">' in html
