"""The impact report: figures per cohort and target group, the page and the workbook."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app.certificates import services as certificates
from app.enrolments.models import EnrolmentStatus
from app.extensions import db
from app.privacy import retention
from app.reports.programme import programme_report
from tests.certificates.helpers import AFTER, demo_cohort, enrol, take_part


@pytest.fixture
def cohort(app):
    return demo_cohort()


@pytest.fixture
def story(cohort):
    """Two people took part fully (one is certified), one came to the kick-off only, one is on
    the waiting list for the cohort."""
    organiser = cohort.programme.managers[0]
    certified = take_part(cohort)
    certificates.issue(certified, actor=organiser, now=AFTER)
    take_part(cohort)
    take_part(cohort, impulse=0, closing=False, info=False)
    enrol(cohort, status=EnrolmentStatus.WAITLISTED)
    db.session.commit()
    return organiser


def report(cohort, now=AFTER):
    return programme_report(cohort.programme, now=now, total_label="Alle")


def test_a_cohort_line_counts_people_seats_and_attendance(cohort, story):
    [line] = report(cohort).cohorts
    assert (line.signups, line.participants, line.waitlisted) == (4, 3, 1)
    assert line.certificates == 1
    held = [s for s in cohort.sessions if not s.is_cancelled]
    assert line.sessions_held == len(held)
    assert line.capacity == sum(s.capacity_max for s in held)
    # Bookings: 2 × (info, kick-off, two trainings, closing) + 1 kick-off; all attended.
    assert line.booked == line.attended == 11
    assert line.attendance_rate == 1
    assert line.certificate_rate == pytest.approx(1 / 3)


def test_sessions_ahead_do_not_count_as_held(cohort, story):
    first = min(s.starts_at for s in cohort.sessions)
    [line] = report(cohort, now=first - timedelta(minutes=1)).cohorts
    assert (line.sessions_held, line.capacity, line.booked) == (0, 0, 0)
    assert line.fill_rate is None
    assert line.attendance_rate is None


def test_target_groups_add_up_across_cohorts(cohort, story):
    result = report(cohort)
    [group] = result.target_groups
    assert group.label == "Verkehrsplaner:innen"
    assert (group.signups, group.participants, group.certificates) == (4, 3, 1)
    assert result.total.signups == 4


def test_an_erased_cohort_reports_the_figures_kept_at_erasure(cohort, story):
    before = report(cohort).cohorts[0]
    ended = retention.cohort_ended_at(cohort)
    retention.erase_due(now=ended + timedelta(days=365), retention=timedelta(days=365))
    db.session.expire_all()
    after = report(cohort).cohorts[0]
    assert after.erased_at is not None
    counts = ("signups", "participants", "waitlisted", "certificates", "booked", "attended")
    assert [getattr(after, name) for name in counts] == [getattr(before, name) for name in counts]


def test_the_page_shows_the_cohort_and_the_shares(cohort, story, client, sign_in):
    sign_in(story)
    html = client.get(f"/manage/programmes/{cohort.programme.id}/report").get_data(as_text=True)
    assert "Wirkungsbericht" in html
    assert cohort.name in html
    assert "1 von 3 (33\u00a0%)" in html  # certified of the participants, German style


def test_the_workbook_holds_the_same_numbers_and_names_stay_text(cohort, story, client, sign_in):
    cohort.name = '=HYPERLINK("http://127.0.0.1:1/","klick")'
    db.session.commit()
    sign_in(story)
    response = client.get(f"/manage/programmes/{cohort.programme.id}/report.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "-wirkungsbericht.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    cohorts, groups = book.worksheets
    headers = [c.value for c in cohorts[1]]
    assert headers[:4] == ["Durchgang", "Anmeldungen", "Teilnehmer:innen", "Warteliste"]
    name, signups, participants, waitlisted = (c for c in cohorts[2][:4])
    assert name.value == cohort.name
    assert name.data_type == "s"  # text, not a formula
    assert (signups.value, participants.value, waitlisted.value) == (4, 3, 1)
    assert cohorts[2][11].value == pytest.approx(1 / 3)
    assert cohorts[2][11].number_format == "0%"
    assert [c.value for c in groups[2]][:4] == ["Verkehrsplaner:innen", 4, 3, 1]
