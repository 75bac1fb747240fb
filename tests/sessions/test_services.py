"""Scheduling, rescheduling, cancelling and deleting sessions: every rule, nothing half-saved.

The cohort (Europe/Berlin) has its sign-up window from 1 August to 30 September 2026; summer
time ends on Sunday 25 October 2026 (03:00 CEST → 02:00 CET) and begins again on 28 March 2027.
"""

from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.programs.errors import CohortArchived, NotAllowed, Refused, ValidationFailed
from app.programs.models import CohortStatus
from app.sessions import services
from app.sessions.models import SessionStatus, TrainingSession
from tests.programs.factories import (
    coach,
    cohort,
    count,
    organiser,
    programme,
    session_input,
    training_session,
    wall,
)

pytestmark = pytest.mark.usefixtures("english_messages")

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def actor(app):
    return organiser(name="Olga Organisatorin")


@pytest.fixture
def run(actor):
    return cohort(programme(actor), actor)


def refusal(run, actor, **fields) -> ValidationFailed:
    """Try to schedule a session; return the refusal and check that nothing was saved."""
    with pytest.raises(ValidationFailed) as caught:
        services.create_session(run, session_input(**fields), actor=actor)
    db.session.rollback()
    assert count(TrainingSession) == 0
    return caught.value


def test_a_session_is_stored_in_utc_from_the_local_time_typed(run, actor):
    group = run.programme.target_groups[1]
    trainer = coach(name="Chris Coach")
    created = training_session(run, actor, audience=group.id, coaches=[trainer.id])

    db.session.expire_all()
    stored = db.session.get(TrainingSession, created.id)
    assert stored.starts_at == datetime(2026, 10, 20, 12, 0, tzinfo=UTC)  # 14:00 CEST
    assert stored.ends_at == datetime(2026, 10, 20, 14, 0, tzinfo=UTC)
    assert stored.target_group == group
    assert stored.coaches == [trainer]
    assert (stored.capacity_min, stored.capacity_max, stored.topic_block) == (6, 8, 1)
    assert stored.status == SessionStatus.SCHEDULED


def test_a_session_across_the_last_sunday_of_october_keeps_both_offsets(run, actor):
    # From Saturday 22:00 summer time to Sunday 04:00 winter time: seven hours, not six.
    created = training_session(
        run,
        actor,
        kind="other",
        title="Nachtwanderung",
        starts_at=wall("2026-10-24 22:00"),
        ends_at=wall("2026-10-25 04:00"),
    )

    db.session.expire_all()
    stored = db.session.get(TrainingSession, created.id)
    assert stored.starts_at == datetime(2026, 10, 24, 20, 0, tzinfo=UTC)
    assert stored.ends_at == datetime(2026, 10, 25, 3, 0, tzinfo=UTC)
    assert (stored.ends_at - stored.starts_at).total_seconds() == 7 * 3600


def test_the_repeated_hour_in_october_means_its_first_occurrence(run, actor):
    created = training_session(
        run, actor, starts_at=wall("2026-10-25 02:30"), ends_at=wall("2026-10-25 04:30")
    )
    assert created.starts_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert created.ends_at == datetime(2026, 10, 25, 3, 30, tzinfo=UTC)


def test_a_start_in_the_skipped_hour_of_march_is_refused(actor):
    run = cohort(
        programme(actor, title="Frühjahr"),
        actor,
        signup_opens=wall("2027-01-10 08:00"),
        signup_closes=wall("2027-03-01 18:00"),
    )
    error = refusal(
        run, actor, starts_at=wall("2027-03-28 02:30"), ends_at=wall("2027-03-28 05:00")
    )
    assert error.field == "starts_at"
    assert "2027-03-28 02:30 does not exist in Europe/Berlin" in str(error.message)


def test_an_end_in_the_skipped_hour_is_refused_on_the_end(actor):
    run = cohort(
        programme(actor, title="Frühjahr"),
        actor,
        signup_opens=wall("2027-01-10 08:00"),
        signup_closes=wall("2027-03-01 18:00"),
    )
    error = refusal(
        run, actor, starts_at=wall("2027-03-28 01:00"), ends_at=wall("2027-03-28 02:15")
    )
    assert error.field == "ends_at"


@pytest.mark.parametrize(
    ("end", "field", "words"),
    [
        ("2026-10-20 14:00", "ends_at", "end must be after the start"),
        ("2026-10-20 13:00", "ends_at", "end must be after the start"),
        ("2026-10-21 14:30", "ends_at", "at most 24 hours"),
    ],
)
def test_the_end_must_follow_the_start_within_a_day(run, actor, end, field, words):
    error = refusal(run, actor, starts_at=wall("2026-10-20 14:00"), ends_at=wall(end))
    assert error.field == field
    assert words in str(error.message)


def test_a_session_before_the_sign_up_window_opens_is_refused(run, actor):
    error = refusal(
        run, actor, starts_at=wall("2026-07-31 10:00"), ends_at=wall("2026-07-31 12:00")
    )
    assert error.field == "starts_at"
    assert "before the cohort's sign-up window opens" in str(error.message)


def test_a_session_more_than_two_years_after_the_window_is_refused(run, actor):
    error = refusal(
        run, actor, starts_at=wall("2028-10-20 14:00"), ends_at=wall("2028-10-20 16:00")
    )
    assert error.field == "starts_at"
    assert "more than two years after the sign-up window closes" in str(error.message)


def test_the_plausible_dates_run_from_the_opening_to_two_years_after_closing(run, actor):
    training_session(
        run, actor, starts_at=wall("2026-08-01 08:00"), ends_at=wall("2026-08-01 10:00")
    )
    training_session(
        run, actor, starts_at=wall("2028-09-30 10:00"), ends_at=wall("2028-09-30 12:00")
    )
    assert count(TrainingSession) == 2


@pytest.mark.parametrize(
    ("capacity", "field", "words"),
    [
        ({"capacity_min": 9, "capacity_max": 8}, "capacity_min", "cannot be above the maximum"),
        ({"capacity_min": -1, "capacity_max": 8}, "capacity_min", "cannot be negative"),
        ({"capacity_min": 0, "capacity_max": -3}, "capacity_max", "at least 1"),
        ({"capacity_min": 0, "capacity_max": 0}, "capacity_max", "at least 1"),
    ],
)
def test_capacities_must_make_sense(run, actor, capacity, field, words):
    error = refusal(run, actor, **capacity)
    assert error.field == field
    assert words in str(error.message)
    assert "participants" in str(error.message)


def test_a_target_group_of_another_programme_is_refused(run, actor):
    foreign = programme(actor, title="Anderes Programm", groups=("Fremde Gruppe",))
    error = refusal(run, actor, audience=foreign.target_groups[0].id)
    assert error.field == "audience"
    assert "target groups" in str(error.message)


def test_an_unknown_target_group_is_refused(run, actor):
    assert refusal(run, actor, audience=99999).field == "audience"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"format": "online", "meeting_url": ""}, "meeting_url"),
        ({"format": "online", "meeting_url": "meet.example.org/raum"}, "meeting_url"),
        ({"format": "online", "meeting_url": "javascript:alert(1)"}, "meeting_url"),
        ({"format": "online", "meeting_url": "ftp://files.example.org/"}, "meeting_url"),
        ({"format": "online", "meeting_url": "https://meet example.org"}, "meeting_url"),
        ({"format": "in_person", "location": "   "}, "location"),
        ({"format": "hybrid"}, "format"),
        ({"kind": "party"}, "kind"),
        ({"title": "  "}, "title"),
        ({"topic_block": 4}, "topic_block"),
    ],
)
def test_format_kind_title_and_block_are_checked(run, actor, fields, field):
    assert refusal(run, actor, **fields).field == field


def test_an_in_person_session_keeps_the_address_and_drops_any_link(run, actor):
    created = training_session(
        run,
        actor,
        kind="closing",
        format="in_person",
        location="Haus der Wirtschaft, Stuttgart",
        meeting_url="https://meet.example.org/alt",
    )
    assert (created.location, created.meeting_url) == ("Haus der Wirtschaft, Stuttgart", "")


def test_only_coaches_can_coach(run, actor):
    participant_or_organiser = organiser(name="Keine Trainerin")
    error = refusal(run, actor, coaches=[coach().id, participant_or_organiser.id])
    assert error.field == "coaches"


def test_an_archived_cohort_gets_no_new_sessions(run, actor):
    run.status = CohortStatus.ARCHIVED.value
    db.session.commit()
    with pytest.raises(CohortArchived) as caught:
        services.create_session(run, session_input(), actor=actor)
    assert "archived" in str(caught.value.message)
    db.session.rollback()
    assert count(TrainingSession) == 0


def test_someone_who_does_not_manage_the_programme_is_refused(run):
    with pytest.raises(NotAllowed):
        services.create_session(run, session_input(), actor=organiser())


def test_rescheduling_moves_the_session_and_checks_the_same_rules(run, actor):
    created = training_session(run, actor)
    services.update_session(
        created,
        session_input(starts_at=wall("2026-10-27 14:00"), ends_at=wall("2026-10-27 16:00")),
        actor=actor,
    )
    db.session.commit()
    assert created.starts_at == datetime(2026, 10, 27, 13, 0, tzinfo=UTC)  # winter time now

    with pytest.raises(ValidationFailed) as caught:
        services.update_session(
            created,
            session_input(starts_at=wall("2026-10-27 14:00"), ends_at=wall("2026-10-27 13:00")),
            actor=actor,
        )
    assert caught.value.field == "ends_at"
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(TrainingSession, created.id).ends_at == datetime(
        2026, 10, 27, 15, 0, tzinfo=UTC
    )


def test_sessions_of_an_archived_cohort_cannot_be_changed(run, actor):
    created = training_session(run, actor)
    run.status = CohortStatus.ARCHIVED.value
    db.session.commit()
    with pytest.raises(CohortArchived):
        services.update_session(created, session_input(title="Neu"), actor=actor)
    with pytest.raises(CohortArchived):
        services.cancel_session(created, "Krank", actor=actor, now=NOW)
    with pytest.raises(CohortArchived):
        services.delete_session(created, actor=actor)
    db.session.rollback()
    db.session.expire_all()
    stored = db.session.get(TrainingSession, created.id)
    assert (stored.title, stored.status) == ("Impuls-Training Baustein 1", "scheduled")


def test_cancelling_keeps_the_session_with_its_reason(run, actor):
    created = training_session(run, actor)
    services.cancel_session(created, "  Die Referentin ist erkrankt. ", actor=actor, now=NOW)
    db.session.commit()

    db.session.expire_all()
    stored = db.session.get(TrainingSession, created.id)
    assert stored.is_cancelled
    assert stored.cancellation_reason == "Die Referentin ist erkrankt."
    assert stored.cancelled_at == NOW


def test_a_cancellation_needs_a_reason_and_happens_once(run, actor):
    created = training_session(run, actor)
    with pytest.raises(ValidationFailed) as caught:
        services.cancel_session(created, "  ", actor=actor, now=NOW)
    assert caught.value.field == "reason"
    db.session.rollback()
    assert not db.session.get(TrainingSession, created.id).is_cancelled

    services.cancel_session(created, "Krank", actor=actor, now=NOW)
    with pytest.raises(Refused, match="already cancelled"):
        services.cancel_session(created, "Nochmal", actor=actor, now=NOW)


def test_a_cancelled_session_cannot_be_edited(run, actor):
    created = training_session(run, actor)
    services.cancel_session(created, "Krank", actor=actor, now=NOW)
    with pytest.raises(Refused, match="cancelled"):
        services.update_session(created, session_input(title="Doch"), actor=actor)


def test_a_session_without_bookings_can_be_deleted(run, actor):
    created = training_session(run, actor, coaches=[coach().id])
    services.delete_session(created, actor=actor)
    db.session.commit()
    assert count(TrainingSession) == 0


def test_a_session_with_bookings_cannot_be_deleted(run, actor, monkeypatch):
    created = training_session(run, actor)
    monkeypatch.setattr(services, "session_has_bookings", lambda training_session: True)
    with pytest.raises(services.SessionHasBookings, match="Cancel it instead"):
        services.delete_session(created, actor=actor)
    db.session.rollback()
    assert count(TrainingSession) == 1


def test_no_session_has_bookings_before_the_sign_up_issue(run, actor):
    assert services.session_has_bookings(training_session(run, actor)) is False


@pytest.mark.parametrize(
    ("kind", "capacity"),
    [("impulse", (6, 8)), ("info", (0, 200)), ("closing", (0, 120)), ("unknown", (0, 30))],
)
def test_the_form_starts_with_capacities_that_fit_the_kind(kind, capacity):
    assert services.default_capacity(kind) == capacity


def test_coach_choices_are_enabled_coaches_only(app):
    chosen = coach(name="Anna Aktiv")
    coach(name="Gesperrt", is_enabled=False)
    organiser(name="Olga")
    assert services.coach_choices() == [chosen]
