"""Account services called directly, as the CLI and the scheduler do."""

from datetime import UTC, datetime

import pytest
import time_machine
from argon2 import PasswordHasher

from app.auth import passwords, services
from app.auth.models import Role
from app.auth.tokens import Purpose, TokenExpired, TokenInvalid, make_token, read_token
from app.db_types import utcnow
from app.extensions import db
from tests.auth.helpers import NEW_PASSWORD, count_users, reload_user
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.usefixtures("app")


class ObservedHasher(PasswordHasher):
    """The real Argon2 hasher, noting each hash it verifies against."""

    seen: list[str]

    def verify(self, hash, password):  # noqa: A002 (argon2-cffi's parameter name)
        self.seen.append(hash)
        return super().verify(hash, password)


@pytest.fixture
def argon2_verifications(monkeypatch):
    """Every hash the real Argon2 verifier checks (observed; the verification still runs)."""
    hasher = ObservedHasher.from_parameters(passwords._hasher()._parameters)
    hasher.seen = []
    monkeypatch.setitem(passwords._state, "hasher", hasher)
    return hasher.seen


def test_an_unknown_address_costs_one_argon2_verification_like_a_wrong_password(
    argon2_verifications,
):
    user = UserFactory()

    with pytest.raises(services.LoginFailed):
        services.authenticate(user.email, "wrong password", now=utcnow())
    with pytest.raises(services.LoginFailed):
        services.authenticate("nobody@kommune.example", "wrong password", now=utcnow())

    known, unknown = argon2_verifications
    assert known == user.password_hash
    assert unknown.startswith("$argon2id$")
    assert unknown != known
    assert passwords._hasher().check_needs_rehash(unknown) is False


def test_an_account_without_password_is_checked_against_the_dummy_hash(argon2_verifications):
    user = UserFactory(password_hash=None)

    with pytest.raises(services.LoginFailed):
        services.authenticate(user.email, "fahrplan-timing-equaliser", now=utcnow())

    assert len(argon2_verifications) == 1


def test_authenticate_returns_the_account_and_records_the_login():
    user = UserFactory()
    now = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)

    signed_in = services.authenticate(f"  {user.email.upper()} ", PASSWORD, now=now)
    db.session.commit()

    assert signed_in.id == user.id
    assert reload_user(user).last_login_at == now


def test_authenticate_reports_locks_and_missing_confirmation_only_to_the_password_holder():
    locked = UserFactory(is_enabled=False)
    unconfirmed = UserFactory(email_confirmed_at=None)

    with pytest.raises(services.AccountLocked):
        services.authenticate(locked.email, PASSWORD, now=utcnow())
    with pytest.raises(services.EmailNotConfirmed):
        services.authenticate(unconfirmed.email, PASSWORD, now=utcnow())
    for user in (locked, unconfirmed):
        with pytest.raises(services.LoginFailed):
            services.authenticate(user.email, "wrong password", now=utcnow())


def test_create_user_normalises_and_refuses_duplicates():
    user = services.create_user(
        email="  Clara.Radweg@Kommune.EXAMPLE ", name=" Clara Radweg ", organisation=" Ulm "
    )
    db.session.commit()

    assert (user.email, user.name, user.organisation) == (
        "clara.radweg@kommune.example",
        "Clara Radweg",
        "Ulm",
    )
    assert user.password_hash is None
    with pytest.raises(services.EmailTaken):
        services.create_user(email="CLARA.RADWEG@kommune.example", name="Someone Else")
    assert count_users() == 1


def test_two_accounts_never_share_a_session_token():
    first, second = UserFactory(), UserFactory()

    assert first.session_token != second.session_token
    assert len(first.session_token) >= 32


def test_change_password_replaces_the_hash_and_the_session_token():
    user = UserFactory()
    token = user.session_token

    services.change_password(user, NEW_PASSWORD)
    db.session.commit()

    assert reload_user(user).session_token != token
    assert passwords.verify_password(reload_user(user).password_hash, NEW_PASSWORD)
    assert not passwords.verify_password(reload_user(user).password_hash, PASSWORD)


def test_change_own_password_checks_the_current_one():
    user = UserFactory()
    token = user.session_token

    with pytest.raises(services.WrongPassword):
        services.change_own_password(user, "wrong password", NEW_PASSWORD)

    assert user.session_token == token
    assert passwords.verify_password(user.password_hash, PASSWORD)


def test_only_admins_change_roles_and_locks():
    organiser = UserFactory(role=Role.ORGANISER.value)
    person = UserFactory(role=Role.PARTICIPANT.value)

    with pytest.raises(services.RoleChangeRefused):
        services.change_role(person, Role.ADMIN, actor=organiser)
    with pytest.raises(services.RoleChangeRefused):
        services.change_role(organiser, Role.ADMIN, actor=organiser)
    with pytest.raises(services.RoleChangeRefused):
        services.set_enabled(person, False, actor=organiser)
    db.session.rollback()

    assert reload_user(person).role == Role.PARTICIPANT.value
    assert reload_user(person).is_enabled


def test_locking_rotates_the_session_token_and_unlocking_keeps_it():
    admin = UserFactory(role=Role.ADMIN.value)
    person = UserFactory()
    before = person.session_token

    services.set_enabled(person, False, actor=admin)
    locked_token = person.session_token
    services.set_enabled(person, True, actor=admin)

    assert locked_token != before
    assert person.session_token == locked_token
    assert person.is_enabled


def test_invite_refuses_an_admin_invited_by_a_non_admin(app):
    organiser = UserFactory(role=Role.ORGANISER.value)

    with pytest.raises(services.RoleChangeRefused):
        services.invite(
            email="nora@kommune.example",
            name="Nora",
            organisation="",
            role=Role.ADMIN,
            inviter=organiser,
            config=app.config,
        )

    assert count_users() == 1


def test_a_deleted_account_is_gone_and_a_wrong_password_deletes_nothing():
    user = UserFactory()

    with pytest.raises(services.WrongPassword):
        services.delete_account(user, "wrong password")
    db.session.commit()
    assert count_users() == 1

    services.delete_account(user, PASSWORD)
    db.session.commit()
    assert count_users() == 0


def test_the_export_holds_the_account_and_no_secrets():
    user = UserFactory(name="Clara Radweg", locale="en")

    data = services.export_personal_data(user)

    assert data["account"]["email"] == user.email
    assert data["account"]["name"] == "Clara Radweg"
    assert data["account"]["language"] == "en"
    flat = repr(data)
    assert user.password_hash not in flat
    assert user.session_token not in flat


class TestTokens:
    SECRET = "token-test-secret"

    def test_a_token_round_trips_for_its_purpose_only(self):
        user = UserFactory()
        token = make_token(self.SECRET, user, Purpose.RESET_PASSWORD)

        assert read_token(self.SECRET, token, Purpose.RESET_PASSWORD, max_age=60)["uid"] == user.id
        with pytest.raises(TokenInvalid):
            read_token(self.SECRET, token, Purpose.INVITATION, max_age=60)
        with pytest.raises(TokenInvalid):
            read_token("another secret", token, Purpose.RESET_PASSWORD, max_age=60)

    def test_an_old_token_is_expired(self):
        user = UserFactory()
        with time_machine.travel(datetime(2026, 1, 1, 12, 0, tzinfo=UTC), tick=False):
            token = make_token(self.SECRET, user, Purpose.CONFIRM_EMAIL)
        with time_machine.travel(datetime(2026, 1, 1, 12, 2, tzinfo=UTC), tick=False):
            with pytest.raises(TokenExpired):
                read_token(self.SECRET, token, Purpose.CONFIRM_EMAIL, max_age=60)
            assert read_token(self.SECRET, token, Purpose.CONFIRM_EMAIL, max_age=180)

    def test_a_reset_token_dies_with_the_password_it_was_made_for(self, app):
        user = UserFactory()
        token = make_token(app.config["SECRET_KEY"], user, Purpose.RESET_PASSWORD)
        assert services.check_password_token(token, Purpose.RESET_PASSWORD, config=app.config)

        services.change_password(user, NEW_PASSWORD)

        with pytest.raises(services.LinkInvalid):
            services.check_password_token(token, Purpose.RESET_PASSWORD, config=app.config)

    def test_a_token_for_a_deleted_account_is_invalid(self, app):
        user = UserFactory()
        token = make_token(app.config["SECRET_KEY"], user, Purpose.RESET_PASSWORD)
        db.session.delete(user)
        db.session.commit()

        with pytest.raises(services.LinkInvalid):
            services.check_password_token(token, Purpose.RESET_PASSWORD, config=app.config)
