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


def _event(training_session, *, now: datetime, page_url: str) -> Event:
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
    event.add("SUMMARY", title)
    event.add("DESCRIPTION", _description(training_session, page_url))
    event.add("LOCATION", _location(training_session))
    event.add("URL", page_url)
    event.add("STATUS", "CANCELLED" if training_session.is_cancelled else "CONFIRMED")
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
