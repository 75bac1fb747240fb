"""The organisers' outbox: the programme's organisers and admins; other organisers get 403
(the cohort is published, so it is no secret that it exists), everyone else fails the role."""

from datetime import UTC, datetime

from app.extensions import db
from app.notifications.models import Notification, NotificationState, Reason
from tests.access import ACTORS, AccessRow

MANAGING = dict.fromkeys(ACTORS, 403) | {"anonymous": 302, "organiser": 200, "admin": 200}
MANAGING_POSTS = MANAGING | {"organiser": 302, "admin": 302}


def _failed_notification(s) -> Notification:
    """A message the dispatcher gave up on, to the participant about their booking."""
    if "failed_notification" not in s.extra:
        booking = s.extra["booking"]
        notification = Notification(
            user_id=s.users["participant"].id,
            reason=Reason.BOOKING_BOOKED.value,
            cohort_id=s.cohort.id,
            session_id=booking.session_id,
            booking_id=booking.id,
            enrolment_id=booking.enrolment_id,
            dedup_key="access-matrix:failed",
            due_at=datetime(2026, 9, 2, 9, tzinfo=UTC),
            state=NotificationState.FAILED.value,
            attempts=8,
            last_error="server unavailable",
        )
        db.session.add(notification)
        db.session.commit()
        s.extra["failed_notification"] = notification
    return s.extra["failed_notification"]


ROWS = [
    AccessRow("outbox.cohort_outbox", lambda s: f"/manage/cohorts/{s.cohort.id}/outbox", MANAGING),
    AccessRow(
        "outbox.reminder_settings",
        lambda s: f"/manage/cohorts/{s.cohort.id}/outbox/reminders",
        MANAGING_POSTS,
        method="POST",
        data={"offsets": "168, 24"},
    ),
    AccessRow(
        "outbox.pause",
        lambda s: f"/manage/cohorts/{s.cohort.id}/outbox/pause",
        MANAGING_POSTS,
        method="POST",
    ),
    AccessRow(
        "outbox.resume",
        lambda s: f"/manage/cohorts/{s.cohort.id}/outbox/resume",
        MANAGING_POSTS,
        method="POST",
    ),
    AccessRow(
        "outbox.resend_failed",
        lambda s: f"/manage/cohorts/{s.cohort.id}/outbox/resend-failed",
        MANAGING_POSTS,
        method="POST",
    ),
    AccessRow(
        "outbox.resend",
        lambda s: f"/manage/notifications/{_failed_notification(s).id}/resend",
        MANAGING_POSTS,
        method="POST",
    ),
]
