"""Object-level access to enrolments and bookings.

A participant reaches only their own enrolments and bookings (anything else: 404, so ids do not
leak); organisers reach those of cohorts whose programme they manage (otherwise 403).
"""

from app.access import load_or_404
from app.bookings.models import Booking
from app.enrolments.models import Enrolment


def get_own_enrolment_or_404(enrolment_id: int, *, user) -> Enrolment:
    return load_or_404(
        Enrolment, enrolment_id, visible=lambda enrolment: enrolment.user_id == user.id
    )


def get_own_booking_or_404(booking_id: int, *, user) -> Booking:
    return load_or_404(
        Booking, booking_id, visible=lambda booking: booking.enrolment.user_id == user.id
    )


def get_managed_enrolment_or_404(enrolment_id: int, *, user) -> Enrolment:
    return load_or_404(
        Enrolment, enrolment_id, allowed=lambda enrolment: enrolment.cohort.can_manage(user)
    )


def get_managed_booking_or_404(booking_id: int, *, user) -> Booking:
    return load_or_404(
        Booking, booking_id, allowed=lambda booking: booking.enrolment.cohort.can_manage(user)
    )
