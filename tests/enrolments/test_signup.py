"""Sign-up: the refusals (nothing saved) and what a valid sign-up stores and sends."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.bookings.models import Booking
from app.catalogues.models import Question, QuestionSource
from app.enrolments import services
from app.enrolments.models import Enrolment, EnrolmentEvent, EnrolmentStatus
from app.extensions import db
from app.programs.models import CohortStatus, Programme, TargetGroup
from tests.enrolments.helpers import NOW, demo_cohort, group
from tests.factories import UserFactory


def _request(cohort, **overrides) -> services.SignupRequest:
    criteria = cohort.programme.eligibility_criteria
    values = {
        "target_group_id": group(cohort, "verkehrsplanung").id,
        "organisation": "Landkreis Esslingen",
        "job_function": "Verkehrsplanerin",
        "confirmed_criterion_ids": [criteria[0].id],
        "consent_given": True,
        "questions": ["Wie gewinne ich die Kämmerei?", "  ", "Wie starte ich einen Arbeitskreis?"],
    }
    values.update(overrides)
    return services.SignupRequest(**values)


def _counts():
    return (
        db.session.scalar(select(func.count(Enrolment.id))),
        db.session.scalar(
            select(func.count(Question.id)).where(
                Question.source == QuestionSource.PARTICIPANT.value
            )
        ),
    )


def test_a_valid_sign_up_stores_answers_consent_questions_and_history(app, mailbox):
    cohort = demo_cohort()
    user = UserFactory()
    enrolment = services.sign_up(cohort, user, _request(cohort), now=NOW)
    db.session.commit()

    assert enrolment.status == EnrolmentStatus.APPLIED
    assert enrolment.organisation == "Landkreis Esslingen"
    assert enrolment.confirmed_criteria == [
        {
            "id": cohort.programme.eligibility_criteria[0].id,
            "text": cohort.programme.eligibility_criteria[0].text,
        }
    ]
    assert enrolment.consent_text == cohort.programme.consent_text
    assert enrolment.consented_at == NOW
    questions = db.session.scalars(select(Question).where(Question.author_id == user.id)).all()
    assert sorted(q.text for q in questions) == [
        "Wie gewinne ich die Kämmerei?",
        "Wie starte ich einen Arbeitskreis?",
    ]
    assert {q.cohort_id for q in questions} == {cohort.id}
    assert [(e.action, e.to_status) for e in enrolment.events] == [("applied", "applied")]
    assert [m["To"] for m in mailbox.messages] == [user.email]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"confirmed_criterion_ids": []}, "criteria"),
        ({"consent_given": False}, "consent"),
        ({"target_group_id": -1}, "target_group"),
        ({"questions": ["x" * 501]}, "questions"),
    ],
)
def test_refusals_name_the_field_and_save_nothing(app, change, field):
    cohort = demo_cohort()
    with pytest.raises(services.SignupRefused) as refused:
        services.sign_up(cohort, UserFactory(), _request(cohort, **change), now=NOW)
    db.session.rollback()
    assert refused.value.field == field
    assert _counts() == (0, 0)


def test_a_target_group_of_another_programme_is_refused(app):
    cohort = demo_cohort()
    elsewhere = TargetGroup(slug="andere", name="Andere Gruppe")
    db.session.add(Programme(slug="anderes", title="Anderes Programm", target_groups=[elsewhere]))
    db.session.commit()
    with pytest.raises(services.SignupRefused) as refused:
        services.sign_up(
            cohort, UserFactory(), _request(cohort, target_group_id=elsewhere.id), now=NOW
        )
    db.session.rollback()
    assert refused.value.field == "target_group"
    assert _counts() == (0, 0)


@pytest.mark.parametrize(
    "when",
    ["before_window", "after_window", "draft", "closed"],
)
def test_sign_up_outside_the_window_or_for_a_closed_cohort_is_refused(app, when):
    cohort = demo_cohort()
    now = NOW
    if when == "before_window":
        now = cohort.signup_opens_at - timedelta(minutes=1)
    elif when == "after_window":
        now = cohort.signup_closes_at
    else:
        cohort.status = CohortStatus.DRAFT.value if when == "draft" else CohortStatus.CLOSED.value
        db.session.commit()
    with pytest.raises(services.SignupRefused) as refused:
        services.sign_up(cohort, UserFactory(), _request(cohort), now=now)
    db.session.rollback()
    assert "not open" in str(refused.value.message)
    assert _counts() == (0, 0)


def test_a_full_cohort_refuses_further_sign_ups(app):
    cohort = demo_cohort()
    cohort.max_participants = 1
    db.session.commit()
    services.sign_up(cohort, UserFactory(), _request(cohort), now=NOW)
    db.session.commit()
    with pytest.raises(services.SignupRefused) as refused:
        services.sign_up(cohort, UserFactory(), _request(cohort), now=NOW)
    assert "full" in str(refused.value.message)


def test_signing_up_twice_is_refused(app):
    cohort = demo_cohort()
    user = UserFactory()
    services.sign_up(cohort, user, _request(cohort), now=NOW)
    db.session.commit()
    with pytest.raises(services.SignupRefused) as refused:
        services.sign_up(cohort, user, _request(cohort), now=NOW)
    db.session.rollback()
    assert "already" in str(refused.value.message)
    assert _counts()[0] == 1


def test_auto_approval_books_the_sessions_for_everyone_and_the_own_kickoff(app):
    cohort = demo_cohort()
    cohort.programme.auto_approve = True
    db.session.commit()
    enrolment = services.sign_up(cohort, UserFactory(), _request(cohort), now=NOW)
    db.session.commit()

    assert enrolment.status == EnrolmentStatus.APPROVED
    booked = db.session.scalars(select(Booking).where(Booking.enrolment_id == enrolment.id)).all()
    kinds = sorted((b.training_session.kind, b.training_session.target_group_id) for b in booked)
    own = group(cohort, "verkehrsplanung").id
    assert kinds == sorted([("info", None), ("kickoff", own), ("closing", None)])
    assert all(b.is_booked for b in booked)


def test_decisions_are_kept_in_the_history_with_actor_and_reason(app, mailbox):
    cohort = demo_cohort()
    participant, organiser = UserFactory(), UserFactory(role="organiser")
    enrolment = services.sign_up(cohort, participant, _request(cohort), now=NOW)
    services.decide(
        enrolment, EnrolmentStatus.WAITLISTED, actor=organiser, now=NOW, reason="Gruppe voll"
    )
    services.decide(
        enrolment,
        EnrolmentStatus.APPROVED,
        actor=organiser,
        now=NOW + timedelta(days=1),
        reason="Platz frei",
    )
    db.session.commit()

    events = db.session.scalars(
        select(EnrolmentEvent).where(EnrolmentEvent.action == "status").order_by(EnrolmentEvent.id)
    ).all()
    assert [(e.from_status, e.to_status, e.actor_id, e.reason) for e in events] == [
        ("applied", "waitlisted", organiser.id, "Gruppe voll"),
        ("waitlisted", "approved", organiser.id, "Platz frei"),
    ]
    subjects = [m["Subject"] for m in mailbox.for_recipient(participant.email)]
    assert len(subjects) == 3


def test_an_impossible_transition_is_refused_and_changes_nothing(app):
    cohort = demo_cohort()
    enrolment = services.sign_up(cohort, UserFactory(), _request(cohort), now=NOW)
    services.withdraw(enrolment, actor=enrolment.user, now=NOW)
    db.session.commit()
    with pytest.raises(services.SignupRefused):
        services.decide(enrolment, EnrolmentStatus.APPROVED, actor=None, now=NOW)
    db.session.rollback()
    assert db.session.get(Enrolment, enrolment.id).status == EnrolmentStatus.WITHDRAWN


def test_bulk_decisions_skip_sign_ups_already_decided(app):
    cohort = demo_cohort()
    organiser = UserFactory(role="organiser")
    first, second, third = (
        services.sign_up(cohort, UserFactory(), _request(cohort), now=NOW) for _ in range(3)
    )
    services.decide(third, EnrolmentStatus.REJECTED, actor=organiser, now=NOW)
    changed, skipped = services.decide_many(
        [first, second, third], EnrolmentStatus.WAITLISTED, actor=organiser, now=NOW
    )
    db.session.commit()
    assert changed == [first, second]
    assert skipped == [third]
