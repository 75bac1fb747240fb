"""The organisers' outbox page: filters, resending failed messages, pausing, the offsets."""

from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import update

from app.extensions import db
from app.notifications.models import Notification, NotificationState, Reason
from tests.factories import UserFactory
from tests.notifications.helpers import (
    book,
    demo_cohort,
    dispatch,
    enrol,
    notifications,
    organiser_of,
)
from tests.sessions.helpers import sign_in, tr


@pytest.fixture
def cohort(app):
    cohort = demo_cohort()
    cohort.programme.minimum_alert_hours = 0
    db.session.commit()
    return cohort


@pytest.fixture
def organiser(client, cohort):
    user = organiser_of(cohort)
    user.password_hash = UserFactory.password_hash
    db.session.commit()
    sign_in(client, user)
    return user


def _page(client, cohort, **args) -> str:
    response = client.get(f"/manage/cohorts/{cohort.id}/outbox", query_string=args)
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def _rows(page: str) -> str:
    return page.split("<tbody>")[1].split("</tbody>")[0]


def _fail(notification_ids) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_(notification_ids))
        .values(state=NotificationState.FAILED.value, attempts=8, last_error="451 mailbox busy")
    )
    db.session.commit()


def test_the_outbox_lists_the_cohorts_messages_with_their_state(client, organiser, cohort, slot):
    anna = enrol(cohort, user=UserFactory(name="Anna Ampel"))
    book(anna, slot)
    page = _page(client, cohort)
    assert "Anna Ampel" in page
    assert anna.user.email in page
    assert tr("Seat booked", "de") in page
    assert tr("Reminder", "de") in page
    assert tr("sent", "de") in page
    assert tr("pending", "de") in page
    assert slot.title in page


def test_filters_by_state_reason_and_person(client, organiser, cohort, slot):
    anna = enrol(cohort, user=UserFactory(name="Anna Ampel"))
    bernd = enrol(cohort, user=UserFactory(name="Bernd Bus"))
    book(anna, slot)
    book(bernd, slot)

    only_anna = _rows(_page(client, cohort, person="ampel"))
    assert "Anna Ampel" in only_anna
    assert "Bernd Bus" not in only_anna
    by_mail = _rows(_page(client, cohort, person=bernd.user.email.upper()))
    assert "Bernd Bus" in by_mail
    assert "Anna Ampel" not in by_mail

    sent = _rows(_page(client, cohort, state="sent"))
    assert sent.count("<tr>") == 2
    assert tr("Seat booked", "de") in sent
    assert tr("Feedback request", "de") not in sent
    reminders = _rows(_page(client, cohort, reason="reminder"))
    assert reminders.count("<tr>") == 4
    assert tr("Seat booked", "de") not in reminders
    both = _rows(_page(client, cohort, reason="reminder", person="Bus", state="pending"))
    assert both.count("<tr>") == 2
    assert "Anna Ampel" not in both


def test_unknown_filter_values_are_ignored(client, organiser, cohort, slot):
    book(enrol(cohort), slot)
    filtered = _page(client, cohort, state="nonsense", reason="x'--")
    assert _rows(filtered) == _rows(_page(client, cohort))


def test_the_page_costs_the_same_number_of_queries_for_many_rows(
    client, organiser, cohort, slot, count_queries
):
    slot.capacity_max = 30
    db.session.commit()
    book(enrol(cohort), slot)
    with count_queries() as few:
        _page(client, cohort)
    for _ in range(15):
        book(enrol(cohort), slot)
    with count_queries() as many:
        _page(client, cohort)
    assert len(many) == len(few)


def test_a_failed_message_can_be_sent_again(client, organiser, cohort, slot, mailbox):
    person = enrol(cohort)
    book(person, slot)
    [confirmation] = notifications(reason=Reason.BOOKING_BOOKED.value)
    _fail([confirmation.id])
    page = _page(client, cohort, state="failed")
    assert "451 mailbox busy" in page
    assert tr("Send again", "de") in page
    before = len(mailbox.for_recipient(person.user.email))

    response = client.submit(
        f"/manage/notifications/{confirmation.id}/resend",
        form_page=f"/manage/cohorts/{cohort.id}/outbox",
    )

    assert response.status_code == 302
    [row] = notifications(id=confirmation.id)
    assert (row.state, row.attempts) == ("sent", 1)
    assert len(mailbox.for_recipient(person.user.email)) == before + 1


def test_all_failed_messages_of_a_cohort_can_be_sent_again(client, organiser, cohort, slot):
    for _ in range(3):
        book(enrol(cohort), slot)
    confirmations = notifications(reason=Reason.BOOKING_BOOKED.value)
    _fail([n.id for n in confirmations])
    response = client.submit(f"/manage/cohorts/{cohort.id}/outbox/resend-failed")
    assert response.status_code == 302
    assert {n.state for n in notifications(reason=Reason.BOOKING_BOOKED.value)} == {"sent"}


def test_only_failed_messages_are_resent(client, organiser, cohort, slot):
    book(enrol(cohort), slot)
    [sent] = notifications(reason=Reason.BOOKING_BOOKED.value)
    client.submit(f"/manage/notifications/{sent.id}/resend")
    assert notifications(id=sent.id)[0].attempts == 1


def test_pausing_and_resuming_reminders(client, organiser, cohort, slot):
    booking = book(enrol(cohort), slot)
    response = client.submit(f"/manage/cohorts/{cohort.id}/outbox/pause")
    assert response.status_code == 302
    db.session.refresh(cohort)
    assert cohort.reminders_paused
    assert tr("Resume reminders", "de") in _page(client, cohort)
    assert dispatch(slot.starts_at - timedelta(days=6)).sent == 0

    client.submit(f"/manage/cohorts/{cohort.id}/outbox/resume")
    db.session.refresh(cohort)
    assert not cohort.reminders_paused
    assert dispatch(slot.starts_at - timedelta(days=6)).sent == 1
    assert notifications(booking_id=booking.id, reason="reminder")[0].state == "sent"


def test_reminder_offsets_are_saved_and_replanned(client, organiser, cohort, slot):
    booking = book(enrol(cohort), slot)
    page = _page(client, cohort)
    assert 'value="168, 24"' in page
    response = client.submit(f"/manage/cohorts/{cohort.id}/outbox/reminders", {"offsets": "72"})
    assert response.status_code == 302
    pending = notifications(booking_id=booking.id, reason="reminder", state="pending")
    assert [n.due_at for n in pending] == [slot.starts_at - timedelta(hours=72)]


def test_bad_offsets_are_explained_and_change_nothing(client, organiser, cohort):
    response = client.submit(
        f"/manage/cohorts/{cohort.id}/outbox/reminders", {"offsets": "eine Woche"}
    )
    assert response.status_code == 422
    assert tr("Please enter whole hours separated by commas, e.g. 168, 24.", "de") in unescape(
        response.get_data(as_text=True)
    )
    db.session.refresh(cohort)
    assert cohort.reminder_offsets_hours == "168, 24"


def test_the_cohort_page_links_to_the_outbox(client, organiser, cohort):
    page = client.get(f"/manage/cohorts/{cohort.id}").get_data(as_text=True)
    assert f"/manage/cohorts/{cohort.id}/outbox" in page
