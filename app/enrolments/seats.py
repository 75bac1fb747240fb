"""Fill levels of a cohort's sessions and the ones still under their minimum."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.bookings import queries
from app.sessions.models import TrainingSession


@dataclass
class FillLevel:
    training_session: TrainingSession
    booked: int
    waiting: int
    free: int
    below_minimum: bool


def fill_levels(cohort, *, now: datetime) -> list[FillLevel]:
    """Every session with its seats; `below_minimum` flags those that start within the
    programme's alert window with fewer people booked than their minimum."""
    window = timedelta(hours=cohort.programme.minimum_alert_hours)
    sessions = [s for s in cohort.sessions if not s.is_cancelled]
    counts = queries.seat_counts(s.id for s in sessions)
    levels = []
    for training_session in sessions:
        booked = counts[training_session.id]["booked"]
        starts_soon = now <= training_session.starts_at <= now + window
        levels.append(
            FillLevel(
                training_session=training_session,
                booked=booked,
                waiting=counts[training_session.id]["waitlisted"],
                free=queries.free_seats(training_session, booked),
                below_minimum=starts_soon and booked < training_session.capacity_min,
            )
        )
    return levels
