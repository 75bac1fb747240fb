"""How many seats of a session are still free: the one place pages and calendars ask."""


def free_seats(training_session) -> int:
    """Free seats of `training_session`.

    Bookings do not exist yet, so every seat up to `capacity_max` is free. Once bookings exist
    (the sign-up issue), this counts the booked seats and subtracts them; callers stay unchanged.
    """
    return training_session.capacity_max
