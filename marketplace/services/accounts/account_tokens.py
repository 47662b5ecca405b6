"""Signed, expiring links for accounts: confirm an email address, reset a password.

Both are itsdangerous `URLSafeTimedSerializer` tokens signed with the app's SECRET_KEY, each with
a salt of its own so one kind cannot be used as the other. Nothing is stored: a verification
link carries the user id and the address it was sent to; a reset link also carries a
fingerprint of the current password hash, so it dies as soon as the password changes (after
its one use, or after any other change).
"""

import hashlib
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ...extensions import db
from ...models import User

VERIFY_SALT = "account-email-verify"
RESET_SALT = "account-password-reset"
#: defaults of the settings EMAIL_VERIFY_MAX_AGE and PASSWORD_RESET_MAX_AGE
VERIFY_MAX_AGE = timedelta(days=3)
RESET_MAX_AGE = timedelta(hours=1)


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _max_age(setting: str, default: timedelta) -> int:
    value = current_app.config.get(setting)
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    return int(value or default.total_seconds())


def password_fingerprint(user: User) -> str:
    """A short digest of the password hash: changes whenever the password does."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:20]


def verification_token(user: User) -> str:
    return _serializer(VERIFY_SALT).dumps({"u": user.id, "e": user.email})


def reset_token(user: User) -> str:
    return _serializer(RESET_SALT).dumps({"u": user.id, "p": password_fingerprint(user)})


def _load(token: str, salt: str, max_age: int) -> dict | None:
    try:
        data = _serializer(salt).loads(token or "", max_age=max_age)
    except (BadSignature, ValueError, TypeError):  # SignatureExpired is a BadSignature
        return None
    return data if isinstance(data, dict) and isinstance(data.get("u"), int) else None


def _user(user_id: int) -> User | None:
    if not 0 < user_id < 2**31:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None


def user_for_verification(token: str) -> User | None:
    """The active user a verification link was sent to, or None (forged, expired, other email)."""
    data = _load(token, VERIFY_SALT, _max_age("EMAIL_VERIFY_MAX_AGE", VERIFY_MAX_AGE))
    if data is None:
        return None
    user = _user(data["u"])
    return user if user is not None and user.email == data.get("e") else None


def user_for_reset(token: str) -> User | None:
    """The active user of a reset link that is unexpired and unused, or None."""
    data = _load(token, RESET_SALT, _max_age("PASSWORD_RESET_MAX_AGE", RESET_MAX_AGE))
    if data is None:
        return None
    user = _user(data["u"])
    if user is None or data.get("p") != password_fingerprint(user):
        return None
    return user
