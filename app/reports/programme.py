"""A programme's impact: per cohort and per target group, from each cohort's figures.

Live figures for cohorts whose participant data still exists, the stored ones for cohorts that
retention has erased (`app.reports.figures`), so past runs keep their numbers. Seats, fill and
attendance count only sessions that have taken place (started by `now`, not cancelled);
attendance is what coaches recorded, ratings are the participants' feedback (1–5) on them.
"""

from dataclasses import dataclass, field
from datetime import datetime

from app.feedback.queries import MIN_RESPONSES
from app.programs.models import Cohort, Programme
from app.reports.figures import PARTICIPATING, cohort_figures


@dataclass(frozen=True)
class Line:
    """One row of the report: a cohort, a target group or the total."""

    label: str
    signups: int = 0
    participants: int = 0
    waitlisted: int = 0
    certificates: int = 0
    sessions_held: int = 0
    capacity: int = 0
    booked: int = 0
    attended: int = 0
    ratings: int = 0
    rating_sum: int = 0
    cohort: Cohort | None = None
    erased_at: datetime | None = None

    @property
    def fill_rate(self) -> float | None:
        return self.booked / self.capacity if self.capacity else None

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.booked if self.booked else None

    @property
    def average_rating(self) -> float | None:
        """Only from MIN_RESPONSES ratings on, like the feedback pages: fewer point to people."""
        return self.rating_sum / self.ratings if self.ratings >= MIN_RESPONSES else None

    @property
    def certificate_rate(self) -> float | None:
        return self.certificates / self.participants if self.participants else None

    def __add__(self, other: "Line") -> "Line":
        counts = {name: getattr(self, name) + getattr(other, name) for name in COUNTS}
        return Line(label=self.label, **counts)


COUNTS = (
    "signups",
    "participants",
    "waitlisted",
    "certificates",
    "sessions_held",
    "capacity",
    "booked",
    "attended",
    "ratings",
    "rating_sum",
)


@dataclass(frozen=True)
class ProgrammeReport:
    programme: Programme
    cohorts: list[Line]
    target_groups: list[Line]
    total: Line = field(default_factory=lambda: Line(label=""))


def programme_report(programme: Programme, *, now: datetime, total_label: str) -> ProgrammeReport:
    cohorts, groups = [], {}
    for cohort in programme.cohorts:
        figures = cohort.retained_figures or cohort_figures(cohort)
        cohorts.append(_cohort_line(cohort, figures, now=now))
        for name, row in figures["by_target_group"].items():
            line = Line(
                label=name,
                signups=row["signups"],
                participants=row["participants"],
                certificates=row["certificates"],
            )
            groups[name] = groups[name] + line if name in groups else line
    total = sum(cohorts, Line(label=total_label))
    return ProgrammeReport(programme, cohorts, [groups[name] for name in sorted(groups)], total)


def _cohort_line(cohort: Cohort, figures: dict, *, now: datetime) -> Line:
    held = [
        s
        for s in figures["sessions"]
        if not s["cancelled"] and datetime.fromisoformat(s["starts_at"]) <= now
    ]
    statuses = figures["enrolments"]
    return Line(
        label=cohort.name,
        cohort=cohort,
        erased_at=cohort.personal_data_erased_at,
        signups=sum(statuses.values()),
        participants=sum(n for status, n in statuses.items() if status in PARTICIPATING),
        waitlisted=statuses.get("waitlisted", 0),
        certificates=figures["certificates"],
        sessions_held=len(held),
        capacity=sum(s["capacity"] for s in held),
        booked=sum(s["booked"] for s in held),
        attended=sum(s["attended"] for s in held),
        ratings=sum(s.get("ratings", 0) for s in held),
        rating_sum=sum(s.get("rating_sum", 0) for s in held),
    )
