"""Data protection for participants: the export shows the participation, deletion frees seats."""

import json

from sqlalchemy import func, select

from app.bookings import services as bookings
from app.bookings.models import Booking, BookingStatus
from app.catalogues.models import Question, QuestionSource
from app.enrolments.models import Enrolment
from app.extensions import db
from tests.enrolments.helpers import NOW, demo_cohort, enrol, impulse_sessions
from tests.factories import PASSWORD


def _held_and_waiting(cohort, holder_user):
    slot = impulse_sessions(cohort, "verkehrsplanung")[0]
    slot.capacity_min, slot.capacity_max = 0, 1
    db.session.commit()
    holder, waiting = enrol(cohort, user=holder_user), enrol(cohort)
    held = bookings.book(holder, slot.id, actor=holder.user, now=NOW)
    queued = bookings.book(waiting, slot.id, actor=waiting.user, now=NOW)
    db.session.commit()
    return held, queued


def test_the_export_contains_the_participation(client, login_as, app):
    user = login_as()
    cohort = demo_cohort()
    held, _ = _held_and_waiting(cohort, user)
    data = json.loads(client.get("/account/export").data)
    [participation] = data["participation"]
    assert participation["cohort"] == cohort.name
    assert participation["consent_text"] == "Einwilligung"
    assert participation["bookings"][0]["session"] == held.training_session.title
    assert [e["action"] for e in participation["history"]] == ["booked"]
    assert participation["certificates"] == []
    # The booking's confirmation and its reminders, all about this cohort.
    assert "booking_booked" in {m["reason"] for m in data["messages"]}
    assert {m["cohort"] for m in data["messages"]} == {cohort.name}


def test_deleting_the_account_gives_the_seat_to_the_first_person_waiting(client, login_as, app):
    user = login_as()
    cohort = demo_cohort()
    held, queued = _held_and_waiting(cohort, user)
    held_enrolment_id, queued_id = held.enrolment_id, queued.id
    response = client.submit(
        "/account/delete", {"current_password": PASSWORD}, form_page="/account/"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Enrolment, held_enrolment_id) is None
    assert db.session.get(Booking, queued_id).status == BookingStatus.BOOKED


def test_deleting_the_account_erases_the_persons_own_questions(client, login_as, app):
    user = login_as()
    cohort = demo_cohort()
    enrolment = enrol(cohort, user=user)
    db.session.add(
        Question(
            target_group_id=enrolment.target_group_id,
            cohort_id=cohort.id,
            author_id=user.id,
            text="Meine Frage",
            source=QuestionSource.PARTICIPANT.value,
        )
    )
    db.session.commit()
    client.submit("/account/delete", {"current_password": PASSWORD}, form_page="/account/")
    db.session.expire_all()
    assert db.session.scalar(select(Question).where(Question.text == "Meine Frage")) is None
    assert db.session.scalar(select(func.count(Question.id))) > 0  # the catalogue stays
