"""Settings per environment, read from the environment (and a `.env` file when present)."""

import os
from datetime import timedelta
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
load_dotenv(BASE_DIR / ".env")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'marketplace.sqlite'}"
    )
    # pre_ping survives a PostgreSQL restart without a 500 on the first request after it.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    #: seconds to wait for PostgreSQL to accept a connection before answering 503
    DATABASE_CONNECT_TIMEOUT = _env_int("DATABASE_CONNECT_TIMEOUT", 5)
    SQLALCHEMY_RECORD_QUERIES = False

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ["vi", "en"]

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(days=7)
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # a booking form left open on a slow phone must still submit

    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"

    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "sk_test_emulator")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "whsec_emulator")
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE") or None
    #: shared key the bank-notification service sends (Authorization: Apikey ...); unset refuses all
    BANK_WEBHOOK_TOKEN = os.environ.get("BANK_WEBHOOK_TOKEN") or None
    TICKET_SIGNING_KEY = os.environ.get("TICKET_SIGNING_KEY") or None
    HOLD_MINUTES = _env_int("HOLD_MINUTES", 30)

    MAIL_OUTBOX = os.environ.get("MAIL_OUTBOX", str(BASE_DIR / "instance" / "outbox"))
    # with MAIL_SERVER set mail goes out over SMTP; without it, to .eml files in MAIL_OUTBOX
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _env_int("MAIL_PORT", 587)
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") not in ("0", "false", "False")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Mountain Homestays <no-reply@homestays.example>"
    )
    # write and send booking mail from a thread of the process, after the response
    # links in emails sent outside a request (CLI, jobs)
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(BASE_DIR / "instance" / "uploads"))
    #: job queue (docs/jobs.md): redis://... (else REDIS_URL when set), sqlite:///file, memory://;
    #: unset and no REDIS_URL: instance/jobs.sqlite
    JOBS_URL = os.environ.get("JOBS_URL") or None
    #: outbox deliveries: tries before a message is parked, first pause (doubling), a claim's lease
    OUTBOX_MAX_ATTEMPTS = _env_int("OUTBOX_MAX_ATTEMPTS", 8)
    OUTBOX_RETRY_SECONDS = _env_int("OUTBOX_RETRY_SECONDS", 30)
    OUTBOX_LEASE_SECONDS = _env_int("OUTBOX_LEASE_SECONDS", 300)
    #: web processes enqueue a delivery after each commit; off ("0"): they leave it to the drain
    OUTBOX_KICK = os.environ.get("OUTBOX_KICK", "1") not in ("0", "false", "False")
    #: how often a worker drains the outbox, seconds (the minute job; less adds a timer)
    OUTBOX_DRAIN_SECONDS = _env_int("OUTBOX_DRAIN_SECONDS", 60)
    PASSWORD_HASH_METHOD = "scrypt"
    #: hours a host has to declare a foreign guest's temporary residence (24 in remote areas)
    REGISTRATION_DEADLINE_HOURS = _env_int("REGISTRATION_DEADLINE_HOURS", 12)
    #: passport numbers are erased this many days after departure
    PASSPORT_RETENTION_DAYS = _env_int("PASSPORT_RETENTION_DAYS", 30)
    HSTS = False


class DevelopmentConfig(Config):
    DEBUG = True


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    # scrypt costs ~90 ms a password: ruinous in fixtures that make many users.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    # tests serve calendar feeds from 127.0.0.1; everywhere else internal addresses are refused
    ICAL_ALLOW_PRIVATE_HOSTS = True
    SERVER_NAME = None
    # the job queue in memory, each task run the moment it is enqueued (outbox.kick delivers)
    JOBS_URL = None


class ProductionConfig(Config):
    DEBUG = False
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS = True

    @classmethod
    def validate(cls) -> None:
        """Refuse to start with settings that would be unsafe in production.

        Raises RuntimeError when SECRET_KEY is missing or debug is on.
        """
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production")
        if os.environ.get("FLASK_DEBUG") in ("1", "true", "True"):
            raise RuntimeError("debug must be off in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None):
    """The settings class for an environment name (`MARKETPLACE_ENV`, default development)."""
    name = name or os.environ.get("MARKETPLACE_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"unknown MARKETPLACE_ENV {name!r}; one of {sorted(CONFIGS)}") from None
