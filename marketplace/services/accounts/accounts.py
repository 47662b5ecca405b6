"""Accounts: sign-up, authentication, password changes, staff creation, API tokens."""

import hashlib
import secrets
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ...clock import utcnow
from ...database import commit_keeping_loaded
from ...extensions import db
from ...models import ApiToken, Booking, Community, Role, User
from ..shared import outbox
from ..shared.errors import Conflict, NotFound, ServiceError
from . import account_tokens

MIN_PASSWORD_LENGTH = 8


def normalize_email(email: str) -> str:
    """A deliverable-looking address, lower-cased. Raises ServiceError(code="invalid_email")."""
    try:
        # test_environment admits the reserved .test domain of demo and test accounts
        result = validate_email(
            (email or "").strip(), check_deliverability=False, test_environment=True
        )
    except EmailNotValidError:
        raise ServiceError(_("Enter a valid email address."), "invalid_email", "email") from None
    return result.normalized.lower()


def _hash(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ServiceError(
            _("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), "weak_password", "password"
        )
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))


def create_user(
    email: str,
    password: str,
    *,
    name: str = "",
    role: Role = Role.TOURIST,
    locale: str | None = None,
    communities: list[str] = (),
    phone: str | None = None,
    nationality: str | None = None,
) -> User:
    """Create an account and commit.

    Raises ServiceError: invalid_email, weak_password, email_taken (409), unknown_community.
    """
    email = normalize_email(email)
    if find_user(email):
        raise Conflict(_("An account with this email already exists."), "email_taken", "email")
    user = User(
        email=email,
        name=(name or email.split("@")[0]).strip()[:120],
        password_hash=_hash(password),
        role=Role(role),
        locale=locale,
        phone=phone,
        nationality=nationality,
    )
    for slug in communities:
        community = db.session.scalar(select(Community).where(Community.slug == slug))
        if community is None:
            raise NotFound(_("Unknown community."), "unknown_community", "community")
        user.communities.append(community)
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for unknown and wrong)."""
    user = find_user(email)
    if user is None or not user.active:
        # spend the same time as a real check so timing does not reveal who has an account
        check_password_hash(
            generate_password_hash("x", method="pbkdf2:sha256:1000"), password or ""
        )
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password and end every other session and remember-me cookie of `user`.

    Raises ServiceError: wrong_password, weak_password.
    """
    if not check_password_hash(user.password_hash, current or ""):
        raise ServiceError(_("The current password is not right."), "wrong_password", "current")
    user.password_hash = _hash(new)
    _end_sessions(user)
    db.session.commit()


def _end_sessions(user: User) -> None:
    """Sessions and remember-me cookies carry the old version: they no longer load the user."""
    user.session_version = (user.session_version or 1) + 1


# --- sign-up, verified email, password reset ---------------------------------------------------

#: outbox topic of the account mails (marketplace/mailing/account_mail.py)
MAIL_TOPIC = "mail.account"


def sign_up(email: str, password: str, *, name: str = "", locale: str | None = None) -> None:
    """Open a tourist account and mail the link that confirms the address; commit.

    The same outcome whether the address has an account or not (no enumeration): an existing
    owner is mailed that someone tried to sign up with their address, and nothing else changes.
    Raises ServiceError: invalid_email, weak_password (the same for both cases).
    """
    email = normalize_email(email)
    password_hash = _hash(password)  # hashed in both cases: the answer takes the same time
    existing = find_user(email)
    if existing is not None:
        outbox.emit(MAIL_TOPIC, {"kind": "signup_attempt", "user_id": existing.id})
        db.session.commit()
        outbox.kick()
        return
    user = User(
        email=email,
        name=(name or email.split("@")[0]).strip()[:120],
        password_hash=password_hash,
        role=Role.TOURIST,
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    outbox.emit(MAIL_TOPIC, {"kind": "verify", "user_id": user.id})
    db.session.commit()
    outbox.kick()


def resend_verification(user: User) -> bool:
    """Mail the confirmation link again; False when the address is confirmed already."""
    if user.email_verified_at is not None:
        return False
    outbox.emit(MAIL_TOPIC, {"kind": "verify", "user_id": user.id})
    db.session.commit()
    outbox.kick()
    return True


def verify_email(token: str, now: datetime | None = None) -> tuple[User, bool]:
    """Mark the address of a verification link confirmed, end the sessions opened before, and give
    the account the bookings made as a guest with it; commit. Returns the user and whether this call confirmed it (False: the
    link had been used before).

    Raises ServiceError: invalid_link (forged, expired, or for an address no longer the user's).
    """
    user = account_tokens.user_for_verification(token)
    if user is None:
        raise ServiceError(_("This link is not valid or has expired."), "invalid_link")
    newly = user.email_verified_at is None
    if newly:
        user.email_verified_at = now or utcnow()
        # whoever typed the address may not own it: sessions opened before the owner confirmed
        # it end (the link's first use logs the owner in)
        _end_sessions(user)
        db.session.commit()
    attach_guest_bookings(user)
    return user, newly


def attach_guest_bookings(user: User) -> int:
    """Give a user whose address is confirmed the guest bookings made with it; commit.

    Without a confirmed address nothing joins: signing up with someone else's email must not
    show their bookings (see `attach_booking` for a booking whose own link the user holds).
    """
    if user.email_verified_at is None:
        return 0
    result = db.session.execute(
        update(Booking)
        .where(Booking.tourist_id.is_(None), Booking.contact_email == user.email)
        .values(tourist_id=user.id)
    )
    db.session.commit()
    return result.rowcount or 0


def attach_booking(user: User, booking: Booking) -> bool:
    """Put one guest booking under `user`, who holds its signed link; commit.

    Returns False when it belongs to an account already (theirs or someone else's).
    """
    result = db.session.execute(
        update(Booking)
        .where(Booking.id == booking.id, Booking.tourist_id.is_(None))
        .values(tourist_id=user.id)
    )
    db.session.commit()
    return bool(result.rowcount)


def request_password_reset(email: str) -> None:
    """Mail a reset link when an active account has this address; silently nothing otherwise."""
    try:
        email = normalize_email(email)
    except ServiceError:
        return
    user = find_user(email)
    if user is None or not user.active:
        return
    outbox.emit(MAIL_TOPIC, {"kind": "reset", "user_id": user.id})
    db.session.commit()
    outbox.kick()


def reset_password(token: str, new: str, now: datetime | None = None) -> User:
    """Set the password of a reset link's user; the link then stops working, and so does every
    session and remember-me cookie. Opening the mailed link also confirms the address. Commit.

    Raises ServiceError: invalid_link (forged, expired or used), weak_password.
    """
    user = account_tokens.user_for_reset(token)
    if user is None:
        raise ServiceError(_("This link is not valid or has expired."), "invalid_link")
    user.password_hash = _hash(new)
    _end_sessions(user)
    if user.email_verified_at is None:
        user.email_verified_at = now or utcnow()
    db.session.commit()
    return user


def set_locale(user: User, locale: str) -> None:
    if user.locale != locale:
        user.locale = locale
        db.session.commit()


def create_token(user: User, name: str = "") -> str:
    """A new bearer token for `user`; only its hash is kept, so it is shown once."""
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=_token_hash(token), name=name))
    db.session.commit()
    return token


#: last_used_at is refreshed at most this often, so a busy client does not write on every call
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


#: the active user of an unrevoked token, with what the touch below needs: built once (every API
#: request runs it, and building an ORM statement costs as much CPU as the database's answer)
_TOKEN_USER = (
    select(User, ApiToken.id, ApiToken.last_used_at)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(
        ApiToken.token_hash == bindparam("token_hash"),
        ApiToken.revoked_at.is_(None),
        User.active.is_(True),
    )
)


def user_for_token(token: str, now: datetime | None = None) -> User | None:
    """The active user of a bearer token, or None; one query on the common path."""
    if not token:
        return None
    row = db.session.execute(_TOKEN_USER, {"token_hash": _token_hash(token)}).first()
    if row is None:
        return None
    user, token_id, last_used_at = row
    now = now or utcnow()
    if last_used_at is None or now - last_used_at > TOKEN_TOUCH_INTERVAL:
        db.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
        commit_keeping_loaded()  # the user was read a moment ago: no second read of it
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
