"""A cohort's figures without anyone's name: what reports need, and what retention keeps.

The same dictionary is computed live for cohorts whose participant data still exists and stored
on the cohort (`Cohort.retained_figures`) when retention erases that data, so a report reads
both alike. It holds plain JSON values only.
"""

from collections import Counter

from sqlalchemy import func, select

from app.bookings.models import Attendance, Booking, BookingStatus
from app.certificates.models import Certificate
from app.enrolments.models import Enrolment, EnrolmentStatus
from app.extensions import db
from app.feedback.queries import rating_counts
from app.programs.models import Cohort

# Sign-ups that took part (or take part): approved, or completed the programme.
PARTICIPATING = frozenset({EnrolmentStatus.APPROVED.value, EnrolmentStatus.COMPLETED.value})


def cohort_figures(cohort: Cohort) -> dict:
    """Sign-ups by state and by target group, seats, waiting list, attendance and feedback
    ratings per session, valid certificates."""
    groups = {group.id: group.name for group in cohort.programme.target_groups}
    enrolments = db.session.execute(
        select(Enrolment.id, Enrolment.status, Enrolment.target_group_id).where(
            Enrolment.cohort_id == cohort.id
        )
    ).all()
    certified = set(
        db.session.scalars(
            select(Certificate.enrolment_id)
            .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
            .where(
                Enrolment.cohort_id == cohort.id,
                Certificate.superseded_at.is_(None),
                Certificate.revoked_at.is_(None),
            )
        )
    )
    by_group: dict[str, dict[str, int]] = {}
    for enrolment_id, status, group_id in enrolments:
        row = by_group.setdefault(
            groups.get(group_id, ""), {"signups": 0, "participants": 0, "certificates": 0}
        )
        row["signups"] += 1
        row["participants"] += status in PARTICIPATING
        row["certificates"] += enrolment_id in certified
    counts = _per_session(cohort)
    ratings = rating_counts([s.id for s in cohort.sessions])
    return {
        "enrolments": dict(sorted(Counter(status for _, status, _ in enrolments).items())),
        "by_target_group": dict(sorted(by_group.items())),
        "sessions": [
            {
                "title": s.title,
                "kind": s.kind,
                "starts_at": s.starts_at.isoformat(),
                "cancelled": s.is_cancelled,
                "capacity": s.capacity_max,
                "booked": counts.get(s.id, (0, 0, 0))[0],
                "waitlisted": counts.get(s.id, (0, 0, 0))[1],
                "attended": counts.get(s.id, (0, 0, 0))[2],
                "ratings": ratings.get(s.id, (0, 0))[0],
                "rating_sum": ratings.get(s.id, (0, 0))[1],
            }
            for s in cohort.sessions
        ],
        "certificates": len(certified),
    }


def _per_session(cohort: Cohort) -> dict[int, tuple[int, int, int]]:
    """Per session of the cohort: (booked, waiting, attended), in one query."""
    rows = db.session.execute(
        select(
            Booking.session_id,
            func.count().filter(Booking.status == BookingStatus.BOOKED.value),
            func.count().filter(Booking.status == BookingStatus.WAITLISTED.value),
            func.count().filter(Booking.attendance == Attendance.ATTENDED.value),
        )
        .join(Enrolment, Enrolment.id == Booking.enrolment_id)
        .where(Enrolment.cohort_id == cohort.id)
        .group_by(Booking.session_id)
    ).all()
    return {row[0]: tuple(row[1:]) for row in rows}
