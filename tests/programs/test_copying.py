"""Copying a cohort into next year's run: dates shifted on the local calendar, wall clock kept.

Autumn 2026: summer time ends on 25 October. Autumn 2027: it ends on 31 October. A session on
27 October 2026 (winter time, 13:00 UTC for 14:00) moves to 26 October 2027 (still summer time,
12:00 UTC for 14:00).
"""

from datetime import UTC, date, datetime

import pytest

from app.extensions import db
from app.programs.copying import copy_cohort
from app.programs.errors import NotAllowed, ValidationFailed
from app.programs.models import Cohort, CohortStatus
from app.sessions import services as session_services
from app.sessions.models import TrainingSession
from app.sessions.timezones import to_local
from tests.programs.factories import (
    coach,
    cohort,
    count,
    organiser,
    programme,
    training_session,
    wall,
)

NOW = datetime(2026, 9, 1, tzinfo=UTC)


@pytest.fixture
def actor(app):
    return organiser()


@pytest.fixture
def autumn(actor):
    """The 2026 run: info event, kick-off, two impulse trainings, a cancelled one, closing."""
    prog = programme(actor, groups=("Führungsebene", "Verkehrsplaner:innen"))
    leader, planners = prog.target_groups
    trainer = coach(name="Chris Coach")
    run = cohort(prog, actor)
    training_session(
        run,
        actor,
        kind="info",
        title="Online-Infoveranstaltung",
        starts_at=wall("2026-09-22 10:00"),
        ends_at=wall("2026-09-22 11:30"),
        capacity_min=0,
        capacity_max=200,
        topic_block=None,
    )
    training_session(
        run,
        actor,
        kind="kickoff",
        title="Auftakt Führungsebene",
        audience=leader.id,
        starts_at=wall("2026-10-05 09:00"),
        ends_at=wall("2026-10-05 12:00"),
        capacity_min=0,
        capacity_max=30,
        coaches=[trainer.id],
        topic_block=None,
    )
    training_session(
        run,
        actor,
        title="Impuls Baustein 1",
        audience=planners.id,
        starts_at=wall("2026-10-20 14:00"),
        ends_at=wall("2026-10-20 16:00"),
        coaches=[trainer.id],
    )
    training_session(
        run,
        actor,
        title="Impuls Baustein 2",
        audience=planners.id,
        starts_at=wall("2026-10-27 14:00"),
        ends_at=wall("2026-10-27 16:00"),
        topic_block=2,
    )
    dropped = training_session(
        run,
        actor,
        title="Abgesagt",
        starts_at=wall("2026-10-21 14:00"),
        ends_at=wall("2026-10-21 16:00"),
    )
    session_services.cancel_session(dropped, "Krank", actor=actor, now=NOW)
    training_session(
        run,
        actor,
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
    db.session.commit()
    return run


def copy(source, actor, **fields) -> Cohort:
    values = {"name": "Herbst 2027", "slug": "", "first_session_date": date(2027, 9, 21)} | fields
    created = copy_cohort(source, actor=actor, **values)
    db.session.commit()
    return created


def local_times(run) -> list[tuple[str, str, str]]:
    return [
        (
            s.title,
            to_local(s.starts_at, run.timezone).isoformat(" ", "minutes"),
            to_local(s.ends_at, run.timezone).isoformat(" ", "minutes"),
        )
        for s in sorted(run.sessions, key=lambda s: s.starts_at)
    ]


def test_every_date_moves_by_the_same_days_and_keeps_its_local_time(autumn, actor):
    created = copy(autumn, actor)

    db.session.expire_all()
    stored = db.session.get(Cohort, created.id)
    assert local_times(stored) == [
        ("Online-Infoveranstaltung", "2027-09-21 10:00", "2027-09-21 11:30"),
        ("Auftakt Führungsebene", "2027-10-04 09:00", "2027-10-04 12:00"),
        ("Impuls Baustein 1", "2027-10-19 14:00", "2027-10-19 16:00"),
        ("Impuls Baustein 2", "2027-10-26 14:00", "2027-10-26 16:00"),
        ("Abschluss", "2027-11-18 10:00", "2027-11-18 15:00"),
    ]
    assert to_local(stored.signup_opens_at, "Europe/Berlin") == wall("2027-07-31 08:00")
    assert to_local(stored.signup_closes_at, "Europe/Berlin") == wall("2027-09-29 23:59")


def test_the_wall_clock_survives_a_different_daylight_saving_date(autumn, actor):
    created = copy(autumn, actor)
    original = next(s for s in autumn.sessions if s.title == "Impuls Baustein 2")
    moved = next(s for s in created.sessions if s.title == "Impuls Baustein 2")
    assert original.starts_at == datetime(2026, 10, 27, 13, 0, tzinfo=UTC)  # 14:00 winter time
    assert moved.starts_at == datetime(2027, 10, 26, 12, 0, tzinfo=UTC)  # 14:00 summer time


def test_capacities_coaches_audiences_and_formats_are_copied(autumn, actor):
    created = copy(autumn, actor)
    db.session.expire_all()

    def described(run):
        return [
            (
                s.kind,
                s.title,
                s.target_group_id,
                s.format,
                s.meeting_url,
                s.location,
                s.capacity_min,
                s.capacity_max,
                s.topic_block,
                [c.name for c in s.coaches],
                s.status,
            )
            for s in sorted(run.sessions, key=lambda s: s.starts_at)
            if not s.is_cancelled
        ]

    assert described(db.session.get(Cohort, created.id)) == described(autumn)


def test_the_copy_is_a_draft_without_the_cancelled_sessions(autumn, actor):
    autumn.status = CohortStatus.RUNNING.value
    db.session.commit()
    created = copy(autumn, actor)
    assert (created.status, created.slug, created.timezone) == (
        "draft",
        "herbst-2027",
        "Europe/Berlin",
    )
    assert "Abgesagt" not in [s.title for s in created.sessions]
    assert all(not s.is_cancelled for s in created.sessions)
    assert count(TrainingSession) == 6 + 5


def test_the_original_stays_as_it_was(autumn, actor):
    before = local_times(autumn)
    copy(autumn, actor)
    db.session.expire_all()
    assert local_times(db.session.get(Cohort, autumn.id)) == before


def test_an_archived_cohort_can_be_copied(autumn, actor):
    autumn.status = CohortStatus.ARCHIVED.value
    db.session.commit()
    assert copy(autumn, actor).status == CohortStatus.DRAFT


def test_a_copy_needs_a_free_slug_and_a_name(autumn, actor):
    copy(autumn, actor, slug="herbst-2027")
    with pytest.raises(ValidationFailed) as caught:
        copy_cohort(
            autumn,
            name="Nochmal",
            slug="herbst-2027",
            first_session_date=date(2028, 9, 19),
            actor=actor,
        )
    assert caught.value.field == "slug"
    with pytest.raises(ValidationFailed) as caught:
        copy_cohort(autumn, name=" ", slug="", first_session_date=date(2028, 9, 19), actor=actor)
    assert caught.value.field == "name"
    db.session.rollback()
    assert count(Cohort) == 2


def test_a_cohort_without_sessions_has_no_first_session_to_move(actor):
    empty = cohort(programme(actor), actor)
    with pytest.raises(ValidationFailed) as caught:
        copy_cohort(empty, name="Neu", slug="", first_session_date=date(2027, 9, 1), actor=actor)
    assert caught.value.field == "first_session_date"
    db.session.rollback()
    assert count(Cohort) == 1


def test_a_shift_into_the_skipped_hour_is_refused_and_nothing_is_saved(actor):
    spring = cohort(
        programme(actor),
        actor,
        name="Frühjahr",
        signup_opens=wall("2026-01-10 08:00"),
        signup_closes=wall("2026-03-01 18:00"),
    )
    training_session(
        spring, actor, starts_at=wall("2026-03-22 02:30"), ends_at=wall("2026-03-22 04:00")
    )
    with pytest.raises(ValidationFailed) as caught:
        copy_cohort(
            spring, name="Später", slug="", first_session_date=date(2026, 3, 29), actor=actor
        )
    assert caught.value.field == "first_session_date"
    assert "Impuls-Training Baustein 1" in str(caught.value.message)
    db.session.rollback()
    assert (count(Cohort), count(TrainingSession)) == (1, 1)


def test_only_managers_copy(autumn):
    with pytest.raises(NotAllowed):
        copy(autumn, organiser())
