"""factory_boy factories; they commit, like the app does at the end of a request."""

from datetime import UTC, datetime

import factory
from argon2 import PasswordHasher, profiles
from factory.alchemy import SQLAlchemyModelFactory

from app.auth.models import Role, User
from app.extensions import db

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = PasswordHasher.from_parameters(profiles.CHEAPEST).hash(PASSWORD)


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class UserFactory(BaseFactory):
    class Meta:
        model = User

    name = factory.Faker("name", locale="de_DE")
    email = factory.Sequence(lambda n: f"person{n}@kommune.example")
    organisation = "Stadt Musterstadt"
    password_hash = _PASSWORD_HASH
    role = Role.PARTICIPANT.value
    email_confirmed_at = factory.LazyFunction(lambda: datetime.now(UTC))
    locale = "de"
