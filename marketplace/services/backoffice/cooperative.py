"""The cooperative's own work: accounts of hosts and guides; its rates and bank account change
through `money_settings` (a second person approves)."""

import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ...extensions import db
from ...models import Community, Listing, ListingStatus, Role, User
from ..accounts import accounts
from ..catalogue.listing_review import move_listing
from ..payments import money_settings
from ..shared import audit
from ..shared.errors import Forbidden, NotFound, ServiceError

STAFF_ROLES = (Role.HOST, Role.GUIDE)


@dataclass(frozen=True)
class NewStaff:
    """A host or guide account as the cooperative typed it; `role` None when none was chosen."""

    email: str
    role: Role | None
    name: str = ""
    phone: str | None = None
    password: str | None = None


def communities_of(user: User) -> list[Community]:
    query = select(Community).order_by(Community.id)
    if user.role != Role.ADMIN:
        query = query.where(Community.id.in_(user.community_ids or {-1}))
    return list(db.session.scalars(query))


def get_community(user: User, community_id: int) -> Community:
    community = db.session.get(Community, community_id)
    if community is None or not user.manages(community.id):
        raise NotFound(_("No such community."), "not_found")
    return community


def members(community: Community) -> list[User]:
    return sorted(community.members, key=lambda u: (u.role.value, u.name.lower()))


def create_staff(actor: User, community: Community, staff: NewStaff) -> tuple[User, str]:
    """A host or guide account in `community`; returns it and its first password. Commits.

    Raises Forbidden, ServiceError invalid_role, invalid_email, email_taken.
    """
    if not actor.manages(community.id):
        raise Forbidden(_("You are not allowed to do this."), "forbidden")
    role = staff.role
    if role not in STAFF_ROLES:
        raise ServiceError(_("Choose host or guide."), "invalid_role", "role")
    password = (staff.password or "").strip() or secrets.token_urlsafe(9)
    user = accounts.create_user(
        staff.email,
        password,
        name=staff.name.strip(),
        role=role,
        communities=[community.slug],
        phone=(staff.phone or "").strip() or None,
    )
    audit.record(user, "created", actor=actor, to_state=role.value)
    db.session.commit()
    return user, password


def set_active(actor: User, user: User, active: bool, note: str = "") -> None:
    """Suspend (or restore) a host or guide; a suspended host's listings go off sale. Commits."""
    if user.role not in STAFF_ROLES or not any(actor.manages(c.id) for c in user.communities):
        raise NotFound(_("No such account."), "not_found")
    user.active = active
    if not active and user.role == Role.HOST:
        for listing in db.session.scalars(
            select(Listing).where(
                Listing.host_id == user.id, Listing.status == ListingStatus.PUBLISHED
            )
        ):
            move_listing(
                listing,
                ListingStatus.SUSPENDED,
                actor=actor,
                action="suspended",
                note=note or "host suspended",
            )
    audit.record(user, "activated" if active else "suspended", actor=actor, note=note)
    db.session.commit()


def update_community(actor: User, community: Community, settings: money_settings.MoneySettings):
    """Ask for new rates and bank account: recorded as a pending change that an admin who is not
    `actor` approves (`money_settings`); nothing is applied now. Commits.

    Returns the pending SettingChange, or None when nothing would change.
    Raises Forbidden, ServiceError change_pending, out_of_range, rates_too_high, invalid_bank.
    """
    return money_settings.request_change(actor, community, settings)


def find_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such account."), "not_found")
    return user
