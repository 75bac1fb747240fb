"""What the public pages show of a programme: visible cohorts, their timelines, sign-up windows.

A cohort is visible when it is published (not a draft) or when the person manages the programme;
`get_cohort_or_404` applies the same rule to single cohorts. The timeline groups a cohort's
sessions the way seed 004's schedule does: the info event for everyone, kick-offs per target
group, impulse trainings per target group, further sessions, the closing event.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.programs.access import get_cohort_or_404
from app.programs.models import Cohort, CohortStatus, Programme, TargetGroup
from app.sessions.models import SessionKind, TrainingSession

PHASES = (
    (SessionKind.INFO, _l("Info event")),
    (SessionKind.KICKOFF, _l("Kick-off workshops")),
    (SessionKind.IMPULSE, _l("Impulse trainings")),
    (SessionKind.OTHER, _l("Further sessions")),
    (SessionKind.CLOSING, _l("Closing event")),
)


@dataclass
class Audience:
    """The sessions of one phase for one target group (None: for all target groups)."""

    target_group: TargetGroup | None
    sessions: list[TrainingSession] = field(default_factory=list)


@dataclass
class Phase:
    kind: str
    title: str
    audiences: list[Audience]

    @property
    def for_everyone_only(self) -> bool:
        return all(audience.target_group is None for audience in self.audiences)


@dataclass(frozen=True)
class SignupWindow:
    """state: "open" (until `closes_at`), "upcoming" (from `opens_at`), "closed" or "draft"."""

    state: str
    opens_at: datetime
    closes_at: datetime


@dataclass
class CohortOverview:
    cohort: Cohort
    phases: list[Phase]
    signup: SignupWindow


def paragraphs(text: str) -> list[str]:
    """Plain text as paragraphs: blank lines separate them (whatever the line endings)."""
    return [
        part.strip() for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if part.strip()
    ]


def published_programmes() -> list[Programme]:
    query = (
        select(Programme)
        .where(Programme.cohorts.any(Cohort.status != CohortStatus.DRAFT.value))
        .options(selectinload(Programme.cohorts))
        .order_by(Programme.title)
    )
    return list(db.session.scalars(query))


def programme_or_404(slug: str) -> Programme:
    query = (
        select(Programme)
        .where(Programme.slug == slug)
        .options(
            selectinload(Programme.target_groups),
            selectinload(Programme.eligibility_criteria),
            selectinload(Programme.cohorts).selectinload(Cohort.sessions),
        )
    )
    programme = db.session.scalar(query)
    if programme is None:
        abort(404)
    return programme


def visible_cohorts_or_404(programme: Programme, user) -> list[Cohort]:
    """The cohorts `user` may see; a programme with none is not found (drafts do not leak)."""
    cohorts = [cohort for cohort in programme.cohorts if cohort.can_view(user)]
    if not cohorts:
        abort(404)
    return cohorts


def cohort_or_404(programme: Programme, cohort_slug: str, user) -> Cohort:
    cohort = next((c for c in programme.cohorts if c.slug == cohort_slug), None)
    if cohort is None:
        abort(404)
    return get_cohort_or_404(cohort.id, user=user)


def signup_window(cohort: Cohort, now: datetime) -> SignupWindow:
    if cohort.status == CohortStatus.DRAFT:
        state = "draft"
    elif cohort.is_open_for_signup(now):
        state = "open"
    elif cohort.status == CohortStatus.OPEN and now < cohort.signup_opens_at:
        state = "upcoming"
    else:
        state = "closed"
    return SignupWindow(state, cohort.signup_opens_at, cohort.signup_closes_at)


def timeline(cohort: Cohort) -> list[Phase]:
    """Phases in seed order, each with its audiences (everyone first, then groups in order)."""
    groups = cohort.programme.target_groups
    phases = []
    for kind, title in PHASES:
        sessions = [ts for ts in cohort.sessions if ts.kind == kind]
        if not sessions:
            continue
        audiences = {None: Audience(None)} | {group.id: Audience(group) for group in groups}
        for training_session in sorted(sessions, key=lambda ts: (ts.starts_at, ts.id)):
            audience = audiences.setdefault(
                training_session.target_group_id, Audience(training_session.target_group)
            )
            audience.sessions.append(training_session)
        phases.append(Phase(kind, title, [a for a in audiences.values() if a.sessions]))
    return phases


def overview(cohort: Cohort, now: datetime) -> CohortOverview:
    return CohortOverview(cohort, timeline(cohort), signup_window(cohort, now))
