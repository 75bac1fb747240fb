"""The signed-in person's own account: profile, language, password, data export, deletion."""

import json

import pytest
from sqlalchemy import select

from app.auth import services
from app.auth.models import Role, User
from app.extensions import db
from tests.auth.helpers import (
    NEW_PASSWORD,
    field_error,
    flashes,
    follow,
    is_signed_in,
    location_path,
    login,
    reload_user,
    session_data,
    tr,
)
from tests.factories import PASSWORD, UserFactory


def _profile(client, **changes):
    user_data = {"name": "Clara Radweg", "organisation": "Stadt Freiburg", "locale": "de"}
    user_data.update(changes)
    return client.submit("/account/", user_data, form_page="/account/")


def _change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    data = {"current_password": current, "password": new, "confirm": confirm or new}
    return client.submit("/account/password", data, form_page="/account/")


def _delete(client, password):
    return client.submit("/account/delete", {"current_password": password}, form_page="/account/")


def test_the_account_page_shows_the_current_details(client, login_as):
    user = login_as("participant", name="Clara Radweg", organisation="Stadt Ulm")

    response = client.get("/account/")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Clara Radweg"' in html
    assert 'value="Stadt Ulm"' in html
    assert user.email in html


def test_the_profile_can_be_updated(client, login_as):
    user = login_as("participant")

    response = _profile(client, name="  Clara Radweg ", organisation="Landkreis Esslingen")

    assert response.status_code == 302
    assert location_path(response) == "/account/"
    assert ("success", tr("Your details have been saved.")) in flashes(follow(client, response))
    stored = reload_user(user)
    assert (stored.name, stored.organisation) == ("Clara Radweg", "Landkreis Esslingen")


def test_choosing_english_on_the_profile_switches_the_pages(client, login_as):
    user = login_as("participant", locale="de")

    response = _profile(client, locale="en")

    assert reload_user(user).locale == "en"
    assert session_data(client)["lang"] == "en"
    page = follow(client, response)
    assert '<html lang="en">' in page.get_data(as_text=True)
    assert ("success", tr("Your details have been saved.", "en")) in flashes(page)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": " "}, "name", "Please enter your name."),
        ({"name": "x" * 121}, "name", "Field cannot be longer than %(max)d characters."),
        ({"locale": "fr"}, "locale", "Not a valid choice."),
    ],
)
def test_invalid_profile_input_is_refused(client, login_as, changes, field, message):
    user = login_as("participant", name="Clara Radweg")

    response = _profile(client, **changes)

    assert response.status_code == 422
    assert field_error(response, field) is not None
    assert reload_user(user).name == "Clara Radweg"
    assert reload_user(user).locale == "de"


def test_changing_the_password_needs_the_current_one(client, login_as):
    user = login_as("participant")
    old_hash = user.password_hash

    response = _change_password(client, current="not my password")

    assert response.status_code == 422
    assert field_error(response, "current_password") == tr(services.WrongPassword().message)
    assert reload_user(user).password_hash == old_hash
    assert is_signed_in(client)


@pytest.mark.parametrize(
    ("new", "confirm", "field"),
    [("short", "short", "password"), (NEW_PASSWORD, NEW_PASSWORD + "!", "confirm")],
)
def test_a_new_password_is_validated(client, login_as, new, confirm, field):
    user = login_as("participant")
    old_hash = user.password_hash

    response = _change_password(client, new=new, confirm=confirm)

    assert response.status_code == 422
    assert field_error(response, field) is not None
    assert reload_user(user).password_hash == old_hash


def test_changing_the_password_signs_out_other_devices_but_not_this_one(
    client, server_app, login_as
):
    user = login_as("participant")
    laptop = server_app.test_client()
    assert login(laptop, user.email).status_code == 302
    assert is_signed_in(laptop)

    response = _change_password(client)

    assert response.status_code == 302
    assert location_path(response) == "/account/"
    page = follow(client, response)
    assert (
        "success",
        tr("Your password has been changed. Other devices have been signed out."),
    ) in flashes(page)
    assert is_signed_in(client)
    assert not is_signed_in(laptop)
    client.submit("/auth/logout")
    assert login(client, user.email, PASSWORD).status_code == 422
    assert login(client, user.email, NEW_PASSWORD).status_code == 302


def test_the_remember_me_cookie_of_this_device_survives_its_own_password_change(client):
    user = UserFactory()
    login(client, user.email, remember="y")

    _change_password(client)
    client.delete_cookie("session")  # the browser was closed

    assert is_signed_in(client)
    assert reload_user(user).session_token in session_data(client)["_user_id"]


def test_the_data_export_contains_the_account(client, login_as):
    user = login_as("coach", name="Clara Radweg", organisation="Stadt Ulm", locale="en")

    response = client.get("/account/export")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))
    account = data["account"]
    assert account["email"] == user.email
    assert account["name"] == "Clara Radweg"
    assert account["organisation"] == "Stadt Ulm"
    assert account["role"] == "coach"
    assert account["language"] == "en"
    assert account["registered_at"] == reload_user(user).created_at.isoformat()
    assert account["last_login_at"] is not None
    assert "exported_at" in data
    body = response.get_data(as_text=True)
    assert user.password_hash not in body
    assert reload_user(user).session_token not in body


def test_a_wrong_password_does_not_delete_the_account(client, login_as):
    user = login_as("participant")

    response = _delete(client, "not my password")

    assert response.status_code == 422
    assert field_error(response, "delete-current_password") == tr(services.WrongPassword().message)
    assert reload_user(user) is not None
    assert is_signed_in(client)


def test_deleting_the_account_removes_it_and_signs_out(client):
    user = UserFactory()
    login(client, user.email, remember="y")
    user_id, email = user.id, user.email

    response = _delete(client, PASSWORD)

    assert response.status_code == 302
    assert location_path(response) == "/"
    page = follow(client, response)
    assert ("success", tr("Your account and your data have been deleted.")) in flashes(page)
    db.session.expire_all()
    assert db.session.get(User, user_id) is None
    assert client.get_cookie("remember_token") is None
    assert not is_signed_in(client)
    assert login(client, email).status_code == 422


def test_deleting_an_inviting_account_keeps_the_invited_ones(client, login_as):
    organiser = login_as("organiser")
    organiser_id = organiser.id
    coach = UserFactory(role=Role.COACH.value, invited_by_id=organiser_id)

    _delete(client, PASSWORD)

    coach = reload_user(coach)
    assert coach is not None
    assert coach.invited_by_id is None
    assert db.session.scalar(select(User).where(User.id == organiser_id)) is None
