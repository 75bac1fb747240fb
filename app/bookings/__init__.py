"""Bookings of enrolled people into sessions: capacity, waiting lists, cancellation, moves."""
