"""Accounts: sign-up, authentication, password changes, staff creation, API tokens."""

import hashlib
import secrets
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from ..clock import utcnow
from ..extensions import db
from ..models import ApiToken, Community, Role, User
from .errors import Conflict, NotFound, ServiceError

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
    """Raises ServiceError: wrong_password, weak_password."""
    if not check_password_hash(user.password_hash, current or ""):
        raise ServiceError(_("The current password is not right."), "wrong_password", "current")
    user.password_hash = _hash(new)
    db.session.commit()


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


def user_for_token(token: str, now: datetime | None = None) -> User | None:
    """The active user of a bearer token, or None; one query on the common path."""
    if not token:
        return None
    row = db.session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == _token_hash(token))
    )
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    now = now or utcnow()
    if row.last_used_at is None or now - row.last_used_at > TOKEN_TOUCH_INTERVAL:
        row.last_used_at = now
        db.session.commit()
    return row.user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
