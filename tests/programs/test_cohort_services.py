"""Cohorts: sign-up window in local time, timezone, status transitions, archived means frozen."""

from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.programs import cohort_services
from app.programs.cohort_services import CohortInput
from app.programs.errors import CohortArchived, NotAllowed, Refused, ValidationFailed
from app.programs.models import Cohort, CohortStatus
from tests.programs.factories import cohort, count, organiser, programme, training_session, wall

pytestmark = pytest.mark.usefixtures("english_messages")


@pytest.fixture
def actor(app):
    return organiser()


@pytest.fixture
def prog(actor):
    return programme(actor)


def cohort_input(**fields) -> CohortInput:
    values = {
        "name": "Herbst 2026",
        "signup_opens": wall("2026-08-01 08:00"),
        "signup_closes": wall("2026-09-30 23:59"),
    } | fields
    return CohortInput(**values)


def refused(prog, actor, **fields) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        cohort_services.create_cohort(prog, cohort_input(**fields), actor=actor)
    db.session.rollback()
    assert count(Cohort) == 0
    return caught.value


def test_a_new_cohort_is_a_draft_with_its_window_stored_in_utc(prog, actor):
    created = cohort(prog, actor)
    db.session.expire_all()
    stored = db.session.get(Cohort, created.id)
    assert (stored.slug, stored.status, stored.timezone) == (
        "herbst-2026",
        CohortStatus.DRAFT,
        "Europe/Berlin",
    )
    assert stored.signup_opens_at == datetime(2026, 8, 1, 6, 0, tzinfo=UTC)
    assert stored.signup_closes_at == datetime(2026, 9, 30, 21, 59, tzinfo=UTC)


def test_the_window_is_read_in_the_cohorts_own_timezone(prog, actor):
    created = cohort(prog, actor, timezone="America/New_York")
    assert created.signup_opens_at == datetime(2026, 8, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("name", ["Berlin", "Europe/Mordor", "", "UTC+2"])
def test_an_unknown_timezone_is_refused(prog, actor, name):
    error = refused(prog, actor, timezone=name)
    assert error.field == "timezone"
    assert "not a known timezone" in str(error.message)


def test_the_window_must_close_after_it_opens(prog, actor):
    error = refused(prog, actor, signup_closes=wall("2026-08-01 08:00"))
    assert error.field == "signup_closes"
    assert "close after it opens" in str(error.message)


def test_a_window_edge_in_the_skipped_hour_is_refused(prog, actor):
    error = refused(prog, actor, signup_opens=wall("2026-03-29 02:15"))
    assert error.field == "signup_opens"
    assert "does not exist" in str(error.message)


def test_cohort_slugs_are_unique_within_the_programme(prog, actor):
    cohort(prog, actor)
    assert cohort(prog, actor).slug == "herbst-2026-2"
    assert cohort(programme(actor, title="Anderes"), actor).slug == "herbst-2026"
    with pytest.raises(ValidationFailed) as caught:
        cohort_services.create_cohort(prog, cohort_input(slug="herbst-2026"), actor=actor)
    assert caught.value.field == "slug"


def test_a_name_is_required(prog, actor):
    assert refused(prog, actor, name="  ").field == "name"


def test_only_managers_create_cohorts(prog):
    with pytest.raises(NotAllowed):
        cohort_services.create_cohort(prog, cohort_input(), actor=organiser())


def test_the_window_cannot_leave_the_last_session_more_than_two_years_behind(prog, actor):
    created = cohort(prog, actor, signup_closes=wall("2027-12-31 12:00"))
    training_session(
        created, actor, starts_at=wall("2029-06-01 10:00"), ends_at=wall("2029-06-01 12:00")
    )
    with pytest.raises(ValidationFailed) as caught:
        cohort_services.update_cohort(created, cohort_input(), actor=actor)
    assert caught.value.field == "signup_closes"
    assert "more than two years" in str(caught.value.message)


def test_editing_changes_name_and_window(prog, actor):
    created = cohort(prog, actor)
    cohort_services.update_cohort(
        created,
        cohort_input(name="Herbst 2026 (neu)", signup_closes=wall("2026-10-15 12:00")),
        actor=actor,
    )
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Cohort, created.id)
    assert (stored.name, stored.slug) == ("Herbst 2026 (neu)", "herbst-2026")
    assert stored.signup_closes_at == datetime(2026, 10, 15, 10, 0, tzinfo=UTC)


def test_the_window_cannot_move_past_the_scheduled_sessions(prog, actor):
    created = cohort(prog, actor)
    training_session(created, actor)  # 20 October 2026
    with pytest.raises(ValidationFailed) as caught:
        cohort_services.update_cohort(
            created,
            cohort_input(
                signup_opens=wall("2026-10-21 08:00"), signup_closes=wall("2026-11-30 18:00")
            ),
            actor=actor,
        )
    assert caught.value.field == "signup_opens"
    assert "before the first session" in str(caught.value.message)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Cohort, created.id).signup_opens_at == datetime(
        2026, 8, 1, 6, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "path",
    [
        ["open"],
        ["open", "draft"],
        ["open", "draft", "open", "running"],
        ["open", "running", "closed", "archived"],
    ],
)
def test_status_moves_forward_and_back_from_open_to_draft(prog, actor, path):
    created = cohort(prog, actor)
    for status in path:
        cohort_services.change_status(created, status, actor=actor)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Cohort, created.id).status == path[-1]


@pytest.mark.parametrize(
    ("path", "refused_status"),
    [
        ([], "running"),
        ([], "archived"),
        (["open"], "closed"),
        (["open", "running"], "open"),
        (["open", "running"], "draft"),
        (["open", "running", "closed"], "running"),
        ([], "cancelled"),
    ],
)
def test_other_status_moves_are_refused(prog, actor, path, refused_status):
    created = cohort(prog, actor)
    for status in path:
        cohort_services.change_status(created, status, actor=actor)
    db.session.commit()
    with pytest.raises(Refused, match="cannot go from"):
        cohort_services.change_status(created, refused_status, actor=actor)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Cohort, created.id).status == (path[-1] if path else "draft")


def test_back_to_draft_is_refused_once_people_signed_up(prog, actor, monkeypatch):
    created = cohort(prog, actor)
    cohort_services.change_status(created, "open", actor=actor)
    monkeypatch.setattr(cohort_services, "cohort_has_enrolments", lambda cohort: True)
    with pytest.raises(Refused, match="already signed up"):
        cohort_services.change_status(created, "draft", actor=actor)


def test_an_archived_cohort_cannot_be_edited_nor_change_status(prog, actor):
    created = cohort(prog, actor)
    created.status = CohortStatus.ARCHIVED.value
    db.session.commit()
    with pytest.raises(CohortArchived) as caught:
        cohort_services.update_cohort(created, cohort_input(name="Doch noch"), actor=actor)
    assert "archived" in str(caught.value.message)
    with pytest.raises(CohortArchived):
        cohort_services.change_status(created, "closed", actor=actor)
    db.session.rollback()
    db.session.expire_all()
    stored = db.session.get(Cohort, created.id)
    assert (stored.name, stored.status) == ("Herbst 2026", "archived")
