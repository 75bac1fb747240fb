"""Load the demo programme and one account per role, idempotently.

The cohort's dates are shifted so that it starts a few weeks from `today`: the info event three
weeks out, then the kick-offs, the impulse trainings and the closing event, as in seed 004.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.auth import services as accounts
from app.auth.models import Role, User
from app.catalogues.models import Question, QuestionSource
from app.demo import data
from app.extensions import db
from app.programs.models import Cohort, CohortStatus, EligibilityCriterion, Programme, TargetGroup
from app.sessions.models import SessionFormat, SessionKind, TrainingSession

TIMEZONE = "Europe/Berlin"
CLOSING_ADDRESS = "Haus der Wirtschaft, Willi-Bleicher-Straße 19, 70174 Stuttgart"


@dataclass
class DemoResult:
    created: bool
    accounts: list[tuple[str, str]]


def load_demo(*, today: date) -> DemoResult:
    users = {
        role: _ensure_account(role, email, name, org) for role, email, name, org in data.ACCOUNTS
    }
    programme = db.session.scalar(select(Programme).where(Programme.slug == data.PROGRAMME["slug"]))
    created = programme is None
    if created:
        programme = _create_programme(users["organiser"])
        _create_cohort(programme, users["coach"], today=today)
    db.session.flush()
    logins = [(role, email) for role, email, _, _ in data.ACCOUNTS]
    return DemoResult(created=created, accounts=logins)


def _ensure_account(role: str, email: str, name: str, organisation: str) -> User:
    user = accounts.find_user_by_email(email)
    if user is None:
        user = accounts.create_user(
            email=email,
            name=name,
            organisation=organisation,
            password=data.DEMO_PASSWORD,
            role=Role(role),
            confirmed_at=datetime.now(UTC),
            locale="de",
        )
    return user


def _create_programme(organiser: User) -> Programme:
    programme = Programme(**data.PROGRAMME)
    programme.managers.append(organiser)
    for position, text in enumerate(data.ELIGIBILITY_CRITERIA):
        programme.eligibility_criteria.append(EligibilityCriterion(text=text, position=position))
    for position, spec in enumerate(data.TARGET_GROUPS):
        group = TargetGroup(
            slug=spec["slug"], name=spec["name"], description=spec["description"], position=position
        )
        programme.target_groups.append(group)
        for number, text in enumerate(spec["questions"]):
            db.session.add(
                Question(
                    target_group=group,
                    text=text,
                    position=number,
                    source=QuestionSource.PROGRAMME.value,
                )
            )
    db.session.add(programme)
    return programme


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(TIMEZONE)).astimezone(UTC)


def _monday_after(today: date, weeks: int) -> date:
    return today + timedelta(days=7 * weeks - today.weekday())


def _create_cohort(programme: Programme, coach: User, *, today: date) -> Cohort:
    info_week = _monday_after(today, 3)
    cohort = Cohort(
        programme=programme,
        slug=f"durchgang-{info_week.year}",
        name=f"Durchgang {info_week.year}",
        status=CohortStatus.OPEN.value,
        timezone=TIMEZONE,
        signup_opens_at=_local(today - timedelta(days=1), 8),
        signup_closes_at=_local(info_week + timedelta(days=13), 23, 59),
    )
    db.session.add(cohort)
    groups = programme.target_groups

    def add(kind, title, day, start, hours, group=None, **extra) -> TrainingSession:
        starts_at = _local(day, start)
        session = TrainingSession(
            cohort=cohort,
            kind=kind.value,
            title=title,
            target_group=group,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            **extra,
        )
        db.session.add(session)
        return session

    add(
        SessionKind.INFO,
        "Online-Infoveranstaltung",
        info_week + timedelta(days=1),
        10,
        1.5,
        description="Angebot kennenlernen, Best Practices (Bonn), Fragen stellen.",
        capacity_max=200,
        **_online("info"),
    )
    kickoff_week = info_week + timedelta(weeks=2)
    for offset, group in enumerate(groups):
        session = add(
            SessionKind.KICKOFF,
            f"Auftaktworkshop {group.name}",
            kickoff_week + timedelta(days=offset),
            9,
            3,
            group=group,
            description="Konkrete Leitfragen und Themen für die Impulstrainings herausarbeiten.",
            capacity_max=30,
            **_online(f"auftakt-{group.slug}"),
        )
        session.coaches.append(coach)
    impulse_week = kickoff_week + timedelta(weeks=2)
    for block in (1, 2, 3):
        for offset, group in enumerate(groups):
            session = add(
                SessionKind.IMPULSE,
                f"Impuls-Training {group.name} – Baustein {block}",
                impulse_week + timedelta(weeks=block - 1, days=offset),
                14,
                2,
                group=group,
                description="Persönliches, passgenaues Impuls-Training zu Ihren Fragestellungen.",
                capacity_min=6,
                capacity_max=8,
                topic_block=block,
                **_online(f"impuls-{group.slug}-{block}"),
            )
            session.coaches.append(coach)
    add(
        SessionKind.CLOSING,
        "Abschlussveranstaltung mit Übergabe der Zertifikate",
        impulse_week + timedelta(weeks=4, days=3),
        10,
        5,
        description="Austausch der Ergebnisse aus den Impuls-Trainings, Übergabe der Zertifikate.",
        format=SessionFormat.IN_PERSON.value,
        location=CLOSING_ADDRESS,
        capacity_max=120,
    )
    return cohort


def _online(room: str) -> dict:
    return {
        "format": SessionFormat.ONLINE.value,
        "meeting_url": f"https://meet.example.org/mutig-voran-{room}",
    }
