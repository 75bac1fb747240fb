"""Issue 5 in a browser: a participant asks a question, the coach puts it on the agenda of the
participant's impulse training, rewords it and publishes it; the participant sees it there."""

from playwright.sync_api import expect
from sqlalchemy import select

from app.auth.models import User
from app.bookings import services as bookings
from app.catalogues.models import Question
from app.catalogues.queries import published_agenda
from app.db_types import utcnow
from app.enrolments.models import Enrolment, EnrolmentStatus
from app.extensions import db
from tests.e2e.flows import PARTICIPANT, demo_programme, flash, sign_in, sign_out

COACH = "coach@fahrplan.example"
QUESTION = "Wie gewinne ich die Kämmerei für Tempo 30?"
GUIDING_QUESTION = "Wie verschaffe ich mir Gehör für die Themen?"
REWORDED = "Kämmerei und Tempo 30: Argumente, die überzeugen"


def _approved_with_a_seat(programme):
    """The demo participant, approved for Verkehrsplaner:innen, booked into Baustein 1."""
    cohort = programme.cohorts[0]
    group = next(g for g in programme.target_groups if g.slug == "verkehrsplanung")
    participant = db.session.scalar(select(User).where(User.email == PARTICIPANT))
    enrolment = Enrolment(
        cohort=cohort,
        user=participant,
        target_group=group,
        status=EnrolmentStatus.APPROVED.value,
        organisation=participant.organisation,
        job_function="Verkehrsplanerin",
        confirmed_criteria=[],
        consent_text=programme.consent_text,
        consented_at=utcnow(),
    )
    db.session.add(enrolment)
    db.session.flush()
    training = next(
        s for s in cohort.sessions if s.kind == "impulse" and s.target_group_id == group.id
    )
    bookings.book(enrolment, training.id, actor=participant, now=utcnow(), quiet=True)
    db.session.commit()
    return enrolment, training


def test_a_participants_question_reaches_the_published_agenda(page, t, axe_check):
    programme = demo_programme()
    enrolment, training = _approved_with_a_seat(programme)
    cohort = programme.cohorts[0]

    sign_in(page, t, PARTICIPANT)
    page.get_by_role("link", name=t("My programmes")).click()
    page.get_by_role("link", name=f"{programme.title} – {cohort.name}").click()
    page.get_by_role(
        "link", name=t("Guiding questions of your group and your own questions")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Your questions"))
    axe_check(page)
    important = page.get_by_role("listitem").filter(has_text=GUIDING_QUESTION)
    important.get_by_role("button", name=t("Mark as important")).click()
    expect(flash(page)).to_contain_text(t("Marked as important to you."))
    expect(important).to_contain_text(t("Marked as important"))
    page.get_by_label(t("Your question")).fill(QUESTION)
    page.get_by_role("button", name=t("Submit question")).click()
    expect(flash(page)).to_contain_text(t("Thank you, your question has been saved."))
    expect(page.get_by_role("region", name=t("Your own questions"))).to_contain_text(QUESTION)
    sign_out(page, t)

    sign_in(page, t, COACH)
    page.get_by_role("link", name=t("My sessions")).click()
    page.get_by_role("link", name=training.title, exact=True).click()
    page.get_by_role("link", name=t("Prepare this session: questions and agenda")).click()
    ranked = page.get_by_role("row").filter(has_text=QUESTION)
    expect(ranked).to_contain_text(t("%(people)s of %(booked)s", people=1, booked=1))
    marked = page.get_by_role("row").filter(has_text=GUIDING_QUESTION)
    expect(marked).to_contain_text(t("%(people)s of %(booked)s", people=1, booked=1))
    axe_check(page)
    ranked.get_by_role("button", name=t("Add to agenda")).click()
    expect(flash(page)).to_contain_text(t("The question is on the agenda now."))
    item = page.get_by_label(t("Agenda item %(number)s", number=1))
    expect(item).to_have_value(QUESTION)
    item.fill(REWORDED)
    page.get_by_role("button", name=t("Save wording")).click()
    expect(flash(page)).to_contain_text(t("The item has been saved."))
    page.get_by_role("button", name=t("Publish agenda")).click()
    expect(flash(page)).to_contain_text(
        t("The agenda is published: the booked participants see it now.")
    )
    axe_check(page)
    sign_out(page, t)

    sign_in(page, t, PARTICIPANT)
    page.get_by_role("link", name=t("My programmes")).click()
    page.get_by_role("link", name=training.title).first.click()
    agenda = page.get_by_role("region", name=t("Agenda"))
    expect(agenda.get_by_role("listitem")).to_have_text([REWORDED])
    axe_check(page)
    assert published_agenda(training.id) == [REWORDED]
    own = db.session.scalar(select(Question).where(Question.author_id == enrolment.user_id))
    assert own.text == QUESTION


def test_the_coach_keeps_the_catalogue_and_prints_the_agenda(page, t, axe_check):
    programme = demo_programme()
    _, training = _approved_with_a_seat(programme)
    group = training.target_group
    kickoff = next(
        s for s in programme.cohorts[0].sessions if s.kind == "kickoff" and s.target_group == group
    )

    sign_in(page, t, COACH)
    page.goto(f"/sessions/{kickoff.id}/coach")
    page.get_by_role("link", name=t("Record the guiding questions of this kick-off")).click()
    axe_check(page)
    page.get_by_role("button", name=t("Record question")).click()
    expect(page.get_by_label(t("Question"))).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_be_visible()
    axe_check(page)
    page.get_by_label(t("Question")).fill("Wer entscheidet über den Zielfahrplan?")
    page.get_by_label(t("Topic block")).select_option(label=t("Topic block %(number)s", number=2))
    page.get_by_role("button", name=t("Record question")).click()
    expect(flash(page)).to_contain_text(
        t("The guiding question has been added to the group's catalogue.")
    )

    page.get_by_role("link", name=t("The whole catalogue of %(group)s", group=group.name)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Catalogue: %(group)s", group=group.name)
    )
    expect(page.get_by_role("main")).to_contain_text("Wer entscheidet über den Zielfahrplan?")
    axe_check(page)

    page.goto(f"/catalogues/sessions/{training.id}/prepare")
    page.get_by_label(t("New agenda item")).fill("Rückblick auf den Auftakt")
    page.get_by_role("button", name=t("Add to agenda")).first.click()
    expect(flash(page)).to_contain_text(t("The item has been added to the agenda."))
    page.get_by_role("link", name=t("Print view")).click()
    sheet = page.get_by_role("article")
    expect(sheet.get_by_role("listitem")).to_have_text(["Rückblick auf den Auftakt"])
    axe_check(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(sheet).to_be_visible()
