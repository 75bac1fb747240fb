"""The person's own calendar feed: secret address, seats with meeting links, renewable."""

import pytest
from icalendar import Calendar

from app.bookings import services as bookings
from app.extensions import db
from tests.enrolments.helpers import NOW, demo_cohort, enrol, impulse_sessions


@pytest.fixture
def setup(app):
    cohort = demo_cohort()
    first, second = impulse_sessions(cohort, "verkehrsplanung")[:2]
    second.capacity_min, second.capacity_max = 0, 1
    db.session.commit()
    person, other = enrol(cohort), enrol(cohort)
    bookings.book(person, first.id, actor=person.user, now=NOW)
    bookings.book(other, second.id, actor=other.user, now=NOW)
    bookings.book(person, second.id, actor=person.user, now=NOW)  # full: waiting list
    db.session.commit()
    return person.user, first, second


def _events(body: bytes) -> dict:
    return {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


def test_the_feed_lists_own_sessions_with_links_only_where_there_is_a_seat(client, setup):
    user, booked, waiting = setup
    response = client.get(f"/calendar/{user.calendar_token}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    events = _events(response.data)
    assert set(events) == {f"session-{booked.id}@fahrplan", f"session-{waiting.id}@fahrplan"}
    seat = events[f"session-{booked.id}@fahrplan"]
    assert str(seat["LOCATION"]) == booked.meeting_url
    assert str(seat["STATUS"]) == "CONFIRMED"
    queued = events[f"session-{waiting.id}@fahrplan"]
    assert waiting.meeting_url not in response.get_data(as_text=True)
    assert str(queued["STATUS"]) == "TENTATIVE"
    assert seat.decoded("DTSTART").tzinfo is not None
    assert Calendar.from_ical(response.data).walk("VTIMEZONE")


def test_an_unknown_address_is_not_found(client, setup):
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_renewing_the_address_retires_the_old_one(client, login_as, app):
    user = login_as()
    old = user.calendar_token
    assert client.submit("/me/calendar/renew", {}).status_code == 302
    db.session.expire_all()
    assert db.session.get(type(user), user.id).calendar_token != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
