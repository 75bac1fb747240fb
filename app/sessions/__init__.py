"""Training sessions of a cohort, their coaches, bookings and calendars."""
