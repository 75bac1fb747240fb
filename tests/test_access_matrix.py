"""Every protected URL × every actor, and no route left out of the matrix."""

import importlib
import pkgutil
from datetime import UTC, date, datetime

import pytest

import tests
from app.auth.models import Role
from app.bookings.services import book
from app.demo.loader import load_demo
from app.enrolments.models import Enrolment, EnrolmentStatus
from app.extensions import db
from app.programs.models import Programme
from tests.access import ACTORS, AccessRow, AccessScenario
from tests.certificates.helpers import stored_certificate
from tests.factories import PASSWORD, UserFactory

# The demo is loaded as of this day; the participant's booking is made the day after.
DEMO_TODAY = date(2026, 9, 1)
BOOKED_AT = datetime(2026, 9, 2, 9, 0, tzinfo=UTC)

# Endpoints anyone may open; everything else must have rows.
PUBLIC_ENDPOINTS = {
    "static",
    "main.index",
    "main.privacy",
    "main.healthz",
    "main.set_language",
    "auth.register",
    "auth.confirm_email",
    "auth.resend_confirmation",
    "auth.login",
    "auth.logout",
    "auth.forgot_password",
    "auth.reset_password",
    "auth.accept_invitation",
}


def _row_modules():
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.endswith(".access_rows"):
            yield importlib.import_module(module.name)


ROWS: list[AccessRow] = [row for module in _row_modules() for row in module.ROWS]
# A domain may declare endpoints anyone may open as `PUBLIC` in its access_rows module.
PUBLIC_ENDPOINTS |= {
    endpoint for module in _row_modules() for endpoint in getattr(module, "PUBLIC", ())
}


@pytest.fixture
def scenario(app) -> AccessScenario:
    load_demo(today=DEMO_TODAY)
    db.session.commit()
    programme = db.session.query(Programme).one()
    cohort = programme.cohorts[0]
    demo = {u.role: u for u in programme.managers + list(cohort.sessions[1].coaches)}
    users = {
        "participant": UserFactory(role=Role.PARTICIPANT.value),
        "coach": demo[Role.COACH.value],
        "other_coach": UserFactory(role=Role.COACH.value),
        "organiser": demo[Role.ORGANISER.value],
        "other_organiser": UserFactory(role=Role.ORGANISER.value),
        "admin": UserFactory(role=Role.ADMIN.value),
    }
    for user in users.values():
        user.password_hash = UserFactory.password_hash
    db.session.commit()
    return AccessScenario(
        users=users,
        programme=programme,
        cohort=cohort,
        sessions=cohort.sessions,
        extra=_participation(users["participant"], cohort, users["organiser"]),
    )


def _participation(participant, cohort, organiser) -> dict:
    """The participant's approved enrolment with one booked impulse training, a free slot, and
    a certificate from a finished bulk issuance."""
    group = next(g for g in cohort.programme.target_groups if g.slug == "verkehrsplanung")
    enrolment = Enrolment(
        cohort=cohort,
        user=participant,
        target_group=group,
        status=EnrolmentStatus.APPROVED.value,
        organisation=participant.organisation,
        job_function="Verkehrsplanung",
        confirmed_criteria=[],
        consent_text=cohort.programme.consent_text,
        consented_at=BOOKED_AT,
    )
    db.session.add(enrolment)
    db.session.flush()
    slots = [s for s in cohort.sessions if s.kind == "impulse" and s.target_group_id == group.id]
    booking = book(enrolment, slots[0].id, actor=participant, now=BOOKED_AT, quiet=True)
    certificate, batch = stored_certificate(enrolment, issued_by=organiser)
    db.session.commit()
    return {
        "enrolment": enrolment,
        "booking": booking,
        "free_slot": slots[1],
        "certificate": certificate,
        "batch": batch,
    }


def _sign_in(client, user) -> None:
    response = client.submit(
        "/auth/login", {"email": user.email, "password": PASSWORD}, form_page="/auth/login"
    )
    assert response.status_code == 302


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_access(client, scenario, row: AccessRow, actor: str):
    if actor != "anonymous":
        _sign_in(client, scenario.users[actor])
    url = row.url(scenario)
    response = client.get(url) if row.method == "GET" else client.submit(url, row.data)
    expected = row.expect[actor]
    assert response.status_code == expected, f"{actor} {row.method} {url}"
    if actor == "anonymous" and expected == 302:
        assert "/auth/login" in response.headers["Location"]


def test_every_route_is_in_the_matrix_or_public(app):
    covered = {row.endpoint for row in ROWS} | PUBLIC_ENDPOINTS
    missing = sorted(
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint not in covered
    )
    assert missing == [], f"routes without access rows: {missing}"


def test_every_row_names_a_real_endpoint(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {row.endpoint for row in ROWS} <= endpoints
