"""Signing in and out: messages, session rotation, safe redirects, rate limits, locks."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from app.auth import services
from app.auth.models import Role
from app.extensions import db
from tests.auth.helpers import (
    NEW_PASSWORD,
    flashes,
    follow,
    form_alert,
    is_signed_in,
    location_path,
    login,
    reload_user,
    session_data,
    tr,
)
from tests.factories import PASSWORD, UserFactory

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def test_sign_in_and_out(client):
    user = UserFactory(name="Clara Radweg")

    response = login(client, user.email)

    assert response.status_code == 302
    assert location_path(response) == "/"
    page = follow(client, response)
    assert ("success", tr("Welcome, %(name)s.", name="Clara Radweg")) in flashes(page)
    assert is_signed_in(client)
    assert reload_user(user).last_login_at is not None

    signed_out = client.submit("/auth/logout")

    assert signed_out.status_code == 302
    assert location_path(signed_out) == "/"
    assert ("info", tr("You are signed out.")) in flashes(follow(client, signed_out))
    assert not is_signed_in(client)


def test_the_address_is_matched_regardless_of_case_and_spaces(client):
    user = UserFactory(email="clara@kommune.example")

    response = login(client, "  Clara@Kommune.Example ")

    assert response.status_code == 302
    assert is_signed_in(client)
    assert reload_user(user).last_login_at is not None


def test_logout_is_post_only(client, login_as):
    login_as("participant")

    response = client.get("/auth/logout")

    assert response.status_code == 405
    assert '<main id="main"' in response.get_data(as_text=True)
    assert tr("Method not allowed") in response.get_data(as_text=True)
    assert is_signed_in(client)


def test_logout_without_the_csrf_token_is_refused(client, login_as):
    login_as("participant")

    response = client.post("/auth/logout")

    assert response.status_code == 400
    assert is_signed_in(client)


def _without(html: str, *values: str) -> str:
    for value in values:
        html = html.replace(value, "…")
    return html


def test_wrong_password_and_unknown_address_look_identical(client):
    user = UserFactory()
    unknown = "nobody@kommune.example"

    wrong_password = login(client, user.email, "not the password")
    unknown_email = login(client, unknown, PASSWORD)

    assert wrong_password.status_code == unknown_email.status_code == 422
    assert form_alert(wrong_password) == tr(services.LoginFailed().message)
    assert form_alert(unknown_email) == tr(services.LoginFailed().message)
    assert _without(wrong_password.get_data(as_text=True), user.email) == _without(
        unknown_email.get_data(as_text=True), unknown
    )
    assert not is_signed_in(client)
    assert reload_user(user).last_login_at is None


def test_an_empty_login_form_is_refused_on_its_fields(client):
    response = login(client, "", "")

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert tr("Please enter your e-mail address.") in html
    assert tr("Please enter your password.") in html


def test_the_session_is_rotated_at_sign_in_but_keeps_the_language(client):
    user = UserFactory(locale=None)
    client.submit("/language", {"lang": "en", "next": "/auth/login"})
    form = client.get("/auth/login").get_data(as_text=True)
    token_before = CSRF_RE.search(form).group(1)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "stale message from before the login")]
        session["planted"] = "set by someone else before the login"
    before = session_data(client)
    assert before["lang"] == "en"
    assert "csrf_token" in before

    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token_before},
    )

    assert response.status_code == 302
    after = session_data(client)
    assert "planted" not in after
    assert after.get("csrf_token") != before["csrf_token"]
    assert ("info", "stale message from before the login") not in after.get("_flashes", [])
    assert after["lang"] == "en"
    assert after["_user_id"] == reload_user(user).session_token
    assert str(user.id) not in after.values()


def test_the_session_after_sign_out_keeps_only_the_language(client, login_as):
    login_as("participant")
    client.submit("/language", {"lang": "en"})

    client.submit("/auth/logout")

    after = session_data(client)
    assert "_user_id" not in after
    assert after["lang"] == "en"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/account/",
        "https://evil.example",
        "http://localhost.evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\tevil",
        "account/",
    ],
)
def test_next_never_leaves_the_site(client, target):
    user = UserFactory()

    response = client.submit(
        "/auth/login",
        {"email": user.email, "password": PASSWORD},
        form_page="/auth/login",
        query_string={"next": target},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_leads_to_a_page_on_the_site(client):
    user = UserFactory()

    response = client.submit(
        "/auth/login",
        {"email": user.email, "password": PASSWORD},
        form_page="/auth/login",
        query_string={"next": "/account/"},
    )

    assert response.headers["Location"] == "/account/"


def test_a_protected_page_sends_to_login_and_back(client):
    user = UserFactory()

    response = client.get("/account/")

    assert response.status_code == 302
    target = location_path(response)
    assert target.startswith("/auth/login?next=")
    signed_in = client.submit(target, {"email": user.email, "password": PASSWORD}, form_page=target)
    assert signed_in.headers["Location"] == "/account/"


def test_a_signed_in_person_opening_login_goes_on(client, login_as):
    login_as("participant")

    assert client.get("/auth/login").headers["Location"] == "/"
    assert client.get("/auth/login?next=/account/").headers["Location"] == "/account/"
    assert client.get("/auth/login?next=//evil.example").headers["Location"] == "/"


@pytest.mark.parametrize("config_overrides", [{"LOGIN_RATE_LIMIT": "3 per minute"}])
def test_too_many_attempts_are_answered_with_429(client):
    user = UserFactory()
    token = CSRF_RE.search(client.get("/auth/login").get_data(as_text=True)).group(1)

    def attempt(password):
        return client.post(
            "/auth/login", data={"email": user.email, "password": password, "csrf_token": token}
        )

    statuses = [attempt("wrong password").status_code for _ in range(3)]
    blocked = attempt(PASSWORD)

    assert statuses == [422, 422, 422]
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["Retry-After"]) <= 60
    assert tr("Too many attempts") in blocked.get_data(as_text=True)
    assert '<main id="main"' in blocked.get_data(as_text=True)
    assert not is_signed_in(client)
    assert client.get("/auth/login").status_code == 200

    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=61)):
        assert attempt(PASSWORD).status_code == 302


def test_a_locked_account_cannot_sign_in(client):
    user = UserFactory(is_enabled=False)

    response = login(client, user.email)

    assert response.status_code == 422
    assert form_alert(response) == tr(services.AccountLocked().message)
    assert not is_signed_in(client)
    assert reload_user(user).last_login_at is None


def test_a_locked_account_with_a_wrong_password_gets_the_generic_refusal(client):
    user = UserFactory(is_enabled=False)

    response = login(client, user.email, "not the password")

    assert form_alert(response) == tr(services.LoginFailed().message)


def test_an_invited_account_without_password_cannot_sign_in(client):
    user = UserFactory(password_hash=None)

    response = login(client, user.email, "")
    with_guess = login(client, user.email, "fahrplan-timing-equaliser")

    assert response.status_code == with_guess.status_code == 422
    assert form_alert(with_guess) == tr(services.LoginFailed().message)
    assert not is_signed_in(client)


def test_a_password_change_elsewhere_ends_the_session(client, login_as):
    user = login_as("participant")
    assert is_signed_in(client)

    services.change_password(reload_user(user), NEW_PASSWORD)
    db.session.commit()

    response = client.get("/account/")
    assert response.status_code == 302
    assert location_path(response).startswith("/auth/login")


def test_remember_me_keeps_the_person_signed_in_until_sign_out(client):
    user = UserFactory()
    login(client, user.email, remember="y")
    remember = client.get_cookie("remember_token")
    assert remember is not None
    assert remember.http_only
    assert remember.same_site == "Lax"

    client.delete_cookie("session")  # the browser was closed
    assert is_signed_in(client)
    assert is_signed_in(client), "the restored session must outlive its first request"
    assert client.get_cookie("remember_token") is not None

    client.submit("/auth/logout")

    assert client.get_cookie("remember_token") is None
    client.delete_cookie("session")
    assert not is_signed_in(client)


def test_a_remember_cookie_stops_working_after_a_password_change(client):
    user = UserFactory()
    login(client, user.email, remember="y")
    client.delete_cookie("session")

    services.change_password(reload_user(user), NEW_PASSWORD)
    db.session.commit()

    assert not is_signed_in(client)


@pytest.mark.parametrize("config_overrides", [{"PASSWORD_HASH_PROFILE": "RFC_9106_LOW_MEMORY"}])
def test_a_hash_with_old_parameters_is_upgraded_at_sign_in(client):
    user = UserFactory(role=Role.COACH.value)
    old_hash = user.password_hash
    assert "m=8," in old_hash

    login(client, user.email)

    new_hash = reload_user(user).password_hash
    assert new_hash != old_hash
    assert "m=65536,t=3,p=4" in new_hash
    client.submit("/auth/logout")
    assert login(client, user.email).status_code == 302


def test_a_failed_sign_in_does_not_rehash(client):
    user = UserFactory()
    old_hash = user.password_hash

    login(client, user.email, "wrong password")

    assert reload_user(user).password_hash == old_hash
