"""Two-factor sign-in for staff: a TOTP secret (RFC 6238) plus ten single-use recovery codes.

Who may enrol: administrators and cooperative staff. Who must: the roles in the
`TWO_FACTOR_REQUIRED_ROLES` setting (production: admins). Enrolment is two steps: a secret is
made and shown (`begin_enrolment`), and only the first right code from the authenticator app
puts it in force (`confirm_enrolment`), which also hands out the recovery codes, once.

Codes are accepted one 30-second step either side of the clock (`VALID_WINDOW`), and a step
that has signed in once is refused afterwards, so a code seen over a shoulder cannot be replayed.
Recovery codes are random (50 bits) and kept as SHA-256 hashes; each one works once.

The secret is stored encrypted with the at-rest keys of `marketplace.crypto` (PASSPORT_KEYS,
MultiFernet) and re-encrypted with the newest key at every sign-in by code, so a rotated key
reaches the secrets of active staff. A secret no key opens any more is treated as absent: only
the recovery codes work, and the user turns two-factor off with one and enrols again.
"""

import hashlib
import hmac
import secrets
import string
import time
from datetime import datetime

import pyotp
from cryptography.fernet import InvalidToken
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ... import crypto
from ...clock import utcnow
from ...database import begin_write, is_sqlite
from ...extensions import db
from ...models import Role, User
from ..shared.errors import Conflict, Forbidden, ServiceError

#: roles that may turn two-factor sign-in on
ELIGIBLE_ROLES = frozenset({Role.ADMIN, Role.COOP})
#: steps of 30 s accepted either side of now (clock drift of a phone)
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
ISSUER = "Mountain Homestays"
_RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no l, o, 0, 1: read aloud, typed by hand
_MAX_CODE_LENGTH = 64
#: what a typed code may contain; spaces, dashes and anything else are dropped
_CODE_CHARACTERS = frozenset(string.ascii_letters + string.digits)


def is_eligible(user: User) -> bool:
    return user.role in ELIGIBLE_ROLES


def is_enrolled(user: User) -> bool:
    return bool(user.totp_secret) and user.totp_confirmed_at is not None


def required_for_login(user: User) -> bool:
    """Whether a code must follow the password before this user is logged in."""
    return is_enrolled(user)


def required_roles() -> set[Role]:
    """The roles `TWO_FACTOR_REQUIRED_ROLES` names (a list, or a comma-separated string)."""
    setting = current_app.config.get("TWO_FACTOR_REQUIRED_ROLES") or []
    if isinstance(setting, str):
        setting = setting.split(",")
    roles = set()
    for name in setting:
        name = str(name).strip().lower()
        if name in Role._value2member_map_:
            roles.add(Role(name))
    return roles


def must_enrol(user: User) -> bool:
    """An account whose role requires a second factor and that has none yet."""
    return user.role in required_roles() and not is_enrolled(user)


def recovery_codes_left(user: User) -> int:
    return len(_recovery_hashes(user))


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def begin_enrolment(user: User) -> str:
    """The secret to show for enrolment: the pending one, or a new one (committed).

    Raises Forbidden(not_eligible) for roles that cannot enrol, Conflict(already_enrolled).
    """
    if not is_eligible(user):
        raise Forbidden(_("Two-factor sign-in is for staff accounts."), "not_eligible")
    if is_enrolled(user):
        raise Conflict(_("Two-factor sign-in is already on."), "already_enrolled")
    secret = _secret(user)
    if not secret:
        user = _locked_user(user.id)
        secret = _secret(user)
        if not secret:
            secret = pyotp.random_base32()
            user.totp_secret = crypto.encrypt(secret)
        db.session.commit()
    return secret


def confirm_enrolment(user: User, code: str, *, now: datetime | None = None) -> list[str]:
    """Put the pending secret in force with its first code; return the new recovery codes.

    The codes are returned once and only their hashes are kept. Raises Forbidden(not_eligible),
    Conflict(already_enrolled), ServiceError(no_pending_enrolment, wrong_code).
    """
    if not is_eligible(user):
        raise Forbidden(_("Two-factor sign-in is for staff accounts."), "not_eligible")
    user = _locked_user(user.id)
    if is_enrolled(user):
        db.session.rollback()
        raise Conflict(_("Two-factor sign-in is already on."), "already_enrolled")
    secret = _secret(user)
    if not secret:
        db.session.rollback()
        raise ServiceError(
            _("Start the set-up again: no code is waiting."), "no_pending_enrolment", "code"
        )
    step = _matching_step(secret, _normalize(code), now)
    if step is None:
        db.session.rollback()
        raise _wrong_code()
    codes = _new_recovery_codes()
    user.totp_confirmed_at = now or utcnow()
    user.totp_last_step = step
    user.totp_recovery_hashes = "\n".join(_hash(c) for c in codes)
    db.session.commit()
    return codes


def verify_login(user_id: int, code: str, *, now: datetime | None = None) -> str:
    """Check the second factor of a sign-in; "totp" or "recovery" for the kind that passed.

    A recovery code is used up, and a TOTP step cannot sign in twice. Committed.
    Raises ServiceError(wrong_code) - also for an account that is not enrolled or not active.
    """
    user = _locked_user(user_id)
    kind = _consume(user, code, now) if user is not None and user.is_active else None
    if kind is None:
        db.session.rollback()
        raise _wrong_code()
    db.session.commit()
    return kind


def disable(user: User, code: str, *, now: datetime | None = None) -> None:
    """Turn two-factor sign-in off; a current code (or a recovery code) proves the device.

    Raises ServiceError(not_enrolled, wrong_code).
    """
    user = _locked_user(user.id)
    if not is_enrolled(user):
        db.session.rollback()
        raise ServiceError(_("Two-factor sign-in is not on."), "not_enrolled")
    if _consume(user, code, now) is None:
        db.session.rollback()
        raise _wrong_code()
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.totp_recovery_hashes = None
    db.session.commit()


# --- internals --------------------------------------------------------------------------------


def _wrong_code() -> ServiceError:
    return ServiceError(_("That code is not right. Try the newest one."), "wrong_code", "code")


def _locked_user(user_id: int) -> User | None:
    """The user row, freshly read under the write lock (a code is used once even in a race)."""
    begin_write()
    query = select(User).where(User.id == user_id).execution_options(populate_existing=True)
    if not is_sqlite():
        query = query.with_for_update()
    return db.session.scalar(query)


def _secret(user: User) -> str | None:
    """The plain base32 secret; None when there is none or no configured key opens it."""
    if not user.totp_secret:
        return None
    try:
        return crypto.decrypt(user.totp_secret)
    except InvalidToken:
        return None


def _normalize(code: str | None) -> str:
    text = str(code or "")[:_MAX_CODE_LENGTH]
    return "".join(ch for ch in text if ch in _CODE_CHARACTERS).lower()


def _matching_step(secret: str, code: str, now: datetime | None) -> int | None:
    """The time step whose code is `code`, within VALID_WINDOW of now; None if none matches."""
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    moment = now.timestamp() if now else time.time()
    current = int(moment // totp.interval)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _consume(user: User, code: str, now: datetime | None) -> str | None:
    """Accept a TOTP code (newer than the last one used) or use up a recovery code."""
    if not is_enrolled(user):
        return None
    code = _normalize(code)
    secret = _secret(user)
    step = _matching_step(secret, code, now) if secret else None
    if step is not None:
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return None
        user.totp_last_step = step
        user.totp_secret = crypto.encrypt(secret)  # under the newest key
        return "totp"
    hashes = _recovery_hashes(user)
    digest = _hash(code)
    if code and any(hmac.compare_digest(digest, h) for h in hashes):
        hashes.remove(digest)
        user.totp_recovery_hashes = "\n".join(hashes)
        return "recovery"
    return None


def _recovery_hashes(user: User) -> list[str]:
    return [h for h in (user.totp_recovery_hashes or "").split("\n") if h]


def _new_recovery_codes() -> list[str]:
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _j in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def _hash(code: str) -> str:
    return hashlib.sha256(_normalize(code).encode()).hexdigest()
