"""Feedback in a browser: after a session the participant rates it on the session page with the
keyboard, and the organiser reads it without the name."""

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.feedback import services
from tests.certificates.helpers import book_and_attend, enrol, participant_sessions
from tests.e2e.flows import ORGANISER, PARTICIPANT, demo_programme, flash, sign_in, sign_out


def test_participant_rates_a_session_and_the_organiser_reads_it(page, t, axe_check):
    cohort = demo_programme().cohorts[0]
    training = participant_sessions(cohort)["impulse"][0]
    yesterday = datetime.now(UTC) - timedelta(days=1)
    training.starts_at, training.ends_at = yesterday, yesterday + timedelta(hours=2)
    person = db.session.scalar(select(User).where(User.email == PARTICIPANT))
    book_and_attend(enrol(cohort, user=person), [training], attendance=None)

    sign_in(page, t, PARTICIPANT)
    page.goto(f"/me/sessions/{training.id}")
    feedback = page.get_by_role("region", name=t("Your feedback"))
    axe_check(page)
    feedback.get_by_label("4", exact=True).check()
    feedback.get_by_label(t("What helped you, what should we change? (optional)")).fill(
        "Die Beispiele aus anderen Kommunen"
    )
    feedback.get_by_role("button", name=t("Send feedback")).press("Enter")
    expect(flash(page)).to_contain_text(t("Thank you for your feedback."))
    given = page.get_by_role("region", name=t("Your feedback"))
    expect(given.get_by_label("4", exact=True)).to_be_checked()
    sign_out(page, t)
    for rating in (5, 3):  # two more people: the summary needs three responses
        other = enrol(cohort)
        book_and_attend(other, [training], attendance=None)
        services.give(
            other.bookings[0], rating=rating, comment="", now=training.ends_at + timedelta(hours=1)
        )
    db.session.commit()

    sign_in(page, t, ORGANISER)
    page.goto(f"/manage/cohorts/{cohort.id}")
    page.get_by_role("link", name=t("Feedback"), exact=True).click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Die Beispiele aus anderen Kommunen")
    expect(main).not_to_contain_text(person.name)
    axe_check(page)
