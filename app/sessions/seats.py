"""How many seats of a session are still free: the one place pages and calendars ask.

The booked seats of all sessions of a cohort are counted in one query the first time a page
asks about any of them, and kept for the rest of the request, so a timeline of twenty sessions
costs one query, not twenty.
"""

from flask import g

from app.bookings import queries


def free_seats(training_session) -> int:
    booked = _cohort_counts(training_session.cohort_id).get(training_session.id, {})
    return queries.free_seats(training_session, booked.get("booked", 0))


def _cohort_counts(cohort_id: int) -> dict[int, dict[str, int]]:
    cache = g.setdefault("fahrplan_seat_counts", {})
    if cohort_id not in cache:
        cache[cohort_id] = queries.seat_counts_for_cohort(cohort_id)
    return cache[cohort_id]
