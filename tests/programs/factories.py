"""Programmes, cohorts and sessions built through the organisers' services, then committed.

Defaults: a cohort in Europe/Berlin whose sign-up window runs from 1 August to 30 September
2026, so sessions around the October 2026 change to winter time (Sunday 25 October) fit.
"""

from datetime import datetime

from sqlalchemy import func, select

from app.auth.models import Role
from app.extensions import db
from app.programs import cohort_services, services
from app.programs.cohort_services import CohortInput
from app.programs.services import ProgrammeInput, TargetGroupInput
from app.sessions import services as session_services
from app.sessions.services import SessionInput
from tests.factories import UserFactory


def wall(text: str) -> datetime:
    """A naive local wall-clock time, as a form delivers it."""
    return datetime.fromisoformat(text)


def organiser(**attributes):
    return UserFactory(role=Role.ORGANISER.value, **attributes)


def coach(**attributes):
    return UserFactory(role=Role.COACH.value, **attributes)


def programme(actor, *, groups=("Führungsebene", "Verkehrsplaner:innen"), **fields):
    values = {
        "title": "Mutig voran beim Klimaschutz im Verkehr",
        "eligibility_criteria": ["Ich arbeite an einem Klimamobilitätsplan."],
    } | fields
    created = services.create_programme(ProgrammeInput(**values), actor=actor)
    for name in groups:
        services.create_target_group(created, TargetGroupInput(name=name), actor=actor)
    db.session.commit()
    return created


def cohort(programme, actor, **fields):
    values = {
        "name": "Herbst 2026",
        "signup_opens": wall("2026-08-01 08:00"),
        "signup_closes": wall("2026-09-30 23:59"),
    } | fields
    created = cohort_services.create_cohort(programme, CohortInput(**values), actor=actor)
    db.session.commit()
    return created


def session_input(**fields) -> SessionInput:
    values = {
        "kind": "impulse",
        "title": "Impuls-Training Baustein 1",
        "starts_at": wall("2026-10-20 14:00"),
        "ends_at": wall("2026-10-20 16:00"),
        "meeting_url": "https://meet.example.org/impuls-1",
        "capacity_min": 6,
        "capacity_max": 8,
        "topic_block": 1,
    } | fields
    return SessionInput(**values)


def training_session(cohort, actor, **fields):
    created = session_services.create_session(cohort, session_input(**fields), actor=actor)
    db.session.commit()
    return created


def count(model) -> int:
    """Rows in the database, read fresh (the client's requests commit in another session)."""
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))
