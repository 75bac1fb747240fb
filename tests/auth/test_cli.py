"""`flask users ...`: accounts from the shell."""

import pytest

from app.auth import services
from app.auth.models import Role
from tests.auth.helpers import count_users, is_signed_in, login, reload_user, tr
from tests.factories import UserFactory

ADMIN_PASSWORD = "first admin passphrase"


@pytest.fixture
def flask_cli(app):
    return app.test_cli_runner()


def _create(flask_cli, *extra, email="root@fahrplan.example", password=ADMIN_PASSWORD):
    args = ["users", "create", "--email", email, "--name", "Rita Root", *extra]
    if password is not None:
        args += ["--password", password]
    return flask_cli.invoke(args=args)


def test_create_makes_a_confirmed_admin_who_can_sign_in(flask_cli, client):
    result = _create(flask_cli, "--role", "admin", "--organisation", "Fahrplan")

    assert result.exit_code == 0, result.output
    assert "root@fahrplan.example" in result.output
    user = reload_user("root@fahrplan.example")
    assert user.role == Role.ADMIN.value
    assert user.is_confirmed
    assert user.organisation == "Fahrplan"
    assert ADMIN_PASSWORD not in user.password_hash

    assert login(client, "root@fahrplan.example", ADMIN_PASSWORD).status_code == 302
    assert client.get("/admin/users").status_code == 200


def test_create_without_a_role_makes_a_participant(flask_cli):
    result = _create(flask_cli, email="Pat@Kommune.example")

    assert result.exit_code == 0, result.output
    assert reload_user("pat@kommune.example").role == Role.PARTICIPANT.value


def test_create_asks_for_the_password_twice(flask_cli, client):
    result = flask_cli.invoke(
        args=["users", "create", "--email", "root@fahrplan.example", "--name", "Rita Root"],
        input=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    assert login(client, "root@fahrplan.example", ADMIN_PASSWORD).status_code == 302


def test_create_refuses_a_taken_address(flask_cli):
    UserFactory(email="root@fahrplan.example", role=Role.PARTICIPANT.value)

    result = _create(flask_cli, "--role", "admin", email="ROOT@fahrplan.example")

    assert result.exit_code == 1
    assert tr(services.EmailTaken().message) in result.output
    assert count_users() == 1
    assert reload_user("root@fahrplan.example").role == Role.PARTICIPANT.value


def test_create_refuses_an_unknown_role(flask_cli):
    result = _create(flask_cli, "--role", "superuser")

    assert result.exit_code == 2
    assert "superuser" in result.output
    assert count_users() == 0


def test_create_refuses_a_short_password(app, flask_cli):
    result = _create(flask_cli, password="x" * (app.config["PASSWORD_MIN_LENGTH"] - 1))

    assert result.exit_code == 2
    assert str(app.config["PASSWORD_MIN_LENGTH"]) in result.output
    assert count_users() == 0


def test_create_refuses_an_invalid_address(flask_cli):
    result = _create(flask_cli, email="root-at-fahrplan")

    assert result.exit_code == 2
    assert "root-at-fahrplan" in result.output
    assert count_users() == 0


def test_set_role_changes_the_role(flask_cli, client):
    user = UserFactory(email="olga@kommune.example", role=Role.PARTICIPANT.value)

    result = flask_cli.invoke(args=["users", "set-role", "OLGA@kommune.example", "organiser"])

    assert result.exit_code == 0, result.output
    assert "organiser" in result.output
    assert reload_user(user).role == Role.ORGANISER.value


def test_set_role_for_an_unknown_address_fails(flask_cli):
    result = flask_cli.invoke(args=["users", "set-role", "nobody@kommune.example", "admin"])

    assert result.exit_code == 1
    assert "nobody@kommune.example" in result.output
    assert count_users() == 0


def test_set_role_refuses_an_unknown_role(flask_cli):
    user = UserFactory(role=Role.COACH.value)

    result = flask_cli.invoke(args=["users", "set-role", user.email, "superuser"])

    assert result.exit_code == 2
    assert reload_user(user).role == Role.COACH.value


def test_a_cli_promotion_takes_effect_in_a_running_session(flask_cli, client):
    user = UserFactory(role=Role.PARTICIPANT.value)
    login(client, user.email)
    assert client.get("/admin/users").status_code == 403

    flask_cli.invoke(args=["users", "set-role", user.email, "admin"])

    assert is_signed_in(client)
    assert client.get("/admin/users").status_code == 200
