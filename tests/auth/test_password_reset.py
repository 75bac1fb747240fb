"""Forgotten password: the request, the single-use link, its expiry and the new password."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from app.auth import services
from tests.auth.helpers import (
    NEW_PASSWORD,
    field_error,
    flashes,
    follow,
    is_signed_in,
    link_path,
    location_path,
    login,
    password_works,
    reload_user,
    tampered,
    tr,
)
from tests.factories import PASSWORD, UserFactory

SENT = "If an account exists for this address, we have sent a link to reset the password."


def _request_reset(client, email: str):
    return client.submit(
        "/auth/forgot-password", {"email": email}, form_page="/auth/forgot-password"
    )


def _set_password(client, link: str, password=NEW_PASSWORD, confirm=None):
    path = link_path(link)
    return client.submit(
        path, {"password": password, "confirm": confirm or password}, form_page=path
    )


def _reset_link(client, mailbox, user) -> str:
    follow(client, _request_reset(client, user.email))
    return mailbox.last_link(user.email)


def test_known_and_unknown_addresses_get_the_same_answer_and_only_the_known_one_mail(
    client, mailbox
):
    user = UserFactory()

    known = _request_reset(client, user.email)
    known_page = follow(client, known)
    unknown = _request_reset(client, "nobody@kommune.example")
    unknown_page = follow(client, unknown)

    assert known.status_code == unknown.status_code == 302
    assert location_path(known) == location_path(unknown) == "/auth/login"
    assert flashes(known_page) == flashes(unknown_page) == [("info", tr(SENT))]
    assert [m["To"] for m in mailbox.messages] == [user.email]
    [message] = mailbox.messages
    assert message["Subject"] == tr("Reset your Fahrplan password")
    assert link_path(mailbox.last_link(user.email)).startswith("/auth/reset-password/")


def test_a_locked_account_gets_the_same_answer_but_no_mail(client, mailbox):
    user = UserFactory(is_enabled=False)

    response = _request_reset(client, user.email)

    assert flashes(follow(client, response)) == [("info", tr(SENT))]
    assert mailbox.messages == []


def test_an_invalid_address_is_refused_on_the_field(client, mailbox):
    response = _request_reset(client, "nobody-at-kommune")

    assert response.status_code == 422
    assert field_error(response, "email") == tr("Please enter a valid e-mail address.")
    assert mailbox.messages == []


def test_the_link_sets_a_new_password_once(client, mailbox):
    user = UserFactory()
    link = _reset_link(client, mailbox, user)

    form = client.get(link)
    assert form.status_code == 200
    assert user.email in form.get_data(as_text=True)

    response = _set_password(client, link)

    assert response.status_code == 302
    assert location_path(response) == "/auth/login"
    assert flashes(follow(client, response)) == [
        ("success", tr("Your password has been changed. Please sign in with the new password."))
    ]
    assert login(client, user.email, PASSWORD).status_code == 422
    assert login(client, user.email, NEW_PASSWORD).status_code == 302
    follow(client, client.submit("/auth/logout"))

    again = client.get(link)

    assert location_path(again) == "/auth/forgot-password"
    assert flashes(follow(client, again)) == [("error", tr(services.LinkInvalid().message))]
    reuse = client.submit(
        link_path(link),
        {"password": "yet another passphrase", "confirm": "yet another passphrase"},
        form_page="/auth/login",
    )
    assert location_path(reuse) == "/auth/forgot-password"
    assert login(client, user.email, "yet another passphrase").status_code == 422


def test_the_new_password_ends_every_open_session(client, server_app, mailbox):
    user = UserFactory()
    laptop = server_app.test_client()
    login(laptop, user.email)
    assert is_signed_in(laptop)

    _set_password(client, _reset_link(client, mailbox, user))

    assert not is_signed_in(laptop)


def test_an_older_link_stops_working_once_a_newer_one_was_used(client, mailbox):
    user = UserFactory()
    first = _reset_link(client, mailbox, user)
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=5), tick=False):
        second = _reset_link(client, mailbox, user)
        assert first != second
        assert location_path(_set_password(client, second)) == "/auth/login"
        response = client.get(first)

    assert location_path(response) == "/auth/forgot-password"
    assert password_works(user, NEW_PASSWORD)


def test_a_reset_link_confirms_an_unconfirmed_address(client, mailbox):
    user = UserFactory(email_confirmed_at=None)

    _set_password(client, _reset_link(client, mailbox, user))

    assert reload_user(user).is_confirmed
    assert login(client, user.email, NEW_PASSWORD).status_code == 302


def test_an_expired_link_is_refused(app, client, mailbox):
    user = UserFactory()
    link = _reset_link(client, mailbox, user)
    later = datetime.now(UTC) + timedelta(seconds=app.config["PASSWORD_RESET_MAX_AGE"] + 60)

    with time_machine.travel(later, tick=False):
        opened = client.get(link)
        page = follow(client, opened)
        submitted = client.submit(
            link_path(link),
            {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
            form_page="/auth/login",
        )

    assert location_path(opened) == "/auth/forgot-password"
    assert ("error", tr(services.LinkExpired().message)) in flashes(page)
    assert location_path(submitted) == "/auth/forgot-password"
    assert password_works(user, PASSWORD)
    assert not password_works(user, NEW_PASSWORD)


def test_a_link_still_works_shortly_before_it_expires(app, client, mailbox):
    user = UserFactory()
    link = _reset_link(client, mailbox, user)
    later = datetime.now(UTC) + timedelta(seconds=app.config["PASSWORD_RESET_MAX_AGE"] - 60)

    with time_machine.travel(later, tick=False):
        response = _set_password(client, link)

    assert location_path(response) == "/auth/login"
    assert password_works(user, NEW_PASSWORD)


def test_a_tampered_link_is_refused(client, mailbox):
    user = UserFactory()
    victim = UserFactory()
    link = _reset_link(client, mailbox, user)

    response = client.get(tampered(link, uid=victim.id))

    assert location_path(response) == "/auth/forgot-password"
    assert flashes(follow(client, response)) == [("error", tr(services.LinkInvalid().message))]
    assert password_works(victim, PASSWORD)


def test_a_confirmation_link_cannot_reset_a_password(client, mailbox):
    client.submit(
        "/auth/register",
        {
            "name": "Renate Radweg",
            "email": "renate@kommune.example",
            "organisation": "Stadt Ulm",
            "password": "a long enough password",
            "confirm": "a long enough password",
            "accept_privacy": "y",
        },
        form_page="/auth/register",
    )
    token = mailbox.last_link("renate@kommune.example").rsplit("/", 1)[1]

    response = client.get(f"/auth/reset-password/{token}")

    assert location_path(response) == "/auth/forgot-password"


@pytest.mark.parametrize(
    ("password", "confirm", "field", "message"),
    [
        ("", "", "password", "Please choose a password."),
        (NEW_PASSWORD, "something else entirely", "confirm", "The two passwords do not match."),
    ],
)
def test_the_new_password_is_validated(client, mailbox, password, confirm, field, message):
    user = UserFactory()
    link = _reset_link(client, mailbox, user)

    response = _set_password(client, link, password, confirm)

    assert response.status_code == 422
    assert field_error(response, field) == tr(message)
    assert password_works(user, PASSWORD)


def test_a_too_short_new_password_is_refused_and_the_link_stays_usable(app, client, mailbox):
    user = UserFactory()
    link = _reset_link(client, mailbox, user)
    minimum = app.config["PASSWORD_MIN_LENGTH"]

    response = _set_password(client, link, "x" * (minimum - 1))

    assert response.status_code == 422
    assert field_error(response, "password") == tr("Use at least %(n)s characters.", n=minimum)
    assert location_path(_set_password(client, link)) == "/auth/login"


@pytest.mark.parametrize("config_overrides", [{"RESET_RATE_LIMIT": "2 per minute"}])
def test_reset_requests_are_rate_limited(client, mailbox):
    user = UserFactory()

    statuses = [_request_reset(client, user.email).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert len(mailbox.messages) == 2
