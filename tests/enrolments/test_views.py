"""The sign-up and booking pages as people use them (real CSRF, real sessions)."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.bookings.models import Booking
from app.demo.data import DEMO_PASSWORD
from app.demo.loader import load_demo
from app.enrolments.models import Enrolment, EnrolmentStatus
from app.extensions import db
from app.programs.models import Programme
from app.sessions.models import SessionKind
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def cohort(app):
    load_demo(today=datetime.now(UTC).date())
    db.session.commit()
    return db.session.scalar(select(Programme)).cohorts[0]


def _group(cohort, slug):
    return next(g for g in cohort.programme.target_groups if g.slug == slug)


def _form(cohort, **overrides):
    data = {
        "target_group": str(_group(cohort, "verkehrsplanung").id),
        "organisation": "Stadt Freiburg",
        "job_function": "Verkehrsplanerin",
        "criteria": [str(cohort.programme.eligibility_criteria[1].id)],
        "questions": "Wie überzeuge ich die Amtsleitung?",
        "consent": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_sign_up_form_shows_groups_criteria_and_the_consent_text(client, login_as, cohort):
    login_as()
    page = client.get(f"/signup/{cohort.id}").get_data(as_text=True)
    for target_group in cohort.programme.target_groups:
        assert target_group.name in page
    for criterion in cohort.programme.eligibility_criteria:
        assert criterion.text in page
    assert cohort.programme.consent_text in page


def test_signing_up_through_the_form_creates_one_enrolment(client, login_as, cohort, mailbox):
    user = login_as()
    url = f"/signup/{cohort.id}"
    response = client.submit(url, _form(cohort), form_page=url)
    assert response.status_code == 302
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))
    assert enrolment.status == EnrolmentStatus.APPLIED
    assert response.headers["Location"].endswith(f"/me/enrolments/{enrolment.id}")
    assert mailbox.for_recipient(user.email)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"criteria": None}, "criteria must apply"),
        ({"consent": None}, "consent to the processing"),
        ({"organisation": ""}, "municipality or district"),
        ({"target_group": None}, "target group"),
    ],
)
def test_bad_sign_ups_get_a_message_and_nothing_is_saved(
    client, login_as, cohort, override, message
):
    login_as(locale="en")
    url = f"/signup/{cohort.id}"
    response = client.submit(url, _form(cohort, **override), form_page=url)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Enrolment.id))) == 0


def test_a_participant_never_sees_the_meeting_link_without_a_seat(client, login_as, cohort):
    login_as()
    online = next(s for s in cohort.sessions if s.kind == SessionKind.INFO.value)
    page = client.get(f"/me/sessions/{online.id}").get_data(as_text=True)
    assert online.meeting_url not in page


def _sign_in(client, email, password):
    client.post("/auth/logout", data={"csrf_token": client.csrf_token()})
    response = client.submit(
        "/auth/login", {"email": email, "password": password}, form_page="/auth/login"
    )
    assert response.status_code == 302


def test_sign_up_approval_booking_and_cancellation_through_the_pages(client, login_as, cohort):
    participant = login_as(locale="en")
    url = f"/signup/{cohort.id}"
    client.submit(url, _form(cohort), form_page=url)
    enrolment = db.session.scalar(select(Enrolment))

    _sign_in(client, "organisation@fahrplan.example", DEMO_PASSWORD)
    manage = f"/manage/enrolments/{enrolment.id}"
    assert (
        client.submit(
            manage, {"decision": "approved", "reason": "Willkommen"}, form_page=manage
        ).status_code
        == 302
    )

    _sign_in(client, participant.email, PASSWORD)
    page = client.get(f"/me/enrolments/{enrolment.id}").get_data(as_text=True)
    assert "Choose your impulse trainings" in page
    slot = next(
        s
        for s in cohort.sessions
        if s.kind == SessionKind.IMPULSE.value and s.target_group_id == enrolment.target_group_id
    )
    client.submit(f"/me/enrolments/{enrolment.id}/book/{slot.id}", {})
    booking = db.session.scalar(select(Booking).where(Booking.session_id == slot.id))
    assert booking.is_booked

    dashboard = client.get("/me/").get_data(as_text=True)
    assert slot.title in dashboard
    assert slot.meeting_url in dashboard  # booked: the link is shown

    client.submit(f"/me/bookings/{booking.id}/cancel", {})
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == "cancelled"


def test_nobody_sees_another_participants_enrolment(client, login_as, cohort):
    owner = login_as()
    url = f"/signup/{cohort.id}"
    client.submit(url, _form(cohort), form_page=url)
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == owner.id))
    _sign_in(client, UserFactory().email, PASSWORD)
    assert client.get(f"/me/enrolments/{enrolment.id}").status_code == 404


def test_the_dashboard_title_is_plain_text(client, login_as, cohort):
    login_as(locale="en")
    page = client.get("/me/").get_data(as_text=True)
    title = page[page.index("<title>") + 7 : page.index("</title>")]
    assert title.strip() == "My programmes – Fahrplan"
