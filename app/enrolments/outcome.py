"""One way for the sign-up and booking views to carry out a change and tell the person."""

from collections.abc import Callable
from typing import TypeVar

from app.bookings.services import BookingRefused
from app.enrolments.services import SignupRefused
from app.outcome import carry_out

T = TypeVar("T")


def commit_or_explain(change: Callable[[], T], success: str | None = None) -> T | None:
    """Run `change` (a service call); commit and flash `success`, or, when the service refuses,
    roll back and flash its reason. Returns the service's result, or None when refused."""
    return carry_out(change, success, refusals=(BookingRefused, SignupRefused)).result
