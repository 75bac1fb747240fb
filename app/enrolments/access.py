"""Object-level access to enrolments and bookings.

A participant reaches only their own enrolments and bookings (anything else: 404, so ids do not
leak); organisers reach those of cohorts whose programme they manage (otherwise 403).
"""

from flask import abort

from app.bookings.models import Booking
from app.enrolments.models import Enrolment
from app.extensions import db


def get_own_enrolment_or_404(enrolment_id: int, *, user) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.user_id != user.id:
        abort(404)
    return enrolment


def get_own_booking_or_404(booking_id: int, *, user) -> Booking:
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.enrolment.user_id != user.id:
        abort(404)
    return booking


def get_managed_enrolment_or_404(enrolment_id: int, *, user) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None:
        abort(404)
    if not enrolment.cohort.can_manage(user):
        abort(403)
    return enrolment


def get_managed_booking_or_404(booking_id: int, *, user) -> Booking:
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        abort(404)
    if not booking.enrolment.cohort.can_manage(user):
        abort(403)
    return booking
