"""Registration, e-mail confirmation and the confirmation link's failure modes."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from app.auth import services
from app.auth.models import User
from app.extensions import db
from tests.auth.helpers import (
    count_users,
    field_error,
    fields_with_errors,
    flashes,
    follow,
    form_alert,
    is_signed_in,
    link_path,
    location_path,
    login,
    register,
    registration_data,
    reload_user,
    tampered,
    tr,
)
from tests.factories import UserFactory

EMAIL = registration_data()["email"]
PASSWORD = registration_data()["password"]


def test_registration_mails_a_link_that_confirms_the_address_and_enables_sign_in(client, mailbox):
    response = register(client)

    assert response.status_code == 302
    assert location_path(response) == "/auth/login"
    assert flashes(follow(client, response)) == [
        ("success", tr("Almost done: we have sent you an e-mail with a confirmation link."))
    ]
    user = reload_user(EMAIL)
    assert user.name == "Renate Radweg"
    assert user.organisation == "Stadt Freiburg"
    assert user.role == "participant"
    assert user.locale == "de"
    assert not user.is_confirmed
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash

    [message] = mailbox.for_recipient(EMAIL)
    assert message["Subject"] == tr("Please confirm your e-mail address")
    link = mailbox.last_link(EMAIL)
    assert link_path(link).startswith("/auth/confirm/")

    confirmed = client.get(link)
    assert location_path(confirmed) == "/auth/login"
    assert flashes(follow(client, confirmed)) == [
        ("success", tr("Thank you, your e-mail address is confirmed. You can sign in now."))
    ]
    assert reload_user(EMAIL).is_confirmed

    signed_in = login(client, EMAIL, PASSWORD)
    assert signed_in.status_code == 302
    assert location_path(signed_in) == "/"
    assert is_signed_in(client)


def test_the_address_is_stored_normalised(client):
    register(client, email="Renate.Radweg@Kommune.EXAMPLE")

    assert reload_user(EMAIL) is not None


def test_a_confirmation_link_can_be_opened_twice(client, mailbox):
    register(client)
    link = mailbox.last_link(EMAIL)
    client.get(link)
    first_confirmed_at = reload_user(EMAIL).email_confirmed_at

    again = client.get(link)

    assert location_path(again) == "/auth/login"
    assert reload_user(EMAIL).email_confirmed_at == first_confirmed_at


def test_unconfirmed_account_cannot_sign_in_and_is_sent_to_the_resend_page(client):
    register(client)

    response = login(client, EMAIL, PASSWORD)

    assert response.status_code == 302
    assert location_path(response) == "/auth/confirm"
    page = follow(client, response)
    assert ("error", tr(services.EmailNotConfirmed().message)) in flashes(page)
    assert 'name="email"' in page.get_data(as_text=True)
    assert not is_signed_in(client)


def test_unconfirmed_account_with_a_wrong_password_gets_the_generic_refusal(client):
    """Only the right password reveals that an address is registered but unconfirmed."""
    register(client)

    response = login(client, EMAIL, "not the password at all")

    assert response.status_code == 422
    assert form_alert(response) == tr(services.LoginFailed().message)


@pytest.mark.parametrize(
    "typed",
    [
        "renate.radweg@kommune.example",
        "Renate.Radweg@KOMMUNE.example",
        "  renate.radweg@kommune.example ",
    ],
)
def test_an_address_that_is_taken_is_refused_on_the_email_field(client, mailbox, typed):
    UserFactory(email=EMAIL)

    response = register(client, email=typed)

    assert response.status_code == 422
    assert field_error(response, "email") == tr(services.EmailTaken().message)
    assert count_users() == 1
    assert mailbox.messages == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Please enter your name."),
        ({"email": None}, "email", "Please enter your e-mail address."),
        ({"email": "renate.radweg"}, "email", "Please enter a valid e-mail address."),
        ({"email": "renate@"}, "email", "Please enter a valid e-mail address."),
        ({"organisation": "  "}, "organisation", "Please enter your municipality or organisation."),
        ({"confirm": "a long enough passw0rd"}, "confirm", "The two passwords do not match."),
        ({"password": "", "confirm": ""}, "password", "Please choose a password."),
        (
            {"accept_privacy": None},
            "accept_privacy",
            "Please agree to the privacy notice to register.",
        ),
    ],
)
def test_invalid_input_is_refused_on_its_field_and_stores_nothing(
    client, mailbox, overrides, field, message
):
    response = register(client, **overrides)

    assert response.status_code == 422
    assert field in fields_with_errors(response)
    assert field_error(response, field) == tr(message)
    assert form_alert(response) == tr("Please correct the marked fields.")
    assert count_users() == 0
    assert mailbox.messages == []


def test_a_password_shorter_than_the_minimum_is_refused(app, client):
    minimum = app.config["PASSWORD_MIN_LENGTH"]
    short = "x" * (minimum - 1)

    response = register(client, password=short, confirm=short)

    assert response.status_code == 422
    assert field_error(response, "password") == tr("Use at least %(n)s characters.", n=minimum)
    assert count_users() == 0


def test_a_password_of_exactly_the_minimum_length_is_accepted(app, client):
    exact = "x" * app.config["PASSWORD_MIN_LENGTH"]

    response = register(client, password=exact, confirm=exact)

    assert response.status_code == 302
    assert count_users() == 1


def test_the_form_keeps_what_was_typed_but_never_the_password(client):
    response = register(client, accept_privacy=None)

    html = response.get_data(as_text=True)
    assert 'value="Renate Radweg"' in html
    assert f'value="{EMAIL}"' in html
    assert PASSWORD not in html


def test_a_signed_in_person_is_sent_away_from_the_registration_page(client, login_as):
    login_as("participant")

    response = client.get("/auth/register")

    assert response.status_code == 302
    assert location_path(response) == "/"


def _register_and_read_link(client, mailbox) -> str:
    follow(client, register(client))
    return mailbox.last_link(EMAIL)


def test_a_tampered_confirmation_link_is_refused(client, mailbox):
    link = _register_and_read_link(client, mailbox)
    other = UserFactory(email_confirmed_at=None)

    response = client.get(tampered(link, uid=other.id, email=other.email))

    assert location_path(response) == "/auth/confirm"
    assert flashes(follow(client, response)) == [("error", tr(services.LinkInvalid().message))]
    assert not reload_user(EMAIL).is_confirmed
    assert not reload_user(other).is_confirmed


def test_a_link_of_another_kind_does_not_confirm(client, mailbox):
    """A reset link carries a valid signature, but for another purpose (salt)."""
    _register_and_read_link(client, mailbox)
    requested = client.submit(
        "/auth/forgot-password", {"email": EMAIL}, form_page="/auth/forgot-password"
    )
    follow(client, requested)
    reset_link = mailbox.last_link(EMAIL)
    token = reset_link.rsplit("/", 1)[1]

    response = client.get(f"/auth/confirm/{token}")

    assert flashes(follow(client, response)) == [("error", tr(services.LinkInvalid().message))]
    assert not reload_user(EMAIL).is_confirmed


def test_a_link_for_an_address_that_was_changed_no_longer_confirms(client, mailbox):
    link = _register_and_read_link(client, mailbox)
    user = reload_user(EMAIL)
    user.email = "renate.neu@kommune.example"
    db.session.commit()

    response = client.get(link)

    assert flashes(follow(client, response)) == [("error", tr(services.LinkInvalid().message))]
    assert not reload_user("renate.neu@kommune.example").is_confirmed


def test_an_expired_confirmation_link_is_refused(app, client, mailbox):
    link = _register_and_read_link(client, mailbox)
    max_age = app.config["EMAIL_CONFIRM_MAX_AGE"]

    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=max_age + 60), tick=False):
        response = client.get(link)
        page = follow(client, response)

    assert location_path(response) == "/auth/confirm"
    assert flashes(page) == [("error", tr(services.LinkExpired().message))]
    assert not reload_user(EMAIL).is_confirmed


def test_a_confirmation_link_still_works_shortly_before_it_expires(app, client, mailbox):
    register(client)
    link = mailbox.last_link(EMAIL)
    max_age = app.config["EMAIL_CONFIRM_MAX_AGE"]

    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=max_age - 60), tick=False):
        response = client.get(link)

    assert location_path(response) == "/auth/login"
    assert reload_user(EMAIL).is_confirmed


def _resend(client, email: str):
    return client.submit("/auth/confirm", {"email": email}, form_page="/auth/confirm")


def test_resending_the_confirmation_answers_the_same_whoever_asks(client, mailbox):
    register(client)
    UserFactory(email="confirmed@kommune.example")
    answers = {}
    for email in (EMAIL, "nobody@kommune.example", "confirmed@kommune.example"):
        response = _resend(client, email)
        answers[email] = (
            response.status_code,
            location_path(response),
            flashes(follow(client, response)),
        )

    assert len(set(map(repr, answers.values()))) == 1
    status, location, messages = answers[EMAIL]
    assert (status, location) == (302, "/auth/login")
    assert messages == [
        ("info", tr("If an unconfirmed account exists for this address, a new link is on its way."))
    ]
    assert len(mailbox.for_recipient(EMAIL)) == 2
    assert mailbox.for_recipient("nobody@kommune.example") == []
    assert mailbox.for_recipient("confirmed@kommune.example") == []


def test_the_resent_link_confirms(client, mailbox):
    register(client)
    _resend(client, EMAIL.upper())

    response = client.get(mailbox.last_link(EMAIL))

    assert location_path(response) == "/auth/login"
    assert reload_user(EMAIL).is_confirmed


def test_resend_with_an_invalid_address_shows_the_field_error(client, mailbox):
    response = _resend(client, "not-an-address")

    assert response.status_code == 422
    assert field_error(response, "email") == tr("Please enter a valid e-mail address.")
    assert mailbox.messages == []


def test_an_address_registered_by_a_parallel_request_is_refused_without_an_error_page(
    client, mailbox
):
    """Two people send the same address at once: the second request's check saw it free, but
    the first one commits before the second writes. The second gets the usual message."""
    done = []

    def register_it_elsewhere_first(session, flush_context, instances):
        if done:
            return
        done.append(True)
        with session.get_bind().connect() as other:
            other.execute(
                insert(User).values(
                    email=EMAIL, name="Schneller", organisation="", role="participant"
                )
            )
            other.commit()

    event.listen(Session, "before_flush", register_it_elsewhere_first)
    try:
        response = register(client)
    finally:
        event.remove(Session, "before_flush", register_it_elsewhere_first)

    assert response.status_code == 422
    assert field_error(response, "email") == tr(
        "An account with this e-mail address already exists."
    )
    assert count_users() == 1
    assert reload_user(EMAIL).name == "Schneller"
    assert mailbox.for_recipient(EMAIL) == []
