"""Fixtures shared by the whole suite.

Every test gets a fresh app bound to one database for the whole run: SQLite in a temporary file
by default, PostgreSQL when TEST_DATABASE_URL is set. The schema is built once by the real
Alembic migrations; after each test every table is emptied. Data is really committed, so tests
with several connections (concurrency, the browser's live server) see what a test wrote.

The test body runs inside the `app` fixture's app context (factories, services, queries), while
`client` talks to a second instance of the same app, as a browser talks to a server: each
request gets its own app context, `g` and database session, exactly as in production.
"""

import os
import re
from contextlib import contextmanager
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.engine import Engine

from app import create_app
from app.extensions import db, limiter
from config import TestConfig
from tests.factories import PASSWORD, UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def pytest_report_header(config):
    return f"database: {_database_label()}"


def _database_label() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    return "postgresql" if url else "sqlite"


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are not collected on SQLite (never silently skipped)."""
    if os.environ.get("TEST_DATABASE_URL"):
        return
    kept = [item for item in items if "postgres" not in item.keywords]
    deselected = [item for item in items if "postgres" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """One database per pytest-xdist worker: SQLite files live in the worker's own temporary
    folder; on PostgreSQL each worker gets `<TEST_DATABASE_URL's database>_<worker>`."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return _worker_database(url, worker) if worker else url


def _worker_database(url: str, worker: str) -> str:
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def make_config(database_url: str, instance_path: Path, **overrides) -> type[TestConfig]:
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": instance_path,
        "MAIL_FILE_DIR": str(instance_path / "mail"),
        **overrides,
    }
    return type("PerTestConfig", (TestConfig,), settings)


@pytest.fixture(scope="session")
def migrated_schema(database_url, tmp_path_factory):
    """Build the schema once, through the migrations a deployment runs."""
    app = create_app(make_config(database_url, tmp_path_factory.mktemp("schema-instance")))
    with app.app_context():
        if database_url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()


@pytest.fixture
def config_overrides(request) -> dict:
    """Settings for this test: override the fixture in a module, or parametrize it indirectly."""
    return getattr(request, "param", {})


@pytest.fixture
def app_config(migrated_schema, database_url, tmp_path, config_overrides) -> type[TestConfig]:
    return make_config(database_url, tmp_path / "instance", **config_overrides)


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    with app.app_context():
        limiter.reset()
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables() -> None:
    tables = db.metadata.sorted_tables
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(table.name for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                connection.execute(table.delete())


class FahrplanClient(FlaskClient):
    """A test client that sends the CSRF token the way a browser's form would."""

    def csrf_token(self, path: str = "/") -> str:
        page = self.get(path)
        match = CSRF_RE.search(page.get_data(as_text=True))
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def submit(self, path: str, data: dict | None = None, *, form_page: str = "/", **kw):
        """POST like a browser: take the session's token from a page with a form first."""
        payload = dict(data or {})
        payload["csrf_token"] = self.csrf_token(form_page)
        return self.post(path, data=payload, **kw)


@pytest.fixture
def server_app(app, app_config):
    """The instance that serves `client`'s requests (same settings and database as `app`)."""
    served = create_app(app_config)
    served.test_client_class = FahrplanClient
    yield served
    with served.app_context():
        db.engine.dispose()


@pytest.fixture
def client(server_app) -> FahrplanClient:
    return server_app.test_client()


@pytest.fixture
def english_messages(app):
    """Services' refusal messages are lazy strings in the page's language (German by default);
    tests that match English words read them inside this fixture."""
    with force_locale("en"):
        yield


@pytest.fixture
def count_queries():
    """`with count_queries() as statements: ...` lists the SQL sent by any engine meanwhile."""

    @contextmanager
    def counting():
        statements: list[str] = []

        def record(connection, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(Engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(Engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def mailbox(app):
    """The .eml files the app wrote, parsed, oldest first."""
    return Mailbox(Path(app.config["MAIL_FILE_DIR"]))


class Mailbox:
    LINK_RE = re.compile(r"https?://\S+")

    def __init__(self, directory: Path):
        self.directory = directory

    @property
    def messages(self):
        if not self.directory.exists():
            return []
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(p.read_bytes()) for p in sorted(self.directory.glob("*.eml"))]

    def for_recipient(self, address: str):
        return [m for m in self.messages if m["To"] == address]

    def last_link(self, address: str) -> str:
        messages = self.for_recipient(address)
        assert messages, f"no mail for {address}"
        body = messages[-1].get_body(preferencelist=("plain",)).get_content()
        links = self.LINK_RE.findall(body)
        assert links, "no link in the mail"
        return links[-1]


@pytest.fixture
def sign_in(app, client):
    """Sign an existing account in through the real login form (its password becomes PASSWORD,
    e.g. for the demo's accounts)."""

    def sign_in(user) -> None:
        user.password_hash = UserFactory.password_hash
        db.session.commit()
        response = client.submit(
            "/auth/login", {"email": user.email, "password": PASSWORD}, form_page="/auth/login"
        )
        assert response.status_code == 302, response.get_data(as_text=True)

    return sign_in


@pytest.fixture
def login_as(app, client):
    """Create a confirmed account with `role` and sign it in through the real login form."""

    def login(role: str = "participant", **attributes):
        user = UserFactory(role=role, **attributes)
        response = client.submit(
            "/auth/login", {"email": user.email, "password": PASSWORD}, form_page="/auth/login"
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login
