"""The enrolment's history: one row per change, shown to organisers and the person."""

from datetime import datetime

from app.enrolments.models import Enrolment, EnrolmentEvent
from app.extensions import db


def record(
    enrolment: Enrolment,
    *,
    action: str,
    actor,
    now: datetime,
    from_status: str | None = None,
    to_status: str | None = None,
    session_id: int | None = None,
    reason: str = "",
) -> EnrolmentEvent:
    event = EnrolmentEvent(
        enrolment=enrolment,
        actor_id=actor.id if actor is not None else None,
        at=now,
        action=action,
        from_status=from_status,
        to_status=to_status,
        session_id=session_id,
        reason=reason.strip(),
    )
    db.session.add(event)
    db.session.flush()
    return event
