"""Accounts made for someone else: organisers invite coaches, admins create any role."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import url_for

from app.auth import services
from app.auth.models import Role
from app.extensions import db
from tests.auth.helpers import (
    NEW_PASSWORD,
    count_users,
    field_error,
    flashes,
    follow,
    is_signed_in,
    link_path,
    location_path,
    login,
    reload_user,
    tr,
)
from tests.factories import UserFactory

COACH_EMAIL = "chris.coach@beratung.example"


def _invite_coach(client, **overrides):
    data = {"name": "Chris Coach", "email": COACH_EMAIL, "organisation": "Beratungsbüro"}
    data.update(overrides)
    return client.submit("/auth/invite-coach", data, form_page="/auth/invite-coach")


def _accept(client, link, password=NEW_PASSWORD, confirm=None):
    path = link_path(link)
    return client.submit(
        path, {"password": password, "confirm": confirm or password}, form_page=path
    )


def test_an_organiser_invites_a_coach_who_chooses_a_password_and_signs_in(
    app, client, server_app, mailbox, login_as
):
    organiser = login_as("organiser", name="Olga Organisatorin")

    response = _invite_coach(client)

    assert response.status_code == 302
    assert location_path(response) == "/auth/invite-coach"
    assert flashes(follow(client, response)) == [
        ("success", tr("The invitation has been sent to %(email)s.", email=COACH_EMAIL))
    ]
    coach = reload_user(COACH_EMAIL)
    assert coach.role == Role.COACH.value
    assert coach.invited_by_id == organiser.id
    assert coach.organisation == "Beratungsbüro"
    assert coach.password_hash is None
    assert not coach.is_confirmed

    [message] = mailbox.for_recipient(COACH_EMAIL)
    assert message["Subject"] == tr("You are invited to Fahrplan")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Olga Organisatorin" in body
    link = mailbox.last_link(COACH_EMAIL)
    assert link_path(link).startswith("/auth/invitation/")

    browser = server_app.test_client()
    form = browser.get(link)
    assert form.status_code == 200
    assert "Chris Coach" in form.get_data(as_text=True)
    accepted = _accept(browser, link)

    assert location_path(accepted) == "/auth/login"
    assert flashes(follow(browser, accepted)) == [
        ("success", tr("Your account is ready. Please sign in."))
    ]
    assert reload_user(COACH_EMAIL).is_confirmed
    assert login(browser, COACH_EMAIL, NEW_PASSWORD).status_code == 302
    assert is_signed_in(browser)
    with app.test_request_context():
        coach_page = url_for("sessions.coach_sessions")
    assert f'href="{coach_page}"' in browser.get("/").get_data(as_text=True)


def test_an_invitation_link_works_once(client, server_app, mailbox, login_as):
    login_as("organiser")
    _invite_coach(client)
    link = mailbox.last_link(COACH_EMAIL)
    browser = server_app.test_client()
    _accept(browser, link)

    again = browser.get(link)

    assert location_path(again) == "/auth/forgot-password"
    assert ("error", tr(services.LinkInvalid().message)) in flashes(follow(browser, again))


def test_an_invited_coach_cannot_sign_in_before_accepting(client, server_app, mailbox, login_as):
    login_as("organiser")
    _invite_coach(client)
    browser = server_app.test_client()

    response = login(browser, COACH_EMAIL, "")

    assert response.status_code == 422
    assert not is_signed_in(browser)


def test_an_expired_invitation_is_refused(app, client, server_app, mailbox, login_as):
    login_as("organiser")
    _invite_coach(client)
    link = mailbox.last_link(COACH_EMAIL)
    browser = server_app.test_client()
    later = datetime.now(UTC) + timedelta(seconds=app.config["INVITATION_MAX_AGE"] + 60)

    with time_machine.travel(later, tick=False):
        response = browser.get(link)
        page = follow(browser, response)

    assert location_path(response) == "/auth/forgot-password"
    assert ("error", tr(services.LinkExpired().message)) in flashes(page)
    assert reload_user(COACH_EMAIL).password_hash is None


@pytest.mark.parametrize("typed", [COACH_EMAIL, COACH_EMAIL.upper(), f" {COACH_EMAIL} "])
def test_inviting_a_taken_address_is_refused(client, mailbox, login_as, typed):
    login_as("organiser")
    UserFactory(email=COACH_EMAIL, role=Role.PARTICIPANT.value)

    response = _invite_coach(client, email=typed)

    assert response.status_code == 422
    assert field_error(response, "email") == tr(services.EmailTaken().message)
    assert count_users() == 2
    assert mailbox.for_recipient(COACH_EMAIL) == []
    assert reload_user(COACH_EMAIL).role == Role.PARTICIPANT.value


def test_an_invitation_needs_a_name_and_a_valid_address(client, mailbox, login_as):
    login_as("organiser")

    response = _invite_coach(client, name="", email="chris@")

    assert response.status_code == 422
    assert field_error(response, "name") == tr("Please enter your name.")
    assert field_error(response, "email") == tr("Please enter a valid e-mail address.")
    assert count_users() == 1
    assert mailbox.messages == []


def _create_account(client, **overrides):
    data = {
        "name": "Nora Neu",
        "email": "nora@kommune.example",
        "organisation": "",
        "role": "coach",
    }
    data.update(overrides)
    return client.submit("/admin/users/new", data, form_page="/admin/users/new")


@pytest.mark.parametrize("role", list(Role))
def test_an_admin_creates_an_account_with_any_role(client, server_app, mailbox, login_as, role):
    admin = login_as("admin")

    response = _create_account(client, role=role.value)

    assert response.status_code == 302
    assert location_path(response) == "/admin/users"
    assert ("success", tr("Account created; the invitation has been sent.")) in flashes(
        follow(client, response)
    )
    created = reload_user("nora@kommune.example")
    assert created.role == role.value
    assert created.invited_by_id == admin.id
    browser = server_app.test_client()
    _accept(browser, mailbox.last_link("nora@kommune.example"))
    assert login(browser, "nora@kommune.example", NEW_PASSWORD).status_code == 302


def test_an_unknown_role_is_refused(client, mailbox, login_as):
    login_as("admin")

    response = _create_account(client, role="superuser")

    assert response.status_code == 422
    assert field_error(response, "role") is not None
    assert reload_user("nora@kommune.example") is None
    assert mailbox.messages == []


def test_an_admin_creating_a_taken_address_gets_the_message(client, mailbox, login_as):
    login_as("admin")
    UserFactory(email="nora@kommune.example")

    response = _create_account(client, email="NORA@kommune.example")

    assert response.status_code == 422
    assert field_error(response, "email") == tr(services.EmailTaken().message)
    assert count_users() == 2


def test_an_organiser_cannot_create_an_administrator(app):
    organiser = UserFactory(role=Role.ORGANISER.value)

    with pytest.raises(services.RoleChangeRefused), app.test_request_context():
        services.invite(
            email="nora@kommune.example",
            name="Nora Neu",
            organisation="",
            role=Role.ADMIN,
            inviter=organiser,
            config=app.config,
        )
    db.session.rollback()

    assert reload_user("nora@kommune.example") is None


def test_an_organiser_cannot_open_the_account_creation(client, login_as):
    login_as("organiser")

    assert client.get("/admin/users/new").status_code == 403
    refused = client.submit(
        "/admin/users/new", {"name": "Nora Neu", "email": "nora@kommune.example", "role": "admin"}
    )
    assert refused.status_code == 403
    assert reload_user("nora@kommune.example") is None
