"""Publishing an agenda tells the people with a seat, and reminders carry the agenda."""

from datetime import timedelta

from app.catalogues import services as catalogues
from app.extensions import db
from app.notifications.models import Reason
from tests.enrolments.helpers import NOW, demo_cohort, enrol, impulse_sessions
from tests.notifications.helpers import book, dispatch, notifications


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_publishing_mails_the_agenda_to_booked_people_once(app, mailbox):
    cohort = demo_cohort()
    slot = impulse_sessions(cohort, "verkehrsplanung")[0]
    seated = enrol(cohort)
    book(seated, slot)
    coach = slot.coaches[0]
    catalogues.add_item(slot, "Wie gewinne ich die Kämmerei?", actor=coach, now=NOW)
    catalogues.publish(slot, actor=coach, now=NOW)
    catalogues.unpublish(slot, actor=coach, now=NOW)
    catalogues.publish(slot, actor=coach, now=NOW + timedelta(minutes=1))
    db.session.commit()

    planned = notifications(reason=Reason.AGENDA_PUBLISHED.value)
    assert [n.user_id for n in planned] == [seated.user_id]
    dispatch(NOW + timedelta(minutes=2))
    [message] = [m for m in mailbox.for_recipient(seated.user.email) if "Kämmerei" in _body(m)]
    assert "1. Wie gewinne ich die Kämmerei?" in _body(message)


def test_the_reminder_carries_the_published_agenda(app, mailbox):
    cohort = demo_cohort()
    slot = impulse_sessions(cohort, "verkehrsplanung")[0]
    seated = enrol(cohort)
    book(seated, slot)
    coach = slot.coaches[0]
    catalogues.add_item(slot, "Nicht noch ein Arbeitskreis!", actor=coach, now=NOW)
    catalogues.publish(slot, actor=coach, now=NOW)
    db.session.commit()

    dispatch(slot.starts_at - timedelta(hours=23))
    reminders = [
        m
        for m in mailbox.for_recipient(seated.user.email)
        if "Nicht noch ein Arbeitskreis!" in _body(m)
    ]
    sent_reminders = notifications(reason=Reason.REMINDER.value, state="sent")
    assert sent_reminders  # the week-before and day-before reminders are due by now
    assert len(reminders) == 1 + len(sent_reminders)  # the agenda mail and every reminder
