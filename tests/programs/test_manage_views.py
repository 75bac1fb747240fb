"""Organiser pages for programmes, target groups and managers, through the CSRF-aware client."""

import pytest

from app.extensions import db
from app.programs.models import Programme, TargetGroup
from tests.programs.factories import cohort, count, organiser, programme, training_session
from tests.programs.helpers import error_on, flashes, input_value, text

FORM = {
    "title": "Mutig voran beim Klimaschutz im Verkehr",
    "slug": "",
    "summary": "Praxisnah, niederschwellig und persönlich.",
    "description": "Ein Unterstützungsangebot.",
    "eligibility_criteria": "Klimamobilitätsplan\r\n\r\nKoordination nach KlimaBW § 29\r\n",
    "eligibility_min_criteria": "1",
    "impulse_trainings_per_participant": "3",
    "cert_requires_kickoff": "y",
    "cert_min_impulse_trainings": "2",
    "cert_requires_closing": "y",
    "consent_text": "Ich willige in die Verarbeitung meiner Angaben ein.",
    "cancellation_cutoff_hours": "48",
    "minimum_alert_hours": "96",
    "cert_min_hours": "",
}


@pytest.fixture
def me(login_as):
    return login_as("organiser", locale="en")


def test_the_start_page_lists_only_my_programmes_with_their_cohorts(client, me):
    mine = programme(me, title="Mein Programm")
    cohort(mine, me, name="Herbst 2026")
    programme(organiser(), title="Fremdes Programm")

    page = text(client.get("/manage/"))
    assert "Mein Programm" in page
    assert "Herbst 2026" in page
    assert "Fremdes Programm" not in page


def test_admins_see_every_programme(client, login_as):
    programme(organiser(), title="Fremdes Programm")
    login_as("admin", locale="en")
    assert "Fremdes Programm" in text(client.get("/manage/"))


def test_the_new_programme_form_starts_with_the_defaults(client, me):
    page = client.get("/manage/programmes/new")
    assert input_value(page, "impulse_trainings_per_participant") == "3"
    assert input_value(page, "eligibility_min_criteria") == "1"
    assert input_value(page, "cert_min_impulse_trainings") == "0"


def test_an_organiser_creates_a_programme_and_manages_it(client, me):
    response = client.submit("/manage/programmes/new", FORM, form_page="/manage/programmes/new")

    assert response.status_code == 302
    db.session.expire_all()
    created = db.session.query(Programme).one()
    assert response.headers["Location"].endswith(f"/manage/programmes/{created.id}")
    assert created.slug == "mutig-voran-beim-klimaschutz-im-verkehr"
    assert [c.text for c in created.eligibility_criteria] == [
        "Klimamobilitätsplan",
        "Koordination nach KlimaBW § 29",
    ]
    assert (created.cert_requires_kickoff, created.cert_min_impulse_trainings) == (True, 2)
    assert (created.cert_requires_closing, created.cert_min_hours) == (True, None)
    assert created.consent_text == "Ich willige in die Verarbeitung meiner Angaben ein."
    assert (created.cancellation_cutoff_hours, created.minimum_alert_hours) == (48, 96)
    assert created.auto_approve is False
    assert [m.id for m in created.managers] == [me.id]


def test_a_refused_programme_shows_the_message_on_the_field_and_saves_nothing(client, me):
    response = client.submit(
        "/manage/programmes/new",
        FORM | {"eligibility_min_criteria": "3"},
        form_page="/manage/programmes/new",
    )
    assert response.status_code == 422
    assert "between 1 and the number of criteria (2)" in error_on(
        response, "eligibility_min_criteria"
    )
    assert count(Programme) == 0


def test_a_missing_title_is_refused_on_the_title(client, me):
    response = client.submit(
        "/manage/programmes/new", FORM | {"title": ""}, form_page="/manage/programmes/new"
    )
    assert response.status_code == 422
    assert error_on(response, "title") == "Please enter the title of the programme."
    assert count(Programme) == 0


def test_the_edit_form_shows_the_criteria_one_per_line_and_saves(client, me):
    created = programme(me, eligibility_criteria=["Erstens", "Zweitens"])
    url = f"/manage/programmes/{created.id}/edit"
    assert "Erstens\nZweitens</textarea>" in client.get(url).text

    response = client.submit(
        url,
        FORM | {"title": "Neuer Titel", "slug": created.slug, "cert_min_hours": "12.5"},
        form_page=url,
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Programme, created.id)
    assert (stored.title, stored.cert_min_hours) == ("Neuer Titel", 12.5)
    assert len(stored.eligibility_criteria) == 2


def test_the_programme_page_shows_groups_cohorts_rule_and_managers(client, me):
    created = programme(me, groups=("Führungsebene",), cert_requires_closing=True)
    cohort(created, me, name="Herbst 2026")
    page = text(client.get(f"/manage/programmes/{created.id}"))
    for expected in ("Führungsebene", "Herbst 2026", "Closing event attended", me.email):
        assert expected in page


def test_target_groups_are_added_edited_reordered_and_removed(client, me):
    created = programme(me, groups=("Führungsebene",))
    page = f"/manage/programmes/{created.id}"

    response = client.submit(
        f"{page}/groups/new", {"name": "Verkehrsplaner:innen"}, form_page=f"{page}/groups/new"
    )
    assert response.status_code == 302
    new_group = db.session.query(TargetGroup).filter_by(slug="verkehrsplaner-innen").one()

    edit = f"/manage/groups/{new_group.id}/edit"
    response = client.submit(edit, {"name": "Planer:innen", "description": "Fach"}, form_page=edit)
    assert response.status_code == 302

    response = client.submit(f"/manage/groups/{new_group.id}/move/up", form_page=page)
    assert response.status_code == 302
    db.session.expire_all()
    assert [g.name for g in db.session.get(Programme, created.id).target_groups] == [
        "Planer:innen",
        "Führungsebene",
    ]

    response = client.submit(f"/manage/groups/{new_group.id}/delete", form_page=page)
    assert ("success", "The target group “Planer:innen” has been removed.") in flashes(
        client, response
    )
    assert count(TargetGroup) == 1


def test_a_group_with_sessions_is_not_removed_and_the_page_says_why(client, me):
    created = programme(me, groups=("Führungsebene",))
    group = created.target_groups[0]
    training_session(cohort(created, me), me, audience=group.id)

    response = client.submit(
        f"/manage/groups/{group.id}/delete", form_page=f"/manage/programmes/{created.id}"
    )
    [(kind, message)] = flashes(client, response)
    assert kind == "error"
    assert "“Führungsebene” is the audience of 1 session(s)" in message
    assert count(TargetGroup) == 1


def test_a_duplicate_group_slug_is_refused_on_the_slug(client, me):
    created = programme(me, groups=("Führungsebene",))
    url = f"/manage/programmes/{created.id}/groups/new"
    response = client.submit(url, {"name": "Chefs", "slug": "fuehrungsebene"}, form_page=url)
    assert response.status_code == 422
    assert "uses “fuehrungsebene”" in error_on(response, "slug")
    assert count(TargetGroup) == 1


def test_a_manager_adds_a_colleague_and_unknown_addresses_are_refused(client, me):
    created = programme(me)
    colleague = organiser(email="carla@kommune.example")
    page = f"/manage/programmes/{created.id}"

    response = client.submit(
        f"{page}/managers", {"email": "nobody@kommune.example"}, form_page=page
    )
    assert response.status_code == 422
    assert error_on(response, "email") == "There is no organiser with this e-mail address."

    response = client.submit(f"{page}/managers", {"email": colleague.email}, form_page=page)
    assert response.status_code == 302
    db.session.expire_all()
    assert {m.id for m in db.session.get(Programme, created.id).managers} == {me.id, colleague.id}

    response = client.submit(f"{page}/managers/{me.id}/remove", form_page=page)
    assert response.status_code == 302
    db.session.expire_all()
    assert [m.id for m in db.session.get(Programme, created.id).managers] == [colleague.id]


def test_the_last_manager_stays(client, me):
    created = programme(me)
    page = f"/manage/programmes/{created.id}"
    response = client.submit(f"{page}/managers/{me.id}/remove", form_page=page)
    assert ("error", "A programme needs at least one manager.") in flashes(client, response)


def test_a_post_without_the_csrf_token_is_refused(client, me):
    response = client.post("/manage/programmes/new", data=FORM)
    assert response.status_code == 400
    assert count(Programme) == 0


def test_participants_cannot_reach_the_pages(client, login_as):
    login_as("participant")
    assert client.get("/manage/programmes/new").status_code == 403


def test_a_programme_needs_a_consent_text(client, me):
    url = "/manage/programmes/new"
    response = client.submit(url, FORM | {"consent_text": "  "}, form_page=url)
    assert response.status_code == 422
    assert error_on(response, "consent_text")
    assert db.session.query(Programme).count() == 0
