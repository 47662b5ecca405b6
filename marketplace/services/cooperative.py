"""The cooperative's own work: accounts of hosts and guides, its rates and bank account."""

import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Community, Listing, ListingStatus, Role, User
from . import accounts, audit
from .errors import Forbidden, NotFound, ServiceError
from .listing_review import move_listing

STAFF_ROLES = (Role.HOST, Role.GUIDE)


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


def create_staff(actor: User, community: Community, data: dict) -> tuple[User, str]:
    """A host or guide account in `community`; returns it and its first password. Commits.

    Raises Forbidden, ServiceError invalid_role, invalid_email, email_taken.
    """
    if not actor.manages(community.id):
        raise Forbidden(_("You are not allowed to do this."), "forbidden")
    try:
        role = Role(data.get("role"))
    except ValueError:
        role = None
    if role not in STAFF_ROLES:
        raise ServiceError(_("Choose host or guide."), "invalid_role", "role")
    password = (data.get("password") or "").strip() or secrets.token_urlsafe(9)
    user = accounts.create_user(
        data.get("email", ""),
        password,
        name=(data.get("name") or "").strip(),
        role=role,
        communities=[community.slug],
        phone=(data.get("phone") or "").strip() or None,
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


def update_community(actor: User, community: Community, data: dict) -> None:
    """Rates (percent, up to two decimals) and the bank account for VietQR. Commits.

    Raises Forbidden, ServiceError out_of_range, rates_too_high, invalid_bank.
    """
    if not actor.manages(community.id):
        raise Forbidden(_("You are not allowed to do this."), "forbidden")
    commission = _basis_points(data.get("commission_percent"), "commission_percent")
    fund = _basis_points(data.get("fund_percent"), "fund_percent")
    if commission + fund > 10000:
        raise ServiceError(
            _("Commission and fund together cannot exceed the price."),
            "rates_too_high",
            "fund_percent",
        )
    bank_bin = (data.get("bank_bin") or "").strip()
    number = (data.get("bank_account_number") or "").strip().replace(" ", "")
    name = (data.get("bank_account_name") or "").strip().upper()
    if bank_bin and (not bank_bin.isdigit() or len(bank_bin) != 6):
        raise ServiceError(_("The bank code has 6 digits."), "invalid_bank", "bank_bin")
    if number and (not number.isdigit() or len(number) > 19):
        raise ServiceError(
            _("The account number has up to 19 digits."), "invalid_bank", "bank_account_number"
        )
    before = {
        "commission_rate_bp": community.commission_rate_bp,
        "community_fund_rate_bp": community.community_fund_rate_bp,
    }
    community.commission_rate_bp = commission
    community.community_fund_rate_bp = fund
    community.bank_bin = bank_bin or None
    community.bank_account_number = number or None
    community.bank_account_name = name[:70] or None
    audit.record(community, "settings", actor=actor, data={"before": before})
    db.session.commit()


def _basis_points(value, field: str) -> int:
    text = str(value or "").strip().replace(",", ".")
    try:
        percent = float(text)
    except ValueError:
        raise ServiceError(_("Enter a percentage."), "invalid_number", field) from None
    points = round(percent * 100)
    if points < 0 or points > 10000:
        raise ServiceError(_("Between 0 and 100."), "out_of_range", field)
    return points


def find_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such account."), "not_found")
    return user
