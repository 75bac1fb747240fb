"""Organisers see, per cohort, which questions were marked and asked most across the groups."""

import pytest

from app.catalogues.queries import cohort_question_stats
from app.enrolments.models import EnrolmentStatus
from tests.catalogues.helpers import ask, browser_for, enrol, load, mark, text_of


@pytest.fixture
def demo(app):
    return load()


def test_marks_and_asked_questions_across_groups_most_first(server_app, demo):
    planner_question = demo.catalogue()[2]
    leader_question = demo.catalogue("fuehrungsebene")[0]
    planners = [enrol(demo, book=()) for _ in range(3)]
    leaders = [enrol(demo, "fuehrungsebene", book=()) for _ in range(2)]
    for enrolment in planners:
        mark(enrolment, planner_question)
    mark(leaders[0], leader_question)
    ask(leaders[0], "Wie überzeuge ich den Rat?")
    ask(leaders[1], "  wie überzeuge ich   den Rat ")
    withdrawn = enrol(demo, book=(), status=EnrolmentStatus.WITHDRAWN)
    mark(withdrawn, leader_question)
    ask(withdrawn, "Zurückgezogen gefragt")

    rows = cohort_question_stats(demo.cohort)
    top = [(r.text, r.group.slug, r.source, r.marked, r.asked) for r in rows[:3]]
    assert top == [
        (planner_question.text, "verkehrsplanung", "programme", 3, 0),
        ("Wie überzeuge ich den Rat?", "fuehrungsebene", "participant", 0, 2),
        (leader_question.text, "fuehrungsebene", "programme", 1, 0),
    ]
    assert "Zurückgezogen gefragt" not in [r.text for r in rows]
    # Every catalogue question of every group is listed, unmarked ones too.
    catalogue_size = sum(len(demo.catalogue(g.slug)) for g in demo.programme.target_groups)
    assert len(rows) == catalogue_size + 1

    page = text_of(
        browser_for(server_app, demo.organiser).get(
            f"/catalogues/cohorts/{demo.cohort.id}/questions"
        )
    )
    assert page.index(planner_question.text) < page.index("Wie überzeuge ich den Rat?")
    assert page.index("Wie überzeuge ich den Rat?") < page.index(leader_question.text)


def test_the_programme_page_links_the_catalogues_and_cohorts(server_app, demo):
    page = text_of(
        browser_for(server_app, demo.organiser).get(f"/catalogues/programmes/{demo.programme.id}")
    )
    for group in demo.programme.target_groups:
        assert f"/catalogues/groups/{group.id}" in page
    assert f"/catalogues/cohorts/{demo.cohort.id}/questions" in page
