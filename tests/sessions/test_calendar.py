"""The .ics documents, parsed back with icalendar: local times with a TZID and a VTIMEZONE that
agrees with the tz database on both sides of the last Sunday of October."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from icalendar import Calendar, Timezone

from app.extensions import db
from app.programs.models import CohortStatus
from app.sessions.models import SessionFormat, SessionKind, SessionStatus
from app.sessions.vtimezone import build_vtimezone
from tests.factories import UserFactory
from tests.sessions.factories import (
    CohortFactory,
    ProgrammeFactory,
    TargetGroupFactory,
    TrainingSessionFactory,
)
from tests.sessions.helpers import sign_in, tr

BERLIN = ZoneInfo("Europe/Berlin")
CANCELLED_TITLE = "Impuls-Training Baustein 2"
# Summer time ends on Sunday 25 October 2026: 10:00 local is 08:00Z before, 09:00Z after.
FRIDAY_BEFORE = datetime(2026, 10, 23, 10, tzinfo=BERLIN)
MONDAY_AFTER = datetime(2026, 10, 26, 10, tzinfo=BERLIN)


@pytest.fixture
def cohort(app):
    manager = UserFactory(role="organiser")
    programme = ProgrammeFactory(slug="mutig", title="Mutig voran", managers=[manager])
    group = TargetGroupFactory(programme=programme, name="Führungsebene")
    cohort = CohortFactory(programme=programme, slug="herbst-2026", name="Herbst 2026")
    TrainingSessionFactory(
        cohort=cohort,
        target_group=group,
        title="Impuls-Training Baustein 1",
        topic_block=1,
        starts_at=FRIDAY_BEFORE.astimezone(UTC),
    )
    TrainingSessionFactory(
        cohort=cohort,
        target_group=group,
        title=CANCELLED_TITLE,
        topic_block=2,
        starts_at=MONDAY_AFTER.astimezone(UTC),
        status=SessionStatus.CANCELLED.value,
    )
    TrainingSessionFactory(
        cohort=cohort,
        kind=SessionKind.CLOSING.value,
        title="Abschlussveranstaltung",
        format=SessionFormat.IN_PERSON.value,
        meeting_url="",
        location="Haus der Wirtschaft, Stuttgart",
        starts_at=datetime(2026, 12, 3, 9, tzinfo=UTC),
    )
    return cohort


def feed_url(cohort) -> str:
    return f"/programmes/{cohort.programme.slug}/{cohort.slug}/calendar.ics"


def download(client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response.content_type == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Content-Disposition"].endswith('.ics"')
    return Calendar.from_ical(response.data)


def events_by_title(calendar: Calendar) -> dict:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_is_a_published_calendar_with_the_cohorts_timezone(client, cohort):
    calendar = download(client, feed_url(cohort))

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Mutig voran – Herbst 2026"
    assert len(calendar.walk("VEVENT")) == 3
    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Berlin"
    kinds = {component.name for component in timezone.subcomponents}
    assert kinds == {"STANDARD", "DAYLIGHT"}


def test_start_and_end_are_local_times_with_a_tzid_on_both_sides_of_the_change(client, cohort):
    response = client.get(feed_url(cohort))
    text = response.get_data(as_text=True)
    assert "DTSTART;TZID=Europe/Berlin:20261023T100000" in text
    assert "DTEND;TZID=Europe/Berlin:20261023T120000" in text
    assert "DTSTART;TZID=Europe/Berlin:20261026T100000" in text

    events = events_by_title(Calendar.from_ical(response.data))
    before = events["Impuls-Training Baustein 1"]
    after = events[tr("Cancelled: %(title)s", title=CANCELLED_TITLE)]
    for event in (before, after):
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert event["DTEND"].params["TZID"] == "Europe/Berlin"
        assert event.start.hour == 10
    assert before.start.astimezone(UTC) == datetime(2026, 10, 23, 8, tzinfo=UTC)
    assert after.start.astimezone(UTC) == datetime(2026, 10, 26, 9, tzinfo=UTC)


def test_the_vtimezone_alone_gives_the_right_instants(client, cohort):
    """A client without its own tz database (it reads only the VTIMEZONE) gets the same times."""
    calendar = download(client, feed_url(cohort))
    (component,) = calendar.walk("VTIMEZONE")
    zone = component.to_tz(lookup_tzid=False)
    assert not isinstance(zone, ZoneInfo)  # really built from the component

    friday = datetime(2026, 10, 23, 10, tzinfo=zone)
    monday = datetime(2026, 10, 26, 10, tzinfo=zone)
    assert friday.astimezone(UTC) == datetime(2026, 10, 23, 8, tzinfo=UTC)
    assert monday.astimezone(UTC) == datetime(2026, 10, 26, 9, tzinfo=UTC)


def test_the_vtimezone_uses_yearly_rules_with_rfc_onsets():
    """Outlook reads one RRULE per observance; DTSTART is local time in TZOFFSETFROM."""
    component = build_vtimezone("Europe/Berlin", 2026, 2026)
    observances = {sub.name: sub for sub in component.subcomponents}

    daylight, standard = observances["DAYLIGHT"], observances["STANDARD"]
    # Local wall-clock times (no zone), as RFC 5545 requires inside a VTIMEZONE.
    assert daylight["DTSTART"].to_ical() == b"20250330T020000"
    assert standard["DTSTART"].to_ical() == b"20251026T030000"
    assert daylight["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"
    assert standard["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"
    assert (daylight["TZNAME"], standard["TZNAME"]) == ("CEST", "CET")
    assert daylight["TZOFFSETFROM"].td == timedelta(hours=1)
    assert daylight["TZOFFSETTO"].td == timedelta(hours=2)
    assert "RDATE" not in daylight
    assert "RDATE" not in standard


@pytest.mark.parametrize("tzid", ["Europe/Berlin", "America/New_York", "Australia/Sydney"])
def test_the_vtimezone_agrees_with_the_tz_database_all_year(tzid):
    zone = Timezone.from_ical(build_vtimezone(tzid, 2026, 2027).to_ical()).to_tz(lookup_tzid=False)
    reference = ZoneInfo(tzid)
    instant = datetime(2026, 1, 1, tzinfo=UTC)
    while instant < datetime(2028, 1, 1, tzinfo=UTC):
        assert instant.astimezone(zone).utcoffset() == instant.astimezone(reference).utcoffset()
        instant += timedelta(minutes=30)


def test_a_zone_without_daylight_saving_has_one_standard_observance():
    component = build_vtimezone("Asia/Tokyo", 2026, 2026)
    (observance,) = component.subcomponents
    assert observance.name == "STANDARD"
    assert observance["TZOFFSETFROM"].td == observance["TZOFFSETTO"].td == timedelta(hours=9)


def test_a_cancelled_session_stays_in_the_feed_as_cancelled(client, cohort):
    events = events_by_title(download(client, feed_url(cohort)))

    assert events[tr("Cancelled: %(title)s", title=CANCELLED_TITLE)]["STATUS"] == "CANCELLED"
    assert events["Impuls-Training Baustein 1"]["STATUS"] == "CONFIRMED"


def test_uids_are_stable_across_downloads(client, cohort):
    first = download(client, feed_url(cohort))
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=1)):
        second = download(client, feed_url(cohort))

    uids = [str(event["UID"]) for event in first.walk("VEVENT")]
    assert uids == [str(event["UID"]) for event in second.walk("VEVENT")]
    assert uids == [f"session-{ts.id}@fahrplan" for ts in cohort.sessions]
    for event in first.walk("VEVENT"):
        assert event["DTSTAMP"].dt.tzinfo is not None


def test_the_sequence_grows_when_a_session_changes(client, cohort):
    training_session = cohort.sessions[0]
    url = f"/sessions/{training_session.id}.ics"
    (before,) = download(client, url).walk("VEVENT")
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=1)):
        training_session.starts_at += timedelta(hours=1)
        training_session.ends_at += timedelta(hours=1)
        db.session.commit()
    (after,) = download(client, url).walk("VEVENT")

    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after["UID"] == before["UID"]
    assert after.start.hour == 11


@pytest.mark.parametrize("who", ["anonymous", "manager"])
def test_public_calendars_never_contain_the_meeting_link(client, cohort, who):
    if who == "manager":
        manager = cohort.programme.managers[0]
        sign_in(client, manager)
    urls = [feed_url(cohort)] + [f"/sessions/{ts.id}.ics" for ts in cohort.sessions]
    for url in urls:
        assert b"meet.example.org" not in client.get(url).data, url

    events = events_by_title(download(client, feed_url(cohort)))
    assert events["Impuls-Training Baustein 1"]["LOCATION"] == tr("Online")
    assert events["Abschlussveranstaltung"]["LOCATION"] == "Haus der Wirtschaft, Stuttgart"


def test_each_event_describes_the_session_and_links_the_public_page(client, cohort):
    events = events_by_title(download(client, feed_url(cohort)))
    event = events["Impuls-Training Baustein 1"]
    session_id = cohort.sessions[0].id

    page = f"http://localhost/programmes/mutig/herbst-2026#session-{session_id}"
    assert event["URL"] == page
    assert "Führungsebene" in event["DESCRIPTION"]
    assert page in event["DESCRIPTION"]
    assert client.get(page.removeprefix("http://localhost")).status_code == 200


def test_one_session_as_ics(client, cohort):
    training_session = cohort.sessions[0]
    calendar = download(client, f"/sessions/{training_session.id}.ics")

    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == f"session-{training_session.id}@fahrplan"
    assert event.start == FRIDAY_BEFORE
    assert event.end == FRIDAY_BEFORE + timedelta(hours=2)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Impuls-Training Baustein 1"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert calendar.get_missing_tzids() == set()


def test_an_unknown_session_is_not_found(client, cohort):
    assert client.get("/sessions/999999.ics").status_code == 404


def test_a_cohort_without_sessions_still_has_a_valid_feed(client, app):
    empty = CohortFactory(programme=ProgrammeFactory(slug="leer"), slug="bald")
    calendar = download(client, feed_url(empty))

    assert calendar.walk("VEVENT") == []
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_draft_calendars_are_only_for_the_programmes_organisers(client, cohort):
    cohort.status = CohortStatus.DRAFT.value
    db.session.commit()
    urls = [feed_url(cohort), f"/sessions/{cohort.sessions[0].id}.ics"]
    for url in urls:
        assert client.get(url).status_code == 404

    manager = cohort.programme.managers[0]
    sign_in(client, manager)
    for url in urls:
        assert client.get(url).status_code == 200
