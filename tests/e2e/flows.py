"""Steps shared by the browser tests of the programme, sign-up and later flows."""

from datetime import UTC, datetime

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.demo.data import DEMO_PASSWORD
from app.demo.loader import load_demo
from app.extensions import db
from app.programs.models import Programme

ORGANISER = "organisation@fahrplan.example"
PARTICIPANT = "teilnahme@fahrplan.example"


def demo_programme() -> Programme:
    """The demo programme, dated from today so every session lies ahead."""
    load_demo(today=datetime.now(UTC).date())
    db.session.commit()
    return db.session.scalar(select(Programme))


def sign_in(page: Page, t, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/auth/login")
    page.get_by_label(t("E-mail address")).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(password)
    page.get_by_role("button", name=t("Sign in"), exact=True).click()
    expect(page.get_by_role("button", name=t("Sign out"), exact=True)).to_be_visible()


def sign_out(page: Page, t) -> None:
    page.get_by_role("button", name=t("Sign out"), exact=True).click()
    expect(page.get_by_role("button", name=t("Sign out"), exact=True)).to_have_count(0)


def flash(page: Page):
    return page.get_by_role("main").get_by_role("status")
