"""Organiser pages for cohorts: create, edit, status, copy, archived cohorts."""

from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.programs.models import Cohort, CohortStatus
from app.sessions.models import TrainingSession
from tests.programs.factories import cohort, count, programme, training_session
from tests.programs.helpers import error_on, flashes, text

WINDOW = {
    "name": "Herbst 2026",
    "slug": "",
    "timezone": "Europe/Berlin",
    "signup_opens": "2026-08-01T08:00",
    "signup_closes": "2026-09-30T23:59",
}


@pytest.fixture
def me(login_as):
    return login_as("organiser", locale="en")


@pytest.fixture
def prog(me):
    return programme(me)


def test_a_cohort_is_created_as_a_draft_from_local_times(client, me, prog):
    url = f"/manage/programmes/{prog.id}/cohorts/new"
    assert 'value="Europe/Berlin"' in client.get(url).text

    response = client.submit(url, WINDOW, form_page=url)

    assert response.status_code == 302
    db.session.expire_all()
    created = db.session.query(Cohort).one()
    assert response.headers["Location"].endswith(f"/manage/cohorts/{created.id}")
    assert (created.slug, created.status) == ("herbst-2026", CohortStatus.DRAFT)
    assert created.signup_opens_at == datetime(2026, 8, 1, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"timezone": "Europe/Atlantis"}, "timezone", "not a known timezone"),
        ({"signup_closes": "2026-07-01T08:00"}, "signup_closes", "close after it opens"),
        ({"signup_opens": "2026-03-29T02:30"}, "signup_opens", "does not exist"),
        ({"signup_opens": "soon"}, "signup_opens", "Not a valid datetime value."),
        ({"name": ""}, "name", "Please enter the name of the cohort."),
    ],
)
def test_a_refused_cohort_names_the_field_and_saves_nothing(client, me, prog, change, field, words):
    url = f"/manage/programmes/{prog.id}/cohorts/new"
    response = client.submit(url, WINDOW | change, form_page=url)
    assert response.status_code == 422
    assert words in error_on(response, field)
    assert count(Cohort) == 0


def test_the_edit_form_shows_local_times_and_saves(client, me, prog):
    created = cohort(prog, me)
    url = f"/manage/cohorts/{created.id}/edit"
    page = client.get(url).text
    assert 'value="2026-08-01T08:00"' in page
    assert 'value="2026-09-30T23:59"' in page

    response = client.submit(
        url, WINDOW | {"slug": "herbst", "signup_closes": "2026-10-10T12:00"}, form_page=url
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Cohort, created.id)
    assert stored.slug == "herbst"
    assert stored.signup_closes_at == datetime(2026, 10, 10, 10, 0, tzinfo=UTC)


def test_an_archived_cohort_cannot_be_edited(client, me, prog):
    created = cohort(prog, me)
    created.status = CohortStatus.ARCHIVED.value
    db.session.commit()
    url = f"/manage/cohorts/{created.id}/edit"
    assert "This cohort is archived" in text(client.get(url))

    response = client.submit(url, WINDOW | {"name": "Umbenannt"}, form_page=url)

    assert response.status_code == 422
    assert "This cohort is archived: neither it nor its sessions can be changed" in text(response)
    db.session.expire_all()
    assert db.session.get(Cohort, created.id).name == "Herbst 2026"


def test_the_detail_page_offers_only_the_allowed_next_statuses(client, me, prog):
    created = cohort(prog, me)
    page = client.get(f"/manage/cohorts/{created.id}").text
    assert '<option value="open">' in page
    assert '<option value="running">' not in page


def test_the_status_changes_step_by_step(client, me, prog):
    created = cohort(prog, me)
    url = f"/manage/cohorts/{created.id}"
    for status in ("open", "running", "closed", "archived"):
        response = client.submit(f"{url}/status", {"status": status}, form_page=url)
        assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Cohort, created.id).status == CohortStatus.ARCHIVED
    assert "Edit cohort" not in client.get(url).text


def test_a_status_that_is_not_next_is_refused(client, me, prog):
    created = cohort(prog, me)
    url = f"/manage/cohorts/{created.id}"
    response = client.submit(f"{url}/status", {"status": "closed"}, form_page=url)
    assert ("error", "Please choose one of the offered statuses.") in flashes(client, response)
    db.session.expire_all()
    assert db.session.get(Cohort, created.id).status == CohortStatus.DRAFT


def test_a_cohort_is_copied_through_the_form(client, me, prog):
    created = cohort(prog, me)
    training_session(created, me)
    url = f"/manage/cohorts/{created.id}/copy"

    response = client.submit(
        url, {"name": "Herbst 2027", "first_session_date": "2027-10-19"}, form_page=url
    )

    assert response.status_code == 302
    db.session.expire_all()
    copy = db.session.query(Cohort).filter_by(slug="herbst-2027").one()
    assert copy.status == CohortStatus.DRAFT
    assert [s.starts_at for s in copy.sessions] == [datetime(2027, 10, 19, 12, 0, tzinfo=UTC)]
    assert response.headers["Location"].endswith(f"/manage/cohorts/{copy.id}")


def test_copying_a_cohort_without_sessions_says_why_on_the_date(client, me, prog):
    created = cohort(prog, me)
    url = f"/manage/cohorts/{created.id}/copy"
    response = client.submit(
        url, {"name": "Herbst 2027", "first_session_date": "2027-10-19"}, form_page=url
    )
    assert response.status_code == 422
    assert "no scheduled sessions" in error_on(response, "first_session_date")
    assert (count(Cohort), count(TrainingSession)) == (1, 0)


@pytest.mark.parametrize(("given", "stored"), [("12", 12), ("", None)])
def test_a_cohort_may_limit_its_participants(client, me, prog, given, stored):
    url = f"/manage/programmes/{prog.id}/cohorts/new"
    response = client.submit(url, WINDOW | {"max_participants": given}, form_page=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.query(Cohort).one().max_participants == stored


def test_a_limit_below_one_is_refused(client, me, prog):
    url = f"/manage/programmes/{prog.id}/cohorts/new"
    response = client.submit(url, WINDOW | {"max_participants": "0"}, form_page=url)
    assert response.status_code == 422
    assert error_on(response, "max_participants")
    assert count(Cohort) == 0
