"""Programmes, cohorts and sessions for the public-page, calendar and coach tests.

Defaults describe a published cohort in Europe/Berlin around the October 2026 change from
summer to winter time (Sunday 25 October 2026, 03:00 CEST → 02:00 CET).
"""

from datetime import UTC, datetime, timedelta

import factory

from app.extensions import db
from app.programs.models import Cohort, CohortStatus, EligibilityCriterion, Programme, TargetGroup
from app.sessions.models import SessionFormat, SessionKind, TrainingSession
from tests.factories import BaseFactory


def _add_related(collection, create, users) -> None:
    """Append `users` to a many-to-many collection; committed like the factories' own rows."""
    collection.extend(users or ())
    if create and users:
        db.session.commit()


class ProgrammeFactory(BaseFactory):
    class Meta:
        model = Programme

    slug = factory.Sequence(lambda n: f"programm-{n}")
    title = factory.Sequence(lambda n: f"Programm {n}")
    summary = "Ein Unterstützungsangebot für Kommunen."
    description = "Erster Absatz.\n\nZweiter Absatz."
    eligibility_min_criteria = 1

    @factory.post_generation
    def managers(self, create, extracted, **kwargs):
        _add_related(self.managers, create, extracted)


class TargetGroupFactory(BaseFactory):
    class Meta:
        model = TargetGroup

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"gruppe-{n}")
    name = factory.Sequence(lambda n: f"Zielgruppe {n}")
    description = "Wer dazugehört."
    position = factory.Sequence(int)


class EligibilityCriterionFactory(BaseFactory):
    class Meta:
        model = EligibilityCriterion

    programme = factory.SubFactory(ProgrammeFactory)
    text = factory.Sequence(lambda n: f"Kriterium {n}")
    position = factory.Sequence(int)


class CohortFactory(BaseFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"durchgang-{n}")
    name = factory.Sequence(lambda n: f"Durchgang {n}")
    status = CohortStatus.OPEN.value
    timezone = "Europe/Berlin"
    signup_opens_at = datetime(2026, 9, 1, 6, tzinfo=UTC)
    signup_closes_at = datetime(2026, 10, 15, 21, 59, tzinfo=UTC)


class TrainingSessionFactory(BaseFactory):
    class Meta:
        model = TrainingSession

    cohort = factory.SubFactory(CohortFactory)
    kind = SessionKind.IMPULSE.value
    title = factory.Sequence(lambda n: f"Impuls-Training {n}")
    description = "Fragen aus der Praxis."
    format = SessionFormat.ONLINE.value
    meeting_url = factory.Sequence(lambda n: f"https://meet.example.org/geheim-{n}")
    starts_at = datetime(2026, 10, 23, 8, tzinfo=UTC)  # Friday 10:00 CEST
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    capacity_min = 6
    capacity_max = 8

    @factory.post_generation
    def coaches(self, create, extracted, **kwargs):
        _add_related(self.coaches, create, extracted)
