"""Who may do what with a booking: view, manage, cancel (and on which side), scan, print.

One module, called by the pages, the API, the scanner and the services alike, so the API's
cancel and the site's cancel cannot disagree. `visible_clause` and `manageable_clause` are the
same rules as SQL conditions, for lists.

- view: its tourist, a host of one of its items, cooperative staff of its community or of one of
  its items' communities, admins (guests reach their booking by its signed link, in web/).
- manage (act for the provider side): hosts of its items, cooperative staff of its community,
  admins.
- cancel: the traveller (the tourist, or a guest holding the link) at the policy's refund while
  no move offer waits for their answer; the provider side (`can_manage`) with a reason, refunding
  everything.
- scan: guides, hosts, cooperative staff and admins; a ticket only within their communities.
- print a listing's guest list: its host, the cooperative of its community, admins.
"""

import enum
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select, true

from ..models import BOOKING_TRANSITIONS, Booking, BookingItem, BookingStatus, Listing, Role, User
from .errors import Conflict, Forbidden

SCANNER_ROLES = frozenset({Role.GUIDE, Role.HOST, Role.COOP, Role.ADMIN})


class Side(enum.StrEnum):
    #: the tourist, or a guest with the booking's link: the cancellation policy applies
    TRAVELLER = "traveller"
    #: a host of an item, the cooperative, an admin: a full refund, a reason required
    PROVIDER = "provider"


def _signed_in(user) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def can_view(user: User | None, booking: Booking) -> bool:
    if not _signed_in(user):
        return False
    if user.role == Role.ADMIN:
        return True
    if booking.tourist_id == user.id:
        return True
    if any(item.host_id == user.id for item in booking.items):
        return True
    community_ids = {booking.community_id} | {item.listing.community_id for item in booking.items}
    return user.role == Role.COOP and bool(community_ids & user.community_ids)


def can_manage(user: User | None, booking: Booking) -> bool:
    """May act for the provider side (accept, mark paid, cancel as host): hosts of an item, staff."""
    if not _signed_in(user):
        return False
    if user.role == Role.ADMIN:
        return True
    if any(item.host_id == user.id for item in booking.items):
        return True
    return user.role == Role.COOP and booking.community_id in user.community_ids


def cancel_side(user: User | None, booking: Booking, *, holds_link: bool = False) -> Side | None:
    """On which side `user` would cancel: its tourist is the traveller, a manager the provider,
    anyone else holding the booking's link the traveller; None: they may not cancel it at all."""
    if _signed_in(user) and booking.tourist_id == user.id:
        return Side.TRAVELLER
    if can_manage(user, booking):
        return Side.PROVIDER
    return Side.TRAVELLER if holds_link else None


def is_traveller(user: User | None, booking: Booking, *, holds_link: bool = False) -> bool:
    """The one who answers for the trip (cancels at the policy, answers a move offer)."""
    return cancel_side(user, booking, holds_link=holds_link) == Side.TRAVELLER


def can_cancel(
    user: User | None,
    booking: Booking,
    *,
    holds_link: bool = False,
    side: Side | None = None,
    now: datetime | None = None,
) -> bool:
    """Whether `user` may cancel `booking` now (on `side`, default: their own side).

    The booking's status must allow it; a traveller may not while a closure's move offer waits
    for their choice (refusing the offer is their cancel, with a full refund).
    """
    own = cancel_side(user, booking, holds_link=holds_link)
    if own is None or (side is not None and side != own):
        return False
    if BookingStatus.CANCELLED not in BOOKING_TRANSITIONS[booking.status]:
        return False
    if own == Side.TRAVELLER:
        from . import departure_moves

        return departure_moves.open_offer(booking, now) is None
    return True


def cancel_as(
    user: User | None,
    booking: Booking,
    reason: str = "",
    *,
    holds_link: bool = False,
    side: Side | None = None,
    now: datetime | None = None,
) -> int:
    """Cancel `booking` for `user` on their side (commits); returns the refund amount.

    The one entry the API and the pages use. Raises Forbidden when they may not cancel it,
    Conflict `not_cancellable`, ServiceError `reason_required` (provider side without a reason).
    """
    own = cancel_side(user, booking, holds_link=holds_link)
    if own is None or (side is not None and side != own):
        raise Forbidden(_("You may not cancel this booking."), "forbidden")
    if not can_cancel(user, booking, holds_link=holds_link, now=now):
        raise Conflict(_("This booking can no longer be cancelled."), "not_cancellable")
    actor = user if _signed_in(user) else None
    if own == Side.PROVIDER:
        from . import host_bookings

        return host_bookings.cancel_by_host(booking, actor, reason, now=now)
    from . import bookings

    return bookings.cancel(booking, actor=actor, reason=(reason or "").strip()[:2000], now=now)


def can_scan(user: User | None, community_id: int | None = None) -> bool:
    """May use the scanner at all (no community given), or check in guests of that community."""
    if not _signed_in(user) or getattr(user, "role", None) not in SCANNER_ROLES:
        return False
    return community_id is None or user.is_staff_of(community_id)


def can_print(user: User | None, listing: Listing) -> bool:
    """May print the guest list (the booked guests) of `listing`."""
    if not _signed_in(user):
        return False
    return listing.host_id == user.id or user.manages(listing.community_id)


# --- the same rules as SQL conditions on Booking, for lists ------------------------------------


def visible_clause(user: User):
    """`can_view` as a condition on Booking."""
    if user.role == Role.ADMIN:
        return true()
    conditions = [
        Booking.tourist_id == user.id,
        Booking.id.in_(select(BookingItem.booking_id).where(BookingItem.host_id == user.id)),
    ]
    if user.role == Role.COOP and user.community_ids:
        ids = user.community_ids
        conditions.append(Booking.community_id.in_(ids))
        conditions.append(
            Booking.id.in_(
                select(BookingItem.booking_id)
                .join(Listing, Listing.id == BookingItem.listing_id)
                .where(Listing.community_id.in_(ids))
            )
        )
    return or_(*conditions)


def manageable_clause(user: User):
    """`can_manage` as a condition on Booking."""
    if user.role == Role.ADMIN:
        return true()
    hosted = Booking.id.in_(select(BookingItem.booking_id).where(BookingItem.host_id == user.id))
    if user.role == Role.COOP and user.community_ids:
        return or_(hosted, Booking.community_id.in_(user.community_ids))
    return hosted
