"""Issue 3 in a browser: an organiser schedules a session and it appears on the public page."""

from datetime import timedelta

from playwright.sync_api import expect

from app.sessions.timezones import to_local
from tests.e2e.flows import ORGANISER, demo_programme, sign_in


def test_organiser_creates_a_session_that_the_public_page_shows(page, t, axe_check):
    programme = demo_programme()
    cohort = programme.cohorts[0]
    group = programme.target_groups[1]
    closing = max(cohort.sessions, key=lambda s: s.starts_at)
    start = to_local(closing.starts_at - timedelta(days=7), cohort.timezone).replace(hour=10)

    sign_in(page, t, ORGANISER)
    page.goto(f"/manage/cohorts/{cohort.id}/sessions/new?kind=impulse")
    axe_check(page)
    page.get_by_label(t("Title")).fill("Zusatztermin Verkehrsplanung")
    page.get_by_label(t("Audience")).select_option(label=group.name)
    page.get_by_label(t("Start")).fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(t("End")).fill((start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(t("Meeting link (online)")).fill("https://meet.example.org/zusatz-geheim")
    page.get_by_role("button", name=t("Schedule session")).click()
    expect(page.get_by_role("main")).to_contain_text("Zusatztermin Verkehrsplanung")

    page.goto(f"/programmes/{programme.slug}")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Zusatztermin Verkehrsplanung")
    expect(main).to_contain_text(start.strftime("%H:%M"))
    assert "zusatz-geheim" not in page.content()
    axe_check(page)
