"""Organiser pages for sessions: schedule, reschedule, cancel, delete; times in local time."""

from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.programs.models import CohortStatus
from app.sessions.models import SessionStatus, TrainingSession
from tests.programs.factories import coach, cohort, count, programme, training_session, wall
from tests.programs.helpers import error_on, flashes, input_value, text

SESSION = {
    "kind": "impulse",
    "title": "Impuls-Training Baustein 1",
    "audience": "",
    "starts_at": "2026-10-20T14:00",
    "ends_at": "2026-10-20T16:00",
    "format": "online",
    "meeting_url": "https://meet.example.org/impuls-1",
    "location": "",
    "capacity_min": "6",
    "capacity_max": "8",
    "topic_block": "1",
    "description": "",
}


@pytest.fixture
def me(login_as):
    return login_as("organiser", locale="en")


@pytest.fixture
def run(me):
    return cohort(programme(me, groups=("Führungsebene", "Verkehrsplaner:innen")), me)


def new_url(run) -> str:
    return f"/manage/cohorts/{run.id}/sessions/new"


@pytest.mark.parametrize(
    ("kind", "minimum", "maximum"), [("impulse", "6", "8"), ("info", "0", "200"), ("x", "0", "30")]
)
def test_the_new_session_form_starts_with_the_capacity_of_its_kind(
    client, me, run, kind, minimum, maximum
):
    page = client.get(f"{new_url(run)}?kind={kind}")
    assert page.status_code == 200
    assert (input_value(page, "capacity_min"), input_value(page, "capacity_max")) == (
        minimum,
        maximum,
    )


def test_the_form_offers_the_programmes_groups_and_the_coaches(client, me, run):
    coach(name="Chris Coach")
    page = text(client.get(new_url(run)))
    for expected in ("All target groups", "Führungsebene", "Verkehrsplaner:innen", "Chris Coach"):
        assert expected in page
    assert "Date and time (in Europe/Berlin)" in page


def test_an_organiser_schedules_a_session_in_local_time(client, me, run):
    trainer = coach(name="Chris Coach")
    group = run.programme.target_groups[1]
    response = client.submit(
        new_url(run),
        SESSION | {"audience": str(group.id), "coaches": [str(trainer.id)]},
        form_page=new_url(run),
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/cohorts/{run.id}")
    db.session.expire_all()
    created = db.session.query(TrainingSession).one()
    assert created.starts_at == datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
    assert created.target_group_id == group.id
    assert [c.id for c in created.coaches] == [trainer.id]
    assert (created.capacity_min, created.capacity_max, created.topic_block) == (6, 8, 1)


def test_a_session_across_the_october_change_is_shown_in_local_time(client, me, run):
    client.submit(
        new_url(run),
        SESSION
        | {
            "kind": "other",
            "title": "Nachtschicht",
            "starts_at": "2026-10-24T22:00",
            "ends_at": "2026-10-25T04:00",
        },
        form_page=new_url(run),
    )
    db.session.expire_all()
    stored = db.session.query(TrainingSession).one()
    assert (stored.starts_at, stored.ends_at) == (
        datetime(2026, 10, 24, 20, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 3, 0, tzinfo=UTC),
    )

    page = text(client.get(f"/manage/cohorts/{run.id}"))
    assert "Sat, Oct 24, 2026, 22:00 – Sun, Oct 25, 2026, 04:00" in page
    assert "Times in Europe/Berlin" in page


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T04:00"},
            "starts_at",
            "2027-03-28 02:30 does not exist in Europe/Berlin",
        ),
        ({"ends_at": "2026-10-20T13:59"}, "ends_at", "The end must be after the start."),
        ({"capacity_min": "9"}, "capacity_min", "cannot be above the maximum (8)"),
        ({"capacity_min": "-2"}, "capacity_min", "cannot be negative"),
        ({"meeting_url": ""}, "meeting_url", "needs a meeting link"),
        ({"meeting_url": "ftp://x.example.org"}, "meeting_url", "https://"),
        ({"format": "in_person", "location": ""}, "location", "needs the address"),
        (
            {"starts_at": "2026-07-01T10:00", "ends_at": "2026-07-01T12:00"},
            "starts_at",
            "before the cohort's sign-up window opens",
        ),
        (
            {"starts_at": "2029-10-20T10:00", "ends_at": "2029-10-20T12:00"},
            "starts_at",
            "more than two years after",
        ),
        ({"audience": "99999"}, "audience", "Not a valid choice"),
        ({"title": ""}, "title", "Please enter a title."),
    ],
)
def test_a_refused_session_names_the_field_and_saves_nothing(client, me, run, change, field, words):
    response = client.submit(new_url(run), SESSION | change, form_page=new_url(run))
    assert response.status_code == 422
    assert words in error_on(response, field)
    assert count(TrainingSession) == 0


def test_a_group_of_another_programme_is_refused_on_the_audience(client, me, run):
    foreign = programme(me, title="Anderes Programm", groups=("Fremde",)).target_groups[0]
    response = client.submit(
        new_url(run), SESSION | {"audience": str(foreign.id)}, form_page=new_url(run)
    )
    assert response.status_code == 422
    assert error_on(response, "audience")
    assert count(TrainingSession) == 0


def test_a_session_is_rescheduled_through_its_edit_form(client, me, run):
    created = training_session(run, me)
    url = f"/manage/sessions/{created.id}/edit"
    page = client.get(url)
    assert input_value(page, "starts_at") == "2026-10-20T14:00"

    response = client.submit(
        url,
        SESSION | {"starts_at": "2026-10-27T14:00", "ends_at": "2026-10-27T16:00"},
        form_page=url,
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(TrainingSession, created.id).starts_at == datetime(
        2026, 10, 27, 13, 0, tzinfo=UTC
    )


def test_a_session_is_cancelled_with_a_reason_and_stays_listed(client, me, run):
    created = training_session(run, me)
    url = f"/manage/sessions/{created.id}/cancel"

    response = client.submit(url, {"reason": ""}, form_page=url)
    assert response.status_code == 422
    assert error_on(response, "reason") == "Please give a reason."

    response = client.submit(url, {"reason": "Die Referentin ist erkrankt."}, form_page=url)
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(TrainingSession, created.id)
    assert (stored.status, stored.cancellation_reason) == (
        SessionStatus.CANCELLED,
        "Die Referentin ist erkrankt.",
    )
    assert stored.cancelled_at is not None
    page = text(client.get(f"/manage/cohorts/{run.id}"))
    assert "cancelled" in page
    assert "Die Referentin ist erkrankt." in page


def test_a_session_without_bookings_is_deleted(client, me, run):
    created = training_session(run, me)
    response = client.submit(
        f"/manage/sessions/{created.id}/delete", form_page=f"/manage/cohorts/{run.id}"
    )
    assert ("success", "“Impuls-Training Baustein 1” has been deleted.") in flashes(
        client, response
    )
    assert count(TrainingSession) == 0


def test_an_archived_cohort_gets_no_sessions_through_the_form(client, me, run):
    run.status = CohortStatus.ARCHIVED.value
    db.session.commit()
    assert "This cohort is archived" in text(client.get(new_url(run)))

    response = client.submit(new_url(run), SESSION, form_page=new_url(run))

    assert response.status_code == 422
    assert "This cohort is archived" in text(response)
    assert count(TrainingSession) == 0


def test_the_cohort_page_lists_sessions_with_kind_audience_format_capacity_coaches(client, me, run):
    trainer = coach(name="Chris Coach")
    training_session(run, me, audience=run.programme.target_groups[0].id, coaches=[trainer.id])
    training_session(
        run,
        me,
        kind="closing",
        title="Abschluss",
        format="in_person",
        location="Haus der Wirtschaft, Stuttgart",
        starts_at=wall("2026-11-19 10:00"),
        ends_at=wall("2026-11-19 15:00"),
        capacity_min=0,
        capacity_max=120,
        topic_block=None,
    )
    page = text(client.get(f"/manage/cohorts/{run.id}"))
    for expected in (
        "Impulse training",
        "Führungsebene",
        "Online",
        "6–8",
        "Chris Coach",
        "Baustein 1",
        "Closing event",
        "All target groups",
        "In person: Haus der Wirtschaft, Stuttgart",
        "0–120",
        "Tue, Oct 20, 2026, 14:00 – 16:00",
        "Thu, Nov 19, 2026, 10:00 – 15:00",
    ):
        assert expected in page
