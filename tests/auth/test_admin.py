"""Account administration: list and search, change roles, lock and unlock."""

import re

import pytest

from app.auth.models import Role
from tests.auth.helpers import (
    flashes,
    follow,
    is_signed_in,
    location_path,
    login,
    reload_user,
    tr,
)
from tests.factories import UserFactory

ROW_RE = re.compile(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", re.S)


def _listed_emails(response) -> list[str]:
    return [email for _name, email in ROW_RE.findall(response.get_data(as_text=True))]


def test_the_admin_sees_every_account_sorted_by_name(client, login_as):
    admin = login_as("admin", name="Mia Admin")
    berta = UserFactory(name="berta Beispiel")
    anton = UserFactory(name="Anton Amt")
    zoe = UserFactory(name="Zoë Zukunft", is_enabled=False)

    response = client.get("/admin/users")

    assert response.status_code == 200
    assert _listed_emails(response) == [anton.email, berta.email, admin.email, zoe.email]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("radweg", ["clara"]),
        ("CLARA@", ["clara"]),
        ("landkreis", ["tom"]),
        ("  Tom  ", ["tom"]),
        ("kommune.example", ["clara", "tom"]),
        ("%", []),
        ("_", []),
        ("nobody", []),
    ],
)
def test_the_admin_searches_by_name_email_or_organisation(client, login_as, query, expected):
    login_as("admin", name="Mia Admin", email="mia@fahrplan.example")
    people = {
        "clara": UserFactory(
            name="Clara Radweg", email="clara@kommune.example", organisation="Stadt Ulm"
        ),
        "tom": UserFactory(
            name="Tom Takt", email="tom@kommune.example", organisation="Landkreis Esslingen"
        ),
    }

    response = client.get("/admin/users", query_string={"q": query})

    assert response.status_code == 200
    assert _listed_emails(response) == [people[key].email for key in expected]
    if not expected:
        assert tr("No accounts found.") in response.get_data(as_text=True)


def test_long_lists_are_paged(client, login_as):
    login_as("admin", name="Aaron Admin")
    for number in range(50):
        UserFactory(name=f"Person {number:02d}")

    first = client.get("/admin/users")
    second = client.get("/admin/users", query_string={"page": 2})

    assert len(_listed_emails(first)) == 50
    assert len(_listed_emails(second)) == 1
    assert set(_listed_emails(first)).isdisjoint(_listed_emails(second))


def _change_role(client, user, role: str, **kwargs):
    return client.submit(f"/admin/users/{user.id}/role", {"role": role}, **kwargs)


def test_the_admin_changes_a_role(client, login_as):
    login_as("admin")
    person = UserFactory(name="Clara Radweg", role=Role.PARTICIPANT.value)

    response = _change_role(client, person, "organiser")

    assert response.status_code == 302
    assert location_path(response).startswith("/admin/users")
    assert ("success", tr("The role of %(name)s has been changed.", name="Clara Radweg")) in (
        flashes(follow(client, response))
    )
    assert reload_user(person).role == Role.ORGANISER.value


def test_the_search_is_kept_after_a_role_change(client, login_as):
    login_as("admin")
    person = UserFactory()

    response = client.submit(f"/admin/users/{person.id}/role?q=clara", {"role": "coach"})

    assert location_path(response) == "/admin/users?q=clara"


def test_a_role_change_needs_the_csrf_token(client, login_as):
    login_as("admin")
    person = UserFactory(role=Role.PARTICIPANT.value)

    response = client.post(f"/admin/users/{person.id}/role", data={"role": "admin"})

    assert response.status_code == 400
    assert tr(
        "Your form has expired or was sent from another site. "
        "Please go back, reload the page and try again."
    ) in response.get_data(as_text=True)
    assert reload_user(person).role == Role.PARTICIPANT.value


def test_a_role_change_is_post_only(client, login_as):
    login_as("admin")
    person = UserFactory()

    assert client.get(f"/admin/users/{person.id}/role?role=admin").status_code == 405
    assert reload_user(person).role == Role.PARTICIPANT.value


def test_an_unknown_role_is_refused(client, login_as):
    login_as("admin")
    person = UserFactory(role=Role.COACH.value)

    response = _change_role(client, person, "superuser")

    assert ("error", tr("Please choose a valid role.")) in flashes(follow(client, response))
    assert reload_user(person).role == Role.COACH.value


def test_the_admin_cannot_remove_their_own_admin_role(client, login_as):
    admin = login_as("admin")

    response = _change_role(client, admin, "participant")

    assert ("error", tr("You cannot remove your own administrator role.")) in flashes(
        follow(client, response)
    )
    assert reload_user(admin).role == Role.ADMIN.value
    assert client.get("/admin/users").status_code == 200


def test_a_role_change_for_an_unknown_account_is_404(client, login_as):
    login_as("admin")

    assert client.submit("/admin/users/999999/role", {"role": "coach"}).status_code == 404
    assert client.submit("/admin/users/999999/lock").status_code == 404


def test_a_demoted_admin_loses_access_at_once(client, server_app, login_as):
    login_as("admin")
    other_admin = UserFactory(role=Role.ADMIN.value)
    other = server_app.test_client()
    login(other, other_admin.email)
    assert other.get("/admin/users").status_code == 200

    _change_role(client, other_admin, "organiser")

    assert other.get("/admin/users").status_code == 403


def test_locking_ends_the_sessions_and_unlocking_allows_sign_in_again(client, server_app, login_as):
    login_as("admin")
    person = UserFactory(name="Clara Radweg")
    browser = server_app.test_client()
    login(browser, person.email)
    assert is_signed_in(browser)

    locked = client.submit(f"/admin/users/{person.id}/lock")

    assert locked.status_code == 302
    assert ("success", tr("%(name)s is locked.", name="Clara Radweg")) in flashes(
        follow(client, locked)
    )
    assert not reload_user(person).is_enabled
    assert not is_signed_in(browser)
    assert login(browser, person.email).status_code == 422
    assert tr("locked") in client.get("/admin/users").get_data(as_text=True)

    unlocked = client.submit(f"/admin/users/{person.id}/lock")

    assert ("success", tr("%(name)s can sign in again.", name="Clara Radweg")) in flashes(
        follow(client, unlocked)
    )
    assert reload_user(person).is_enabled
    assert login(browser, person.email).status_code == 302


def test_locking_needs_the_csrf_token(client, login_as):
    login_as("admin")
    person = UserFactory()

    response = client.post(f"/admin/users/{person.id}/lock")

    assert response.status_code == 400
    assert reload_user(person).is_enabled


def test_the_admin_cannot_lock_their_own_account(client, login_as):
    admin = login_as("admin")

    response = client.submit(f"/admin/users/{admin.id}/lock")

    assert ("error", tr("You cannot lock your own account.")) in flashes(follow(client, response))
    assert reload_user(admin).is_enabled
    assert is_signed_in(client)
