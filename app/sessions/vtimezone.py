"""A VTIMEZONE component computed from the tz database, in the shape Outlook understands.

icalendar 6 can build one itself (`Timezone.from_tzinfo`, `Calendar.add_missing_timezones`), but
its output lists every change as RDATEs and writes the spring onset in the new offset's wall-clock
time (03:00 instead of RFC 5545's 02:00, which is read in TZOFFSETFROM). Outlook ignores RDATEs
in a VTIMEZONE and wants one yearly RRULE per observance. So the changes of `first_year - 1` to
`last_year` are found here from `zoneinfo`, grouped by observance, and written as
`DTSTART` (the first onset, local time in the offset before the change) plus
`RRULE:FREQ=YEARLY;BYMONTH=…;BYDAY=…` when the changes follow such a rule (Europe/Berlin:
last Sunday of March and of October), or RDATEs when they do not. The extra year before the span
makes sure every event lies after an onset; a zone without changes gets one STANDARD component.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

_SCAN_STEP = timedelta(days=1)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class _Observance:
    offset_from: timedelta
    offset_to: timedelta
    name: str
    is_daylight: bool


def _state(zone: ZoneInfo, instant: datetime) -> tuple:
    local = instant.astimezone(zone)
    return local.utcoffset(), local.tzname(), bool(local.dst())


def _transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, tuple]]:
    """(UTC instant of the change, state before) for every change in [start, end)."""
    found = []
    low, before = start, _state(zone, start)
    while low < end:
        high = min(low + _SCAN_STEP, end)
        if _state(zone, high) == before:
            low = high
            continue
        while high - low > timedelta(seconds=1):
            middle = low + (high - low) / 2
            if _state(zone, middle) == before:
                low = middle
            else:
                high = middle
        found.append((high.replace(microsecond=0), before))
        low, before = high, _state(zone, high)
    return found


def _yearly_rule(onsets: list[datetime]) -> dict | None:
    """An RRULE describing every onset (same month, weekday and time, one per year), or None."""
    first = onsets[0]
    if len(onsets) < 2:
        return None
    years = [onset.year for onset in onsets]
    if years != list(range(first.year, first.year + len(onsets))):
        return None
    if any(
        (o.month, o.weekday(), o.time()) != (first.month, first.weekday(), first.time())
        for o in onsets
    ):
        return None
    weekday = _WEEKDAYS[first.weekday()]
    if all(o.day + 7 > calendar.monthrange(o.year, o.month)[1] for o in onsets):
        return {"FREQ": "YEARLY", "BYMONTH": first.month, "BYDAY": f"-1{weekday}"}
    nth = {(o.day - 1) // 7 + 1 for o in onsets}
    if len(nth) == 1:
        return {"FREQ": "YEARLY", "BYMONTH": first.month, "BYDAY": f"{nth.pop()}{weekday}"}
    return None


def build_vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE for events between 1 January `first_year` and 31 December `last_year`."""
    zone = ZoneInfo(tzid)
    start = datetime(first_year - 1, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    observances: dict[_Observance, list[datetime]] = defaultdict(list)
    for instant, (offset_before, _name, _dst) in _transitions(zone, start, end):
        offset_after, name_after, daylight_after = _state(zone, instant)
        key = _Observance(offset_before, offset_after, name_after, daylight_after)
        observances[key].append((instant + offset_before).replace(tzinfo=None))

    component = Timezone()
    component.add("TZID", tzid)
    if not observances:
        offset, name, daylight = _state(zone, start)
        observances[_Observance(offset, offset, name, daylight)] = [
            (start + offset).replace(tzinfo=None)
        ]
    for observance, onsets in sorted(observances.items(), key=lambda item: item[1][0]):
        sub = TimezoneDaylight() if observance.is_daylight else TimezoneStandard()
        sub.add("TZNAME", observance.name)
        sub.add("TZOFFSETFROM", observance.offset_from)
        sub.add("TZOFFSETTO", observance.offset_to)
        sub.add("DTSTART", onsets[0])
        rule = _yearly_rule(onsets)
        if rule is not None:
            if onsets[-1].year < last_year:
                rule["UNTIL"] = (onsets[-1] - observance.offset_from).replace(tzinfo=UTC)
            sub.add("RRULE", vRecur(rule))
        elif len(onsets) > 1:
            sub.add("RDATE", onsets[1:])
        component.add_component(sub)
    return component
