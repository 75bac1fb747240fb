"""The Foundation's account flow, clicked and typed in Chromium.

Visible text is looked up through the catalogues (`t`), so the assertions hold in German (the
default) whatever the translations say; fields are found by their labels, which also proves each
label is tied to its input.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from app.auth.models import User
from app.extensions import db
from tests.factories import PASSWORD, UserFactory

NAME = "Erika Mustermann"
EMAIL = "erika.mustermann@kommune.example"
NEW_PASSWORD = "Radverkehr für alle 2024"
PRIVACY_CONSENT = "I have read the privacy notice and agree that my data is processed as described."


def nav(page: Page, t):
    return page.get_by_role("navigation", name=t("Main navigation"))


def flash(page: Page):
    return page.get_by_role("main").get_by_role("status")


def sign_in(page: Page, t, email: str, password: str) -> None:
    page.get_by_label(t("E-mail address")).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(password)
    page.get_by_role("button", name=t("Sign in"), exact=True).click()


def test_register_confirm_sign_in_and_sign_out(page, live_server, t, mailbox, axe_check):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(nav(page, t).get_by_role("button", name=t("Sign out"))).to_have_count(0)
    axe_check(page)

    nav(page, t).get_by_role("link", name=t("Register"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Create an account"))
    axe_check(page)

    page.get_by_role("button", name=t("Register"), exact=True).click()
    expect(page.get_by_role("alert")).to_have_text(t("Please correct the marked fields."))
    expect(page.get_by_label(t("Name"), exact=True)).to_have_attribute("aria-invalid", "true")
    axe_check(page)

    page.get_by_label(t("Name"), exact=True).fill(NAME)
    page.get_by_label(t("E-mail address")).fill(EMAIL)
    page.get_by_label(t("Municipality or organisation")).fill("Landkreis Esslingen")
    page.get_by_label(t("Password"), exact=True).fill(NEW_PASSWORD)
    page.get_by_label(t("Repeat password")).fill(NEW_PASSWORD)
    page.get_by_label(t(PRIVACY_CONSENT)).check()
    page.get_by_role("button", name=t("Register"), exact=True).click()
    expect(page).to_have_url(f"{live_server}/auth/login")
    expect(flash(page)).to_have_text(
        t("Almost done: we have sent you an e-mail with a confirmation link.")
    )

    link = mailbox.last_link(EMAIL)
    assert link.startswith(f"{live_server}/auth/confirm/"), link
    page.goto(link)
    expect(page).to_have_url(f"{live_server}/auth/login")
    expect(flash(page)).to_have_text(
        t("Thank you, your e-mail address is confirmed. You can sign in now.")
    )

    sign_in(page, t, EMAIL, NEW_PASSWORD)
    expect(page).to_have_url(f"{live_server}/")
    expect(flash(page)).to_have_text(t("Welcome, %(name)s.", name=NAME))
    expect(page.get_by_role("main")).to_contain_text(
        t("You are signed in as %(name)s (%(email)s).", name=NAME, email=EMAIL)
    )

    nav(page, t).get_by_role("link", name=t("My account")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("My account"))
    expect(page.get_by_label(t("Municipality or organisation"))).to_have_value(
        "Landkreis Esslingen"
    )
    axe_check(page)

    nav(page, t).get_by_role("button", name=t("Sign out")).click()
    expect(page).to_have_url(f"{live_server}/")
    expect(flash(page)).to_have_text(t("You are signed out."))
    expect(nav(page, t).get_by_role("link", name=t("Sign in"), exact=True)).to_be_visible()
    expect(nav(page, t).get_by_role("button", name=t("Sign out"))).to_have_count(0)

    db.session.rollback()  # read what the live server committed, not a cached row
    user = db.session.execute(db.select(User).filter_by(email=EMAIL)).scalar_one()
    assert user.is_confirmed


def test_a_wrong_password_is_refused_with_a_message(page, live_server, t, axe_check):
    user = UserFactory()
    page.goto("/auth/login")
    axe_check(page)

    sign_in(page, t, user.email, "not the password")

    expect(page).to_have_url(f"{live_server}/auth/login")
    expect(page.get_by_role("alert")).to_have_text(t("E-mail address or password is wrong."))
    expect(page.get_by_label(t("E-mail address"))).to_have_value(user.email)
    expect(page.get_by_label(t("Password"), exact=True)).to_have_value("")
    expect(nav(page, t).get_by_role("link", name=t("Sign in"), exact=True)).to_be_visible()
    axe_check(page)

    sign_in(page, t, user.email, PASSWORD)
    expect(nav(page, t).get_by_role("button", name=t("Sign out"))).to_be_visible()


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, t):
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=t("Skip to content"))
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    page.keyboard.press("Tab")
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name=t("Create an account"))).to_be_focused()


def test_signing_in_works_with_the_keyboard_alone(page, live_server, t):
    user = UserFactory()
    page.goto("/auth/login")
    expect(page.get_by_label(t("E-mail address"))).to_be_focused()

    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label(t("Password"), exact=True)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server}/")
    expect(nav(page, t).get_by_role("button", name=t("Sign out"))).to_be_visible()


def test_the_language_selector_switches_to_english_and_keeps_the_page(page, live_server, t):
    page.goto("/auth/login")
    expect(page.locator("html")).to_have_attribute("lang", "de")

    page.get_by_label(t("Language")).select_option("en")
    page.get_by_role("button", name=t("Switch")).click()

    expect(page).to_have_url(f"{live_server}/auth/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_label("E-mail address")).to_be_visible()
    expect(page.get_by_label("Language")).to_have_value("en")

    page.get_by_role("link", name="Fahrplan", exact=True).click()
    expect(page.get_by_role("main").get_by_role("link", name="Create an account")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Welcome – Fahrplan$"))


@pytest.mark.parametrize(
    "path", ["/privacy", "/auth/forgot-password", "/auth/confirm", "/no-such-page"]
)
def test_the_other_public_account_pages_are_accessible(page, axe_check, path):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)
