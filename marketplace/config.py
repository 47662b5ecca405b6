"""Settings per environment, read from the environment (and a `.env` file when present).

Files default to the app's instance folder (`INSTANCE_PATH`; Flask's default is `instance/` of a
source checkout, `<venv>/var/marketplace-instance` for an installed package): see
`instance_defaults`, applied by `create_app` once the folder is known.
"""

import os
from datetime import timedelta
from pathlib import Path

from dotenv import load_dotenv

#: the checkout holding the package (an installed package has site-packages here: no .env)
SOURCE_ROOT = Path(__file__).resolve().parent.parent
# the current directory's .env first (an installed site), then the checkout's; neither overrides
# a variable already set
load_dotenv(Path.cwd() / ".env")
load_dotenv(SOURCE_ROOT / ".env")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    value = (os.environ.get(name) or "").strip().lower()
    return default if value == "" else value not in ("0", "false", "no", "off")


#: SECRET_KEY values seen in this repository, its docs and its tests: never a production key
KNOWN_DEVELOPMENT_SECRETS = frozenset(
    {
        "dev-only-not-secret",
        "test-secret",
        "change-me-64-random-characters",
        "change-me",
        "changeme",
        "secret",
        "dev",
        "development",
    }
)
#: Stripe secrets of the emulator (devtools/stripe_emulator.py) and of the documentation
EMULATOR_STRIPE_KEYS = frozenset({"sk_test_emulator", "sk_live_..."})
EMULATOR_WEBHOOK_SECRETS = frozenset({"whsec_emulator", "whsec_test", "whsec_..."})


class Config:
    #: which of CONFIGS this is (`flask demo seed` refuses "production")
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    #: unset: `<instance>/marketplace.sqlite` (instance_defaults)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    #: a pooled connection idle longer than this is pinged before use, so one that a PostgreSQL
    #: restart dropped meanwhile is replaced instead of failing the first request after it
    DATABASE_IDLE_PING_SECONDS = _env_int("DATABASE_IDLE_PING_SECONDS", 5)
    #: seconds to wait for PostgreSQL to accept a connection before answering 503
    DATABASE_CONNECT_TIMEOUT = _env_int("DATABASE_CONNECT_TIMEOUT", 5)
    SQLALCHEMY_RECORD_QUERIES = False

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ["vi", "en", "zh", "ko"]

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
    #: "false" switches every rate limit off (load tests, benchmarks): Flask-Limiter's own setting
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    #: new booking holds (page and API together) per client address; generous, as a village or a
    #: mobile carrier's NAT shares one address. Only holds made count, not refused attempts.
    HOLD_LIMIT_ADDRESS = os.environ.get("HOLD_LIMIT_ADDRESS") or "30 per hour"
    #: open unpaid bookings (pending payment, hold not expired) one email or account may have;
    #: 0 switches the cap off (benchmarks)
    MAX_OPEN_HOLDS = _env_int("MAX_OPEN_HOLDS", 5)
    #: proxies in front of the app (0: none, X-Forwarded-For is never read); N: trust the last N
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)
    #: log-in attempts per account (the email typed) and per client address (a village shares one)
    LOGIN_LIMIT_ACCOUNT = os.environ.get("LOGIN_LIMIT_ACCOUNT", "10 per 15 minutes")
    LOGIN_LIMIT_ADDRESS = os.environ.get("LOGIN_LIMIT_ADDRESS", "50 per 15 minutes")
    SIGNUP_LIMIT_ADDRESS = os.environ.get("SIGNUP_LIMIT_ADDRESS", "20 per hour")
    RESET_LIMIT_ADDRESS = os.environ.get("RESET_LIMIT_ADDRESS", "20 per hour")
    #: how long mailed links work: email confirmation, password reset
    EMAIL_VERIFY_MAX_AGE = timedelta(days=3)
    PASSWORD_RESET_MAX_AGE = timedelta(hours=1)
    REMEMBER_COOKIE_DURATION = timedelta(days=30)

    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "sk_test_emulator")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "whsec_emulator")
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE") or None
    #: shared key the bank-notification service sends (Authorization: Apikey ...); unset refuses all
    BANK_WEBHOOK_TOKEN = os.environ.get("BANK_WEBHOOK_TOKEN") or None
    TICKET_SIGNING_KEY = os.environ.get("TICKET_SIGNING_KEY") or None
    HOLD_MINUTES = _env_int("HOLD_MINUTES", 30)

    #: unset: `<instance>/outbox` (instance_defaults)
    MAIL_OUTBOX = os.environ.get("MAIL_OUTBOX") or None
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
    #: unset: `<instance>/uploads` (instance_defaults)
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER") or None
    #: photos, exports and backups in an S3-compatible bucket (gateways/storage.py); unset: disk
    STORAGE_S3_BUCKET = os.environ.get("STORAGE_S3_BUCKET") or None
    STORAGE_S3_ENDPOINT_URL = os.environ.get("STORAGE_S3_ENDPOINT_URL") or None
    STORAGE_S3_REGION = os.environ.get("STORAGE_S3_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    STORAGE_S3_PREFIX = os.environ.get("STORAGE_S3_PREFIX", "")
    #: /metrics: `Authorization: Bearer <token>` when set, else loopback clients only
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None
    #: "json": one JSON object per log line with its request id (logging_setup.py); "text"
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    #: `flask backup run`: where dumps go and how many days of them are kept
    #: unset: `<instance>/backups` (instance_defaults)
    BACKUP_FOLDER = os.environ.get("BACKUP_FOLDER") or None
    BACKUP_KEEP_DAYS = _env_int("BACKUP_KEEP_DAYS", 14)
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
    #: Fernet keys for passport numbers at rest, comma-separated: the first encrypts, all decrypt
    #: (marketplace/crypto.py); unset outside production: a key derived from SECRET_KEY
    PASSPORT_KEYS = os.environ.get("PASSPORT_KEYS") or None
    HSTS = False
    #: roles that must sign in with a TOTP code (comma-separated); services/accounts/two_factor.py
    TWO_FACTOR_REQUIRED_ROLES = os.environ.get("TWO_FACTOR_REQUIRED_ROLES", "").split(",")

    @classmethod
    def validate(cls, environ=None) -> None:
        """Refuse several instances (INSTANCES, MULTI_INSTANCE) that would not share their state."""
        problems = multi_instance_problems(os.environ if environ is None else environ)
        if problems:
            joined = "; ".join(problems)
            raise RuntimeError(
                f"Refusing to start as several instances: {joined}. See docs/deploy.md."
            )


class DevelopmentConfig(Config):
    DEBUG = True
    ENV_NAME = "development"


class TestConfig(Config):
    TESTING = True
    ENV_NAME = "test"
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
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS = True
    TWO_FACTOR_REQUIRED_ROLES = os.environ.get("TWO_FACTOR_REQUIRED_ROLES", "admin").split(",")
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")

    @classmethod
    def validate(cls, environ=None) -> None:
        """Refuse to start with settings that would be unsafe in production.

        Raises RuntimeError naming every missing or unsafe setting at once: SECRET_KEY (32+ bytes,
        not a known development value), STRIPE_SECRET_KEY (not a test or emulator key),
        STRIPE_WEBHOOK_SECRET (not the emulator's), TICKET_SIGNING_KEY, REDIS_URL, debug on.
        """
        problems = production_problems(os.environ if environ is None else environ)
        if problems:
            joined = "; ".join(problems)
            raise RuntimeError(
                f"Refusing to start in production: {joined}. See deploy/env.example."
            )


def production_problems(environ) -> list[str]:
    """One sentence per missing or unsafe production setting (empty when all are safe)."""
    problems = []
    secret = (environ.get("SECRET_KEY") or "").strip()
    if not secret:
        problems.append("SECRET_KEY must be set (32+ random bytes)")
    elif secret.lower() in KNOWN_DEVELOPMENT_SECRETS or secret.startswith("change-me"):
        problems.append("SECRET_KEY is a known development value")
    elif len(secret.encode()) < 32 or len(set(secret)) < 8:
        problems.append("SECRET_KEY must be 32+ random bytes")
    stripe_key = (environ.get("STRIPE_SECRET_KEY") or "").strip()
    if not stripe_key:
        problems.append("STRIPE_SECRET_KEY must be set")
    elif stripe_key in EMULATOR_STRIPE_KEYS or stripe_key.startswith(("sk_test_", "rk_test_")):
        problems.append("STRIPE_SECRET_KEY is a test or emulator key")
    webhook_secret = (environ.get("STRIPE_WEBHOOK_SECRET") or "").strip()
    if not webhook_secret:
        problems.append("STRIPE_WEBHOOK_SECRET must be set")
    elif webhook_secret in EMULATOR_WEBHOOK_SECRETS:
        problems.append("STRIPE_WEBHOOK_SECRET is the emulator's public secret")
    if not (environ.get("TICKET_SIGNING_KEY") or "").strip():
        problems.append("TICKET_SIGNING_KEY must be set")
    if not (environ.get("PASSPORT_KEYS") or "").strip():
        problems.append("PASSPORT_KEYS must be set (Fernet keys, comma-separated)")
    if not (environ.get("REDIS_URL") or "").strip():
        problems.append("REDIS_URL must be set (rate limits shared by all workers)")
    if environ.get("FLASK_DEBUG") in ("1", "true", "True"):
        problems.append("debug must be off in production")
    return problems + multi_instance_problems(environ)


def is_multi_instance(environ) -> bool:
    """INSTANCES > 1 or MULTI_INSTANCE=1: several web machines or processes behind a proxy."""
    try:
        instances = int(environ.get("INSTANCES") or 1)
    except ValueError:
        instances = 2  # a value we cannot read: assume the stricter case
    return instances > 1 or _truthy(environ.get("MULTI_INSTANCE"))


def _truthy(value) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def multi_instance_problems(environ) -> list[str]:
    """What several instances must share instead of one machine's disk or memory."""
    if not is_multi_instance(environ):
        return []
    problems = []
    if not (environ.get("TICKET_SIGNING_KEY") or "").strip():
        problems.append("several instances need one TICKET_SIGNING_KEY in the environment")
    redis = ("redis://", "rediss://", "unix://")
    if not (environ.get("REDIS_URL") or "").startswith(redis):
        problems.append("several instances need REDIS_URL (rate limits) on a shared Redis")
    jobs = environ.get("JOBS_URL") or environ.get("REDIS_URL") or ""
    if not jobs.startswith(redis):
        problems.append("several instances need JOBS_URL (or REDIS_URL) on a shared Redis")
    if not (environ.get("STORAGE_S3_BUCKET") or "").strip():
        problems.append("several instances need STORAGE_S3_BUCKET (photos on a shared bucket)")
    if (environ.get("DATABASE_URL") or "").startswith("sqlite"):
        problems.append("several instances need a PostgreSQL DATABASE_URL")
    return problems


def instance_defaults(instance_path: str) -> dict[str, str]:
    """Where the database, mail files, uploads and backups go when their setting is unset."""
    folder = Path(instance_path)
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'marketplace.sqlite'}",
        "MAIL_OUTBOX": str(folder / "outbox"),
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "BACKUP_FOLDER": str(folder / "backups"),
    }


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
