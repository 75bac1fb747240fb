"""Configuration read from the environment (and an optional `.env`).

The embedded default (SQLite under `instance/`, mail written to files) needs no settings at all.
`ProductionConfig` refuses to start without an explicit `SECRET_KEY` and a `DATABASE_URL`.
"""

import os
import secrets
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
load_dotenv(BASE_DIR / ".env")


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _instance_path() -> Path:
    return Path(os.environ.get("FAHRPLAN_INSTANCE_PATH", BASE_DIR / "instance")).resolve()


def _embedded_secret_key(instance_path: Path) -> str:
    """Generate the secret once and keep it, so sessions survive restarts of `make run`."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def derive(settings: dict) -> None:
    """Settings that follow from others, whichever class or override set those."""
    # The remember-me cookie is never sent where the session cookie would not be.
    settings["REMEMBER_COOKIE_SECURE"] = settings["SESSION_COOKIE_SECURE"]


class Config:
    ENV_NAME = "default"
    INSTANCE_PATH = _instance_path()
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_PATH / 'fahrplan.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = {"de": "Deutsch", "en": "English"}

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Fahrplan <fahrplan@localhost>")
    MAIL_FILE_DIR = str(INSTANCE_PATH / "mail")
    # Links in mail sent outside a request (the dispatcher); SERVER_NAME, when set, wins.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")

    # The notification outbox (app/notifications): the dispatcher runs inside this process only
    # with SCHEDULER_ENABLED (make run); production can run `flask scheduler run` instead.
    SCHEDULER_ENABLED = _bool("SCHEDULER_ENABLED", False)
    NOTIFY_DISPATCH_INTERVAL = int(os.environ.get("NOTIFY_DISPATCH_INTERVAL", "60"))
    NOTIFY_BATCH_SIZE = int(os.environ.get("NOTIFY_BATCH_SIZE", "100"))
    NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "8"))
    NOTIFY_BACKOFF_SECONDS = int(os.environ.get("NOTIFY_BACKOFF_SECONDS", "60"))
    NOTIFY_BACKOFF_MAX_SECONDS = int(os.environ.get("NOTIFY_BACKOFF_MAX_SECONDS", "14400"))
    # Participant data of a cohort is erased this many days after it ended (the consent text
    # says one year); the scheduler checks once a day (app.privacy.retention).
    RETENTION_DAYS = int(os.environ.get("RETENTION_DAYS", "365"))
    NOTIFY_CLAIM_TIMEOUT = int(os.environ.get("NOTIFY_CLAIM_TIMEOUT", "900"))
    NOTIFY_TICK_BUDGET = int(os.environ.get("NOTIFY_TICK_BUDGET", "50"))
    # Messages due at once are sent right after the commit that created them.
    NOTIFY_SEND_AFTER_COMMIT = _bool("NOTIFY_SEND_AFTER_COMMIT", True)

    EMAIL_CONFIRM_MAX_AGE = int(os.environ.get("EMAIL_CONFIRM_MAX_AGE", str(3 * 24 * 3600)))
    PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", "3600"))
    INVITATION_MAX_AGE = int(os.environ.get("INVITATION_MAX_AGE", str(7 * 24 * 3600)))
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_HASH_PROFILE = os.environ.get("PASSWORD_HASH_PROFILE", "RFC_9106_LOW_MEMORY")

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    RESET_RATE_LIMIT = os.environ.get("RESET_RATE_LIMIT", "5 per minute")
    CERTIFICATE_VERIFY_RATE_LIMIT = os.environ.get("CERTIFICATE_VERIFY_RATE_LIMIT", "30 per minute")

    # Certificates (app/certificates): the issuer printed on them (default: the issuing
    # organiser's organisation); bulk issuance runs in a worker thread ("inline": within the
    # request), renders and commits CERTIFICATE_BATCH_CHUNK at a time, and counts as stalled
    # (resumable) after CERTIFICATE_BATCH_STALE_SECONDS without progress.
    CERTIFICATE_ISSUER_NAME = os.environ.get("CERTIFICATE_ISSUER_NAME", "")
    CERTIFICATE_BATCH_RUNNER = os.environ.get("CERTIFICATE_BATCH_RUNNER", "thread")
    CERTIFICATE_BATCH_CHUNK = int(os.environ.get("CERTIFICATE_BATCH_CHUNK", "25"))
    CERTIFICATE_BATCH_STALE_SECONDS = int(os.environ.get("CERTIFICATE_BATCH_STALE_SECONDS", "300"))

    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = os.environ.get("SESSION_COOKIE_SAMESITE", "Lax")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = SESSION_COOKIE_SAMESITE
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    SERVER_NAME = os.environ.get("SERVER_NAME")

    WTF_CSRF_TIME_LIMIT = None

    @staticmethod
    def finalise(settings: dict) -> None:
        """Fill what depends on the instance folder; called by the factory, never at import."""
        derive(settings)
        if not settings.get("SECRET_KEY"):
            settings["SECRET_KEY"] = _embedded_secret_key(Path(settings["INSTANCE_PATH"]))


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "https")

    @staticmethod
    def finalise(settings: dict) -> None:
        derive(settings)
        if not settings.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production (APP_ENV=production).")
        if "DATABASE_URL" not in os.environ:
            raise RuntimeError("DATABASE_URL must be set in production (APP_ENV=production).")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    SERVER_NAME = "localhost"
    MAIL_SERVER = None
    SCHEDULER_ENABLED = False
    PASSWORD_HASH_PROFILE = "CHEAPEST"  # noqa: S105 (a cost profile name)
    CERTIFICATE_BATCH_RUNNER = "inline"


CONFIGS = {"default": Config, "production": ProductionConfig, "test": TestConfig}


def config_from_env() -> type[Config]:
    return CONFIGS[os.environ.get("APP_ENV", "default")]
