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

from sqlalchemy import exists, false, or_, select, true

from ...extensions import db
from ...models import (
    BOOKING_TRANSITIONS,
    Booking,
    BookingItem,
    BookingStatus,
    Listing,
    Role,
    User,
    community_member,
)
from ...models.move_offer import MoveOffer, MoveOfferStatus

SCANNER_ROLES = frozenset({Role.GUIDE, Role.HOST, Role.COOP, Role.ADMIN})


class Side(enum.StrEnum):
    #: the tourist, or a guest with the booking's link: the cancellation policy applies
    TRAVELLER = "traveller"
    #: a host of an item, the cooperative, an admin: a full refund, a reason required
    PROVIDER = "provider"


def signed_in(user) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def can_view(user: User | None, booking: Booking) -> bool:
    if not signed_in(user):
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
    if not signed_in(user):
        return False
    if user.role == Role.ADMIN:
        return True
    if any(item.host_id == user.id for item in booking.items):
        return True
    return user.role == Role.COOP and booking.community_id in user.community_ids


def cancel_side(user: User | None, booking: Booking, *, holds_link: bool = False) -> Side | None:
    """On which side `user` would cancel: its tourist is the traveller, a manager the provider,
    anyone else holding the booking's link the traveller; None: they may not cancel it at all."""
    if signed_in(user) and booking.tourist_id == user.id:
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
    return own == Side.PROVIDER or not awaits_move_choice(booking)


def awaits_move_choice(booking: Booking) -> bool:
    """A closure offered this booking other departures and its traveller has not chosen yet."""
    return (
        db.session.scalar(
            select(MoveOffer.id)
            .where(MoveOffer.booking_id == booking.id, MoveOffer.status == MoveOfferStatus.OPEN)
            .limit(1)
        )
        is not None
    )


def can_scan(user: User | None, community_id: int | None = None) -> bool:
    """May use the scanner at all (no community given), or check in guests of that community."""
    if not signed_in(user) or getattr(user, "role", None) not in SCANNER_ROLES:
        return False
    return community_id is None or user.is_staff_of(community_id)


def scan_shape(user: User | None) -> str:
    """Which condition `scan_clause` is for `user`: "none" (may not scan), "any" (every
    community) or "member" (the communities the user is a member of)."""
    if not signed_in(user) or getattr(user, "role", None) not in SCANNER_ROLES:
        return "none"
    return "any" if user.role == Role.ADMIN else "member"


def scan_clause(shape: str, community_id, user_id):
    """`can_scan(user, community_id)` as an SQL condition on a community id column, for the
    user's `scan_shape` and id (`user_id`, a value or a bound parameter): the scanner's right
    comes with the ticket it reads (an indexed look-up of its membership), not one query more,
    and a statement built once per shape serves every scanner."""
    if shape == "none":
        return false()
    if shape == "any":
        return true()
    return exists().where(
        community_member.c.user_id == user_id, community_member.c.community_id == community_id
    )


def can_print(user: User | None, listing: Listing) -> bool:
    """May print the guest list (the booked guests) of `listing`."""
    if not signed_in(user):
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
