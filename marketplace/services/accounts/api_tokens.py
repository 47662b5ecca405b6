"""API bearer tokens an account can see and revoke (the account page, `flask tokens`).

Tokens are made by `accounts.create_token` (only a hash is kept) and checked by
`accounts.user_for_token`, which refuses a revoked one: the API answers 401.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ...clock import utcnow
from ...extensions import db
from ...models import ApiToken, User
from ..shared import audit
from ..shared.errors import NotFound, ServiceError
from . import accounts

MAX_NAME = 80


def tokens_of(user: User) -> list[ApiToken]:
    """The account's tokens, newest first, revoked ones included (shown as revoked)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def create_token(user: User, name: str) -> str:
    """A new token named `name` for `user`, returned once; commits. Raises invalid_name."""
    name = " ".join((name or "").split())
    if not name or len(name) > MAX_NAME:
        raise ServiceError(
            _("Give the token a name of up to %(n)d characters.", n=MAX_NAME),
            "invalid_name",
            "name",
        )
    token = accounts.create_token(user, name=name)
    row = db.session.scalar(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    )
    audit.record(row, "api_token_created", actor=user, data={"name": name})
    db.session.commit()
    return token


def revoke_token(
    user: User, token_id: int, *, actor: User | None = None, now: datetime | None = None
) -> ApiToken:
    """Revoke one of `user`'s tokens; from now on it gets 401. Commits; revoking twice is a no-op.

    Raises NotFound (not_found) for a token of another account or none at all.
    """
    row = db.session.get(ApiToken, token_id) if 0 < token_id < 2**31 else None
    if row is None or row.user_id != user.id:
        raise NotFound(_("No such token."), "not_found")
    if row.revoked_at is None:
        row.revoked_at = now or utcnow()
        audit.record(row, "api_token_revoked", actor=actor or user)
        db.session.commit()
    return row
