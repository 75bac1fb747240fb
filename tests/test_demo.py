"""`flask demo load`: the programme of seed 004 and one account per role, idempotently."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.catalogues.models import Question
from app.extensions import db
from app.programs.models import Programme
from tests.auth.helpers import is_signed_in, login

BERLIN = ZoneInfo("Europe/Berlin")
DEMO_PASSWORD = "fahrplan-demo"


@pytest.fixture
def flask_cli(app):
    return app.test_cli_runner()


def _load(flask_cli):
    result = flask_cli.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result


def _row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_the_demo_programme_follows_seed_004(flask_cli):
    _load(flask_cli)

    programme = db.session.scalars(select(Programme)).one()
    assert programme.title == "Mutig voran beim Klimaschutz im Verkehr"
    assert [group.name for group in programme.target_groups] == [
        "Führungsebene",
        "Verkehrsplaner:innen",
        "Landkreiskoordinator:innen",
    ]
    questions = {
        group.name: db.session.scalars(
            select(Question).where(Question.target_group_id == group.id)
        ).all()
        for group in programme.target_groups
    }
    assert [len(q) for q in questions.values()] == [6, 4, 4]
    assert len(programme.eligibility_criteria) == 3
    assert [role.value for role in Role if role.value in {u.role for u in programme.managers}] == [
        "organiser"
    ]


def test_the_demo_cohort_lies_ahead_in_berlin_time(flask_cli):
    _load(flask_cli)

    programme = db.session.scalars(select(Programme)).one()
    [cohort] = programme.cohorts
    assert cohort.timezone == "Europe/Berlin"
    today_in_berlin = datetime.now(BERLIN).date()
    assert cohort.sessions
    for training in cohort.sessions:
        assert training.starts_at.tzinfo is not None
        assert training.starts_at.astimezone(BERLIN).date() > today_in_berlin
        assert training.ends_at > training.starts_at
    groups_with_kickoff = {s.target_group_id for s in cohort.sessions if s.kind == "kickoff"}
    assert groups_with_kickoff == {group.id for group in programme.target_groups}


@time_machine.travel(datetime(2026, 3, 2, 23, 30, tzinfo=UTC), tick=False)
def test_session_times_are_wall_clock_times_in_berlin_across_dst(flask_cli):
    """Loaded on 3 March (Berlin); the cohort runs into summer time (from 29 March)."""
    _load(flask_cli)

    [cohort] = db.session.scalars(select(Programme)).one().cohorts
    sessions = sorted(cohort.sessions, key=lambda s: s.starts_at)
    info = sessions[0]
    assert info.kind == "info"
    local_start = info.starts_at.astimezone(BERLIN)
    assert (local_start.date().isoformat(), local_start.hour) == ("2026-03-24", 10)
    assert info.starts_at.hour == 9  # 10:00 CET is 09:00 UTC
    summer = [s for s in sessions if s.starts_at.astimezone(BERLIN).utcoffset().seconds == 7200]
    assert summer
    assert all(s.starts_at.astimezone(BERLIN).minute == 0 for s in sessions)
    assert {s.starts_at.astimezone(BERLIN).hour for s in summer} <= {9, 10, 14}


def test_one_account_per_role_signs_in_with_the_demo_password(flask_cli, client):
    result = _load(flask_cli)

    users = db.session.scalars(select(User)).all()
    assert sorted(user.role for user in users) == sorted(role.value for role in Role)
    for user in users:
        assert user.email in result.output
        assert user.is_confirmed
        assert login(client, user.email, DEMO_PASSWORD).status_code == 302, user.role
        assert is_signed_in(client)
        client.submit("/auth/logout")


def test_loading_twice_creates_nothing_new(flask_cli):
    first = _load(flask_cli)
    counts = _row_counts()

    second = _load(flask_cli)

    assert _row_counts() == counts
    assert counts["users"] == 4
    assert "already" in second.output
    assert "already" not in first.output


@pytest.mark.parametrize("config_overrides", [{"ENV_NAME": "production"}])
def test_the_demo_is_refused_in_production(flask_cli):
    result = flask_cli.invoke(args=["demo", "load"])

    assert result.exit_code == 1
    assert "production" in result.output
    assert _row_counts()["users"] == 0
