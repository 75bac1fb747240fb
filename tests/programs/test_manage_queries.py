"""The organiser pages need as many queries for a full cohort as for a small one (no N+1)."""

from tests.programs.factories import coach, cohort, programme, training_session, wall


def test_the_cohort_page_needs_the_same_queries_for_many_sessions(client, login_as, count_queries):
    me = login_as("organiser", locale="en")
    prog = programme(me, groups=("A", "B", "C"))
    run = cohort(prog, me)
    trainers = [coach().id, coach().id]

    def add(day: int, group) -> None:
        training_session(
            run,
            me,
            audience=group.id,
            coaches=trainers,
            starts_at=wall(f"2026-10-{day:02d} 14:00"),
            ends_at=wall(f"2026-10-{day:02d} 16:00"),
        )

    add(1, prog.target_groups[0])
    with count_queries() as few:
        assert client.get(f"/manage/cohorts/{run.id}").status_code == 200
    for day in range(2, 22):
        add(day, prog.target_groups[day % 3])
    with count_queries() as many:
        page = client.get(f"/manage/cohorts/{run.id}")
    assert page.status_code == 200
    assert page.text.count('<th scope="row">') == 21
    assert len(many) == len(few)


def test_the_start_page_needs_the_same_queries_for_many_programmes(client, login_as, count_queries):
    me = login_as("organiser", locale="en")
    cohort(programme(me, groups=()), me)
    with count_queries() as few:
        assert client.get("/manage/").status_code == 200
    for number in range(8):
        cohort(programme(me, title=f"Programm {number}", groups=()), me)
    with count_queries() as many:
        assert client.get("/manage/").status_code == 200
    assert len(many) == len(few)
