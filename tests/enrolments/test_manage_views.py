"""The organiser's pages: bulk decisions, fill levels and the minimum flag, over-capacity."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.bookings import services as bookings
from app.bookings.models import Booking
from app.demo.data import DEMO_PASSWORD
from app.enrolments.models import Enrolment, EnrolmentEvent, EnrolmentStatus
from app.enrolments.seats import fill_levels
from app.extensions import db
from tests.enrolments.helpers import NOW, demo_cohort, enrol, impulse_sessions


@pytest.fixture
def cohort(app):
    # Pages act at the real current time, so the demo is dated from today.
    return demo_cohort(datetime.now(UTC).date())


@pytest.fixture
def organiser(client, cohort):
    """The demo organiser, who manages the demo programme, signed in (English pages)."""
    user = cohort.programme.managers[0]
    user.locale = "en"
    db.session.commit()
    response = client.submit(
        "/auth/login", {"email": user.email, "password": DEMO_PASSWORD}, form_page="/auth/login"
    )
    assert response.status_code == 302
    return user


def test_bulk_approval_books_each_person_and_skips_decided_ones(client, cohort, organiser):
    waiting = [enrol(cohort, status=EnrolmentStatus.APPLIED) for _ in range(2)]
    rejected = enrol(cohort, status=EnrolmentStatus.REJECTED)
    url = f"/manage/cohorts/{cohort.id}/enrolments"
    data = {
        "enrolment_ids": [str(e.id) for e in [*waiting, rejected]],
        "decision": "waitlisted",
        "reason": "Erst nach der Infoveranstaltung",
    }
    response = client.submit(url, data, form_page=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert [db.session.get(Enrolment, e.id).status for e in waiting] == ["waitlisted"] * 2
    assert db.session.get(Enrolment, rejected.id).status == "rejected"
    page = client.get(url).get_data(as_text=True)
    assert "Not changed (already decided)" in page


def test_the_list_filters_by_status_and_group(client, cohort, organiser):
    planner = enrol(cohort, "verkehrsplanung", status=EnrolmentStatus.APPLIED)
    leader = enrol(cohort, "fuehrungsebene", status=EnrolmentStatus.APPROVED)
    group_id = planner.target_group_id
    page = client.get(f"/manage/cohorts/{cohort.id}/enrolments?group={group_id}").text
    assert planner.user.name in page
    assert leader.user.name not in page
    page = client.get(f"/manage/cohorts/{cohort.id}/enrolments?status=approved").text
    assert leader.user.name in page
    assert planner.user.name not in page


def test_sessions_under_their_minimum_shortly_before_the_start_are_flagged(cohort):
    slot = impulse_sessions(cohort, "verkehrsplanung")[0]
    window = cohort.programme.minimum_alert_hours
    people = [enrol(cohort) for _ in range(slot.capacity_min - 1)]
    for person in people:
        bookings.book(person, slot.id, actor=None, now=NOW, quiet=True)
    db.session.commit()

    def flagged(now):
        return {
            level.training_session.id
            for level in fill_levels(cohort, now=now)
            if level.below_minimum
        }

    assert slot.id not in flagged(slot.starts_at - timedelta(hours=window + 1))
    assert slot.id in flagged(slot.starts_at - timedelta(hours=window - 1))
    bookings.book(enrol(cohort), slot.id, actor=None, now=NOW, quiet=True)
    db.session.commit()
    assert slot.id not in flagged(slot.starts_at - timedelta(hours=1))


def test_the_seats_page_shows_booked_waiting_and_the_flag(client, cohort, organiser):
    slot = impulse_sessions(cohort, "verkehrsplanung")[0]
    bookings.book(enrol(cohort), slot.id, actor=None, now=NOW, quiet=True)
    db.session.commit()
    page = client.get(f"/manage/cohorts/{cohort.id}/seats").get_data(as_text=True)
    assert slot.title in page
    assert "Seats per session" in page


def test_organisers_book_over_capacity_through_the_page_and_the_history_records_it(
    client, cohort, organiser
):
    slot = impulse_sessions(cohort, "verkehrsplanung")[0]
    slot.capacity_min, slot.capacity_max = 0, 1
    db.session.commit()
    bookings.book(enrol(cohort), slot.id, actor=None, now=NOW, quiet=True)
    extra = enrol(cohort)
    db.session.commit()
    url = f"/manage/sessions/{slot.id}/bookings"

    refused = client.submit(
        url, {"enrolment_id": str(extra.id), "over_capacity": "y"}, form_page=url
    )
    assert refused.status_code == 422
    assert "reason for booking over capacity" in refused.get_data(as_text=True)

    response = client.submit(
        url,
        {"enrolment_id": str(extra.id), "over_capacity": "y", "reason": "Bürgermeisterin"},
        form_page=url,
    )
    assert response.status_code == 302
    db.session.expire_all()
    booking = db.session.scalar(select(Booking).where(Booking.enrolment_id == extra.id))
    assert booking.is_booked
    assert booking.over_capacity
    event = db.session.scalar(
        select(EnrolmentEvent).where(EnrolmentEvent.action == "booked_over_capacity")
    )
    assert (event.actor_id, event.reason) == (organiser.id, "Bürgermeisterin")
