"""Local wall-clock time ↔ UTC in Europe/Berlin, on both sides of the 2026 changes.

Summer time 2026 begins Sunday 29 March (02:00 → 03:00) and ends Sunday 25 October
(03:00 → 02:00).
"""

from datetime import UTC, datetime

import pytest

from app.sessions.local_time import format_local_range
from app.sessions.timezones import (
    NonExistentLocalTime,
    is_valid_timezone,
    local_date,
    shift_local,
    to_local,
    to_utc,
)

BERLIN = "Europe/Berlin"


def wall(text: str) -> datetime:
    """A naive local wall-clock time, as a form delivers it."""
    return datetime.fromisoformat(text)


def test_winter_and_summer_times_convert_with_their_offsets():
    assert to_utc(wall("2026-01-15 10:00"), BERLIN) == datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
    assert to_utc(wall("2026-07-15 10:00"), BERLIN) == datetime(2026, 7, 15, 8, 0, tzinfo=UTC)


def test_a_time_in_the_skipped_hour_of_march_is_refused():
    with pytest.raises(NonExistentLocalTime):
        to_utc(wall("2026-03-29 02:30"), BERLIN)


def test_the_minutes_around_the_skipped_hour_exist():
    assert to_utc(wall("2026-03-29 01:59"), BERLIN) == datetime(2026, 3, 29, 0, 59, tzinfo=UTC)
    assert to_utc(wall("2026-03-29 03:00"), BERLIN) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_a_time_in_the_repeated_hour_of_october_means_its_first_occurrence():
    # 02:30 happens twice: first in summer time (00:30 UTC), then in winter time (01:30 UTC).
    assert to_utc(wall("2026-10-25 02:30"), BERLIN) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_to_local_is_the_inverse_of_to_utc():
    local = wall("2026-10-26 09:15")
    assert to_local(to_utc(local, BERLIN), BERLIN) == local
    assert to_local(datetime(2026, 10, 25, 1, 30, tzinfo=UTC), BERLIN) == wall("2026-10-25 02:30")


def test_to_utc_wants_a_naive_local_time():
    with pytest.raises(ValueError, match="naive"):
        to_utc(datetime(2026, 1, 1, tzinfo=UTC), BERLIN)


def test_shifting_by_days_keeps_the_wall_clock_time_across_a_change():
    before_change = to_utc(wall("2026-10-20 10:00"), BERLIN)  # 08:00 UTC (summer time)
    shifted = shift_local(before_change, BERLIN, 7)
    assert shifted == datetime(2026, 10, 27, 9, 0, tzinfo=UTC)  # 10:00 winter time
    assert to_local(shifted, BERLIN) == wall("2026-10-27 10:00")


def test_shifting_into_the_skipped_hour_is_refused():
    with pytest.raises(NonExistentLocalTime):
        shift_local(to_utc(wall("2026-03-22 02:30"), BERLIN), BERLIN, 7)


def test_local_date_is_the_date_on_the_local_calendar():
    assert local_date(datetime(2026, 6, 30, 22, 30, tzinfo=UTC), BERLIN).isoformat() == (
        "2026-07-01"
    )


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("Europe/Berlin", True),
        ("America/New_York", True),
        ("UTC", True),
        ("Mars/Olympus_Mons", False),
        ("", False),
        ("../../etc/passwd", False),
        ("europe/berlin", False),
    ],
)
def test_only_iana_timezone_names_are_valid(name, valid):
    assert is_valid_timezone(name) is valid


def test_a_range_repeats_the_date_only_when_the_end_is_on_another_day(app):
    with app.test_request_context():
        same_day = format_local_range(
            datetime(2026, 10, 20, 12, 0, tzinfo=UTC),
            datetime(2026, 10, 20, 14, 0, tzinfo=UTC),
            BERLIN,
        )
        overnight = format_local_range(
            datetime(2026, 10, 24, 20, 0, tzinfo=UTC),
            datetime(2026, 10, 25, 3, 0, tzinfo=UTC),
            BERLIN,
        )
    assert same_day == "Di., 20. Okt. 2026, 14:00 – 16:00"
    # Across the night of the change to winter time: 22:00 summer time to 04:00 winter time.
    assert overnight == "Sa., 24. Okt. 2026, 22:00 – So., 25. Okt. 2026, 04:00"
