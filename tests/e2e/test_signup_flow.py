"""Issue 4 in a browser: sign up, approval, booking a training, the dashboard, cancelling."""

from playwright.sync_api import expect
from sqlalchemy import select

from app.bookings.models import Booking
from app.extensions import db
from tests.e2e.flows import ORGANISER, PARTICIPANT, demo_programme, flash, sign_in, sign_out


def test_sign_up_get_approved_book_a_training_and_cancel_it(page, t, axe_check):
    programme = demo_programme()
    group = next(g for g in programme.target_groups if g.slug == "verkehrsplanung")
    criterion = programme.eligibility_criteria[0]

    sign_in(page, t, PARTICIPANT)
    page.goto(f"/programmes/{programme.slug}")
    page.get_by_role("link", name=t("Sign up for this run")).first.click()
    axe_check(page)
    page.get_by_label(group.name).check()
    page.get_by_label(t("Your function")).fill("Verkehrsplanerin")
    page.get_by_label(criterion.text).check()
    page.get_by_label(t("Your questions for the trainings (optional, one per line)")).fill(
        "Wie gewinne ich die Kämmerei für den Radverkehr?"
    )
    page.get_by_label(t("I agree to the processing of my data as described above.")).check()
    page.get_by_role("button", name=t("Send sign-up")).click()
    expect(flash(page)).to_contain_text(
        t("Thank you for signing up. We will let you know by e-mail.")
    )
    sign_out(page, t)

    sign_in(page, t, ORGANISER)
    cohort = programme.cohorts[0]
    page.goto(f"/manage/cohorts/{cohort.id}/enrolments")
    axe_check(page)
    page.get_by_role("link", name="Pat Planerin").click()
    page.get_by_label(t("Decision")).select_option("approved")
    page.get_by_role("button", name=t("Save decision")).click()
    expect(flash(page)).to_be_visible()
    sign_out(page, t)

    sign_in(page, t, PARTICIPANT)
    page.get_by_role("link", name=t("My programmes")).click()
    page.get_by_role("link", name=f"{programme.title} – {cohort.name}").click()
    expect(page.get_by_role("heading", name=t("Choose your impulse trainings"))).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name=t("Book")).first.click()
    expect(flash(page)).to_contain_text(t("Your seat is booked."))

    page.get_by_role("link", name=t("My programmes")).click()
    booking = db.session.scalar(
        select(Booking)
        .join(Booking.training_session)
        .where(Booking.status == "booked", Booking.training_session.has(kind="impulse"))
    )
    training = booking.training_session
    row = page.get_by_role("row").filter(has_text=training.title)
    expect(row).to_contain_text(t("booked"))
    expect(row.get_by_role("link", name=t("Join online"))).to_have_attribute(
        "href", training.meeting_url
    )
    axe_check(page)
    row.get_by_role("button", name=t("Cancel")).click()
    expect(flash(page)).to_contain_text(t("Your booking has been cancelled."))
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == "cancelled"
