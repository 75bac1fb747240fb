"""German by default, English on request; the choice follows the account; mail in the
recipient's language."""

import re

import pytest

from tests.auth.helpers import (
    follow,
    location_path,
    login,
    register,
    registration_data,
    reload_user,
    session_data,
)
from tests.factories import UserFactory

TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)
H1_RE = re.compile(r"<h1>(.*?)</h1>", re.S)


def _html(response) -> str:
    return response.get_data(as_text=True)


def _selected_language(response) -> str:
    match = re.search(r'<option value="(\w+)" lang="\w+" selected>', _html(response))
    assert match, "no language selected in the switcher"
    return match.group(1)


def _switch(client, lang: str, next_path: str = "/auth/login"):
    return client.submit("/language", {"lang": lang, "next": next_path})


def test_german_is_the_default(client):
    page = client.get("/auth/login")

    html = _html(page)
    assert '<html lang="de">' in html
    assert _selected_language(page) == "de"
    assert H1_RE.search(html).group(1) == "Anmelden"
    assert "Passwort vergessen?" in html
    assert "Konto erstellen" in html


def test_the_switcher_offers_german_and_english_in_their_own_language(client):
    html = _html(client.get("/"))

    assert '<option value="de" lang="de" selected>Deutsch</option>' in html
    assert '<option value="en" lang="en">English</option>' in html


def test_switching_to_english(client):
    response = _switch(client, "en")

    assert response.status_code == 302
    assert location_path(response) == "/auth/login"
    assert session_data(client)["lang"] == "en"
    page = follow(client, response)
    html = _html(page)
    assert '<html lang="en">' in html
    assert _selected_language(page) == "en"
    assert H1_RE.search(html).group(1) == "Sign in"
    assert "Forgot your password?" in html

    back = follow(client, _switch(client, "de"))
    assert H1_RE.search(_html(back)).group(1) == "Anmelden"


def test_the_query_string_of_the_page_is_kept(client):
    response = _switch(client, "en", "/auth/login?next=/account/")

    assert location_path(response) == "/auth/login?next=/account/"


@pytest.mark.parametrize("lang", ["fr", "", "EN", "de_DE"])
def test_an_unknown_language_is_ignored(client, lang):
    response = _switch(client, lang)

    assert response.status_code == 302
    assert "lang" not in session_data(client)
    assert '<html lang="de">' in _html(follow(client, response))


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_the_switcher_redirects_only_within_the_site(client, target):
    response = _switch(client, "en", target)

    assert response.headers["Location"] == "/"


def test_switching_needs_the_csrf_token(client):
    response = client.post("/language", data={"lang": "en"})

    assert response.status_code == 400
    assert "lang" not in session_data(client)


def test_a_signed_in_persons_choice_is_stored_on_the_account(client, server_app):
    user = UserFactory(locale="de")
    login(client, user.email)

    _switch(client, "en", "/")

    assert reload_user(user).locale == "en"
    laptop = server_app.test_client()
    login(laptop, user.email)
    assert "lang" not in session_data(laptop)
    assert '<html lang="en">' in _html(laptop.get("/"))


def test_the_accounts_language_wins_over_the_visitors_choice_after_sign_in(client):
    user = UserFactory(locale="en")
    _switch(client, "de", "/")

    login(client, user.email)

    assert '<html lang="en">' in _html(client.get("/"))


def test_registration_keeps_the_visitors_language_for_pages_and_mail(client, mailbox):
    email = registration_data()["email"]
    _switch(client, "en", "/auth/register")

    register(client)

    assert reload_user(email).locale == "en"
    [message] = mailbox.for_recipient(email)
    assert message["Subject"] == "Please confirm your e-mail address"
    assert message["Content-Language"] == "en"
    assert '<html lang="en">' in message.get_body(preferencelist=("html",)).get_content()


def test_a_german_registration_gets_a_german_mail(client, mailbox):
    email = registration_data()["email"]

    register(client)

    [message] = mailbox.for_recipient(email)
    assert message["Subject"] == "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "bestätigen Sie Ihre E-Mail-Adresse" in body


def test_mail_is_written_in_the_recipients_language_not_the_requesters(client, mailbox):
    german = UserFactory(locale="de")
    english = UserFactory(locale="en")
    _switch(client, "en", "/")

    for user in (german, english):
        client.submit(
            "/auth/forgot-password", {"email": user.email}, form_page="/auth/forgot-password"
        )

    [to_german] = mailbox.for_recipient(german.email)
    [to_english] = mailbox.for_recipient(english.email)
    assert to_german["Subject"] == "Ihr Fahrplan-Passwort zurücksetzen"
    assert to_german["Content-Language"] == "de"
    assert to_english["Subject"] == "Reset your Fahrplan password"
    assert to_english["Content-Language"] == "en"
    english_body = to_english.get_body(preferencelist=("plain",)).get_content()
    assert "you can choose a new password" in english_body


def test_error_pages_follow_the_language(client):
    assert "Seite nicht gefunden" in _html(client.get("/no-such-page"))
    _switch(client, "en", "/")
    assert "Page not found" in _html(client.get("/no-such-page"))
