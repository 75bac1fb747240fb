"""The programme's certificate rule, applied to what people attended.

The rule lives on the programme (`cert_requires_kickoff`, `cert_min_impulse_trainings`,
`cert_requires_closing`, `cert_min_hours`). Only sessions that took place (not cancelled), with
a seat (`booked`) and attendance `attended` count; hours are the summed durations of those
sessions. A programme without any criterion asks for at least one attended session, so that a
certificate always lists something.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from babel.lists import format_list
from flask_babel import get_locale, lazy_ngettext, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.bookings.models import Attendance, Booking, BookingStatus
from app.certificates.models import Certificate
from app.enrolments.models import Enrolment, EnrolmentStatus
from app.extensions import db
from app.programs.models import Cohort, Programme
from app.sessions.models import SessionKind, SessionStatus, TrainingSession

# Sign-ups that can earn a certificate: in the programme, or finished with it.
CANDIDATE_STATUSES = (EnrolmentStatus.APPROVED.value, EnrolmentStatus.COMPLETED.value)


def session_hours(training_session: TrainingSession) -> float:
    return round((training_session.ends_at - training_session.starts_at) / timedelta(hours=1), 2)


@dataclass(frozen=True)
class Requirements:
    kickoff: bool
    impulse_trainings: int
    closing: bool
    hours: float | None

    @classmethod
    def of(cls, programme: Programme) -> "Requirements":
        return cls(
            kickoff=bool(programme.cert_requires_kickoff),
            impulse_trainings=programme.cert_min_impulse_trainings or 0,
            closing=bool(programme.cert_requires_closing),
            hours=float(programme.cert_min_hours) if programme.cert_min_hours else None,
        )

    @property
    def is_empty(self) -> bool:
        return not (self.kickoff or self.impulse_trainings or self.closing or self.hours)


@dataclass
class Progress:
    """What one enrolment has attended so far, and what is booked."""

    attended: list[TrainingSession] = field(default_factory=list)
    impulse_booked: int = 0
    # Booked sessions that have started but have no attendance recorded yet.
    unrecorded: int = 0

    def attended_kind(self, kind: SessionKind) -> int:
        return sum(1 for s in self.attended if s.kind == kind)

    @property
    def kickoff_attended(self) -> bool:
        return self.attended_kind(SessionKind.KICKOFF) > 0

    @property
    def closing_attended(self) -> bool:
        return self.attended_kind(SessionKind.CLOSING) > 0

    @property
    def impulse_attended(self) -> int:
        return self.attended_kind(SessionKind.IMPULSE)

    @property
    def hours(self) -> float:
        return round(sum(session_hours(s) for s in self.attended), 2)


@dataclass
class Verdict:
    eligible: bool
    missing: list = field(default_factory=list)


def format_hours(hours: float) -> str:
    """2 → "2", 1.5 → "1.5" (the template formats it for the language)."""
    return f"{hours:g}"


def evaluate(requirements: Requirements, progress: Progress) -> Verdict:
    missing = []
    if requirements.kickoff and not progress.kickoff_attended:
        missing.append(_l("Kick-off workshop not attended"))
    short = requirements.impulse_trainings - progress.impulse_attended
    if short > 0:
        missing.append(
            lazy_ngettext("%(num)s more impulse training", "%(num)s more impulse trainings", short)
        )
    if requirements.closing and not progress.closing_attended:
        missing.append(_l("Closing event not attended"))
    if requirements.hours and progress.hours + 1e-9 < requirements.hours:
        missing.append(
            _l("%(hours)s more hours", hours=format_hours(requirements.hours - progress.hours))
        )
    if requirements.is_empty and not progress.attended:
        missing.append(_l("No session attended yet"))
    return Verdict(eligible=not missing, missing=missing)


def describe(requirements: Requirements) -> str:
    """The rule in words, e.g. for the Open Badges criteria (in the current language)."""
    parts = []
    if requirements.kickoff:
        parts.append(_("the kick-off workshop"))
    if requirements.impulse_trainings:
        parts.append(
            ngettext(
                "at least %(num)s impulse training",
                "at least %(num)s impulse trainings",
                requirements.impulse_trainings,
            )
        )
    if requirements.closing:
        parts.append(_("the closing event"))
    if requirements.hours:
        parts.append(_("at least %(hours)s hours in total", hours=format_hours(requirements.hours)))
    if not parts:
        return _("Attended at least one session of the programme.")
    return _("Attended %(parts)s.", parts=format_list(parts, locale=get_locale()))


def progress_of(enrolment_ids: Iterable[int], *, now=None) -> dict[int, Progress]:
    """Progress for many enrolments in one query."""
    ids = list(enrolment_ids)
    result = {enrolment_id: Progress() for enrolment_id in ids}
    if not ids:
        return result
    rows = db.session.execute(
        select(Booking.enrolment_id, Booking.attendance, TrainingSession)
        .join(TrainingSession, TrainingSession.id == Booking.session_id)
        .where(
            Booking.enrolment_id.in_(ids),
            Booking.status == BookingStatus.BOOKED.value,
            TrainingSession.status == SessionStatus.SCHEDULED.value,
        )
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    )
    for enrolment_id, attendance, training_session in rows:
        progress = result[enrolment_id]
        if training_session.kind == SessionKind.IMPULSE:
            progress.impulse_booked += 1
        if attendance == Attendance.ATTENDED:
            progress.attended.append(training_session)
        elif attendance is None and now is not None and training_session.starts_at <= now:
            progress.unrecorded += 1
    return result


@dataclass
class EnrolmentStanding:
    """One line of the organiser's certificate overview."""

    enrolment: Enrolment
    requirements: Requirements
    progress: Progress
    verdict: Verdict
    certificate: Certificate | None

    @property
    def needs_certificate(self) -> bool:
        """Eligible, and nothing issued yet (a revoked certificate is re-issued only by hand)."""
        return self.verdict.eligible and self.certificate is None


def current_certificates(enrolment_ids: Iterable[int]) -> dict[int, Certificate]:
    ids = list(enrolment_ids)
    if not ids:
        return {}
    certificates = db.session.scalars(
        select(Certificate).where(
            Certificate.enrolment_id.in_(ids), Certificate.superseded_at.is_(None)
        )
    )
    return {c.enrolment_id: c for c in certificates}


def standings(enrolments: list[Enrolment], programme: Programme, *, now) -> list[EnrolmentStanding]:
    requirements = Requirements.of(programme)
    ids = [e.id for e in enrolments]
    progress = progress_of(ids, now=now)
    certificates = current_certificates(ids)
    return [
        EnrolmentStanding(
            enrolment=e,
            requirements=requirements,
            progress=progress[e.id],
            verdict=evaluate(requirements, progress[e.id]),
            certificate=certificates.get(e.id),
        )
        for e in enrolments
    ]


def candidates(cohort: Cohort) -> list[Enrolment]:
    """The cohort's approved (or completed) sign-ups, by name."""
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.cohort_id == cohort.id, Enrolment.status.in_(CANDIDATE_STATUSES))
        .options(selectinload(Enrolment.user), selectinload(Enrolment.target_group))
    )
    return sorted(enrolments, key=lambda e: (e.user.name.casefold(), e.id))


def cohort_standings(cohort: Cohort, *, now) -> list[EnrolmentStanding]:
    return standings(candidates(cohort), cohort.programme, now=now)


def standing_of(enrolment: Enrolment, *, now) -> EnrolmentStanding:
    return standings([enrolment], enrolment.cohort.programme, now=now)[0]
