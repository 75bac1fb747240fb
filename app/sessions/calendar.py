"""iCalendar (.ics) documents for one session and for a cohort's subscribable feed.

Times are written as the cohort's local wall-clock time with a TZID and the matching VTIMEZONE
(see `vtimezone`), so Outlook and Thunderbird keep them right across a daylight-saving change.

- UID `session-<id>@fahrplan` never changes, so a re-import or a feed refresh updates the entry.
- SEQUENCE is the number of seconds between the session's creation and its last change
  (`updated_at`): it grows with every saved change, as RFC 5545 asks, without a counter column.
- DTSTAMP is the moment the document is made (METHOD:PUBLISH), LAST-MODIFIED the last change.
- A cancelled session stays in the feed with STATUS:CANCELLED, so subscribers see it go away.
- Public calendars never contain the meeting link of an online session: LOCATION says "Online".
"""

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import Response, url_for
from flask_babel import gettext as _
from icalendar import Calendar, Event

from app.sessions.models import SessionFormat
from app.sessions.vtimezone import build_vtimezone

PRODID = "-//Fahrplan//Fahrplan programme calendar//EN"
REFRESH_INTERVAL = "PT6H"


def public_page_url(training_session) -> str:
    """The session's row on its cohort's public page."""
    cohort = training_session.cohort
    return url_for(
        "public.cohort",
        slug=cohort.programme.slug,
        cohort_slug=cohort.slug,
        _anchor=f"session-{training_session.id}",
        _external=True,
    )


def ics_response(body: bytes, filename: str) -> Response:
    safe_name = re.sub(r"[^A-Za-z0-9._-]+", "-", filename)
    return Response(
        body,
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{safe_name}"'},
    )


def session_uid(training_session) -> str:
    return f"session-{training_session.id}@fahrplan"


def sequence(training_session) -> int:
    changed = training_session.updated_at - training_session.created_at
    return max(0, int(changed.total_seconds()))


def _location(training_session) -> str:
    if training_session.format == SessionFormat.ONLINE:
        return _("Online")
    return training_session.location


def _description(training_session, page_url: str) -> str:
    lines = [training_session.description] if training_session.description else []
    if training_session.target_group is None:
        lines.append(_("For all target groups"))
    else:
        lines.append(_("Target group: %(name)s", name=training_session.target_group.name))
    if training_session.topic_block:
        lines.append(_("Topic block %(number)s", number=training_session.topic_block))
    if training_session.format == SessionFormat.ONLINE:
        lines.append(_("Online session: booked participants receive the meeting link."))
    lines.append(page_url)
    return "\n\n".join(lines)


def _event(
    training_session, *, now: datetime, page_url: str, seat: bool = False, waiting: bool = False
) -> Event:
    zone = ZoneInfo(training_session.cohort.timezone)
    event = Event()
    event.add("UID", session_uid(training_session))
    event.add("DTSTAMP", now)
    event.add("SEQUENCE", sequence(training_session))
    event.add("CREATED", training_session.created_at)
    event.add("LAST-MODIFIED", training_session.updated_at)
    event.add("DTSTART", training_session.starts_at.astimezone(zone))
    event.add("DTEND", training_session.ends_at.astimezone(zone))
    title = training_session.title
    if training_session.is_cancelled:
        title = _("Cancelled: %(title)s", title=title)
    elif waiting:
        title = _("Waiting list: %(title)s", title=title)
    event.add("SUMMARY", title)
    event.add("DESCRIPTION", _description(training_session, page_url))
    online_with_seat = seat and training_session.format == SessionFormat.ONLINE
    location = training_session.meeting_url if online_with_seat else _location(training_session)
    event.add("LOCATION", location)
    event.add("URL", page_url)
    if training_session.is_cancelled:
        status = "CANCELLED"
    else:
        status = "TENTATIVE" if waiting else "CONFIRMED"
    event.add("STATUS", status)
    return event


def _calendar(name: str, timezone: str, years: Iterable[int]) -> Calendar:
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", name)
    calendar.add("X-WR-TIMEZONE", timezone)
    years = sorted(years)
    calendar.add_component(build_vtimezone(timezone, years[0], years[-1]))
    return calendar


def _years(training_sessions) -> set[int]:
    return {
        moment.astimezone(ZoneInfo(ts.cohort.timezone)).year
        for ts in training_sessions
        for moment in (ts.starts_at, ts.ends_at)
    }


def session_calendar(training_session, *, now: datetime, page_url: str) -> bytes:
    """One session, e.g. for "add to my calendar"."""
    calendar = _calendar(
        training_session.title, training_session.cohort.timezone, _years([training_session])
    )
    calendar.add_component(_event(training_session, now=now, page_url=page_url))
    return calendar.to_ical()


def cohort_calendar(cohort, *, now: datetime, page_url: Callable[[object], str]) -> bytes:
    """Every session of a cohort, cancelled ones included; `page_url(session)` links each."""
    training_sessions = list(cohort.sessions)
    years = _years(training_sessions) or {
        moment.astimezone(ZoneInfo(cohort.timezone)).year
        for moment in (cohort.signup_opens_at, cohort.signup_closes_at)
    }
    calendar = _calendar(f"{cohort.programme.title} – {cohort.name}", cohort.timezone, years)
    calendar.add("REFRESH-INTERVAL", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", REFRESH_INTERVAL)
    for training_session in training_sessions:
        calendar.add_component(
            _event(training_session, now=now, page_url=page_url(training_session))
        )
    return calendar.to_ical()


def personal_calendar(
    name: str, entries, *, now: datetime, page_url: Callable[[object], str]
) -> bytes:
    """A person's own sessions: `entries` are (session, has_seat) pairs. Sessions they hold a
    seat in carry the meeting link as LOCATION (this feed sits behind the person's secret
    token); places on a waiting list are TENTATIVE."""
    entries = list(entries)
    sessions = [training_session for training_session, _seat in entries]
    by_zone: dict[str, set[int]] = {}
    for training_session in sessions:
        by_zone.setdefault(training_session.cohort.timezone, set()).update(
            _years([training_session])
        )
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", name)
    calendar.add("REFRESH-INTERVAL", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", REFRESH_INTERVAL)
    for timezone, years in sorted(by_zone.items()):
        calendar.add_component(build_vtimezone(timezone, min(years), max(years)))
    for training_session, has_seat in entries:
        calendar.add_component(
            _event(
                training_session,
                now=now,
                page_url=page_url(training_session),
                seat=has_seat,
                waiting=not has_seat,
            )
        )
    return calendar.to_ical()


@lru_cache(maxsize=64)
def _shared_vtimezone(tzid: str, first_year: int, last_year: int):
    """Mails with an invitation are sent by the thousand; the zone's rules are computed once."""
    return build_vtimezone(tzid, first_year, last_year)


def invitation(
    training_session,
    *,
    method: str,
    now: datetime,
    page_url: str,
    organizer: tuple[str, str],
    attendee: tuple[str, str],
) -> bytes:
    """One session as an iTIP message (RFC 5546) for one person, attached to a mail.

    METHOD:REQUEST adds or updates the person's entry, METHOD:CANCEL removes it; the UID is the
    public calendars' `session-<id>@fahrplan`, so all of them describe one entry. A REQUEST goes
    to someone holding a seat, so an online session's LOCATION is its meeting link. `organizer`
    and `attendee` are (name, e-mail address).
    """
    if method not in {"REQUEST", "CANCEL"}:
        raise ValueError(f"unsupported iTIP method {method}")
    timezone = training_session.cohort.timezone
    years = sorted(_years([training_session]))
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", method)
    calendar.add_component(_shared_vtimezone(timezone, years[0], years[-1]))
    event = _event(training_session, now=now, page_url=page_url, seat=method == "REQUEST")
    if method == "CANCEL":
        del event["STATUS"]
        event.add("STATUS", "CANCELLED")
    organizer_name, organizer_address = organizer
    event.add("ORGANIZER", f"mailto:{organizer_address}", parameters={"CN": organizer_name})
    attendee_name, attendee_address = attendee
    event.add(
        "ATTENDEE",
        f"mailto:{attendee_address}",
        parameters={
            "CN": attendee_name,
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "ACCEPTED" if method == "REQUEST" else "DECLINED",
            "RSVP": "FALSE",
        },
    )
    calendar.add_component(event)
    return calendar.to_ical()
