"""Cancelling a booking (its traveller, its provider, a closure) and expiring lapsed holds.

Each is a locked unit of work (see `locks`): Stripe's open checkout pages are closed first, with
no lock held; then the booking is locked and re-read, the move judged by its transition table,
the refund fixed by the policy (`money_rules`) and decided from the payments (`refunds`), the
people told through the outbox, and all of it committed at once.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ...clock import utcnow
from ...extensions import db
from ...models import BOOKING_TRANSITIONS, Booking, BookingStatus, User
from ...models.states import Outcome, judge
from ..booking import booking_access, booking_events, booking_lifecycle
from ..shared import locks, outbox
from ..shared.errors import Conflict, Forbidden, ServiceError
from . import checkout_pages, money_rules, refunds

#: the refunds a cancel decides carry this reason (refund checks compare them with refund_amount)
REFUND_REASON = "cancellation"


def cancel(
    booking: Booking,
    *,
    actor=None,
    reason: str = "",
    by_host: bool = False,
    now: datetime | None = None,
    still=None,
) -> int:
    """Cancel, free the inventory at once, decide the refund, commit; returns the refund amount.

    `still(booking)`, when given, is asked again under the lock whether the cancel still stands
    (a closure lifted meanwhile): False leaves the booking as it is (`not_cancellable`).

    A traveller's cancel (not `by_host`) is refused while a closure's move offer waits for their
    choice: refusing the offer is their cancel, with a full refund. Open card checkout pages are
    closed first, so a cancelled booking cannot be paid; money that lands afterwards is refunded
    in full (see `payments.receive`).
    Raises Conflict `not_cancellable` when the booking is past cancelling or already cancelled.
    """
    now = now or utcnow()
    booking_id = booking.id
    closed, unreachable = checkout_pages.close(booking_id)
    booking = locks.locked_booking(booking_id)
    outcome = judge(BOOKING_TRANSITIONS, booking.status, BookingStatus.CANCELLED)
    if outcome is Outcome.APPLIED and not by_host and booking_access.awaits_move_choice(booking):
        outcome = Outcome.REFUSED
    if outcome is Outcome.APPLIED and still is not None and not still(booking):
        outcome = Outcome.REFUSED
    if outcome is not Outcome.APPLIED:
        db.session.rollback()
        message = (
            _("This booking is already cancelled.")
            if outcome is Outcome.ALREADY
            else _("This booking can no longer be cancelled.")
        )
        raise Conflict(message, "not_cancellable")
    checkout_pages.mark_closed(booking, closed)
    booking.refund_amount = money_rules.refundable(booking, by_host=by_host, now=now)
    booking_lifecycle.transition(
        booking, BookingStatus.CANCELLED, actor=actor, reason=reason, now=now
    )
    refunds.refund_amount(booking, booking.refund_amount, REFUND_REASON, now=now, actor=actor)
    if unreachable:
        checkout_pages.close_later(booking)
    booking_events.announce(booking, "cancelled")
    db.session.commit()
    outbox.kick()
    return booking.refund_amount


def cancel_by_host(booking: Booking, actor: User, reason: str, now=None) -> int:
    """The host (or cooperative) cancels: the tourist gets back all they paid. Commits.

    Raises ServiceError reason_required, Conflict not_cancellable.
    """
    if not (reason or "").strip():
        raise ServiceError(_("Say why, for the tourist."), "reason_required", "reason")
    return cancel(booking, actor=actor, reason=reason.strip()[:500], by_host=True, now=now)


def cancel_as(
    user: User | None,
    booking: Booking,
    reason: str = "",
    *,
    holds_link: bool = False,
    side: booking_access.Side | None = None,
    now: datetime | None = None,
) -> int:
    """Cancel `booking` for `user` on their side (commits); returns the refund amount.

    The one entry the API and the pages use. Raises Forbidden when they may not cancel it,
    Conflict `not_cancellable`, ServiceError `reason_required` (provider side without a reason).
    """
    own = booking_access.cancel_side(user, booking, holds_link=holds_link)
    if own is None or (side is not None and side != own):
        raise Forbidden(_("You may not cancel this booking."), "forbidden")
    if not booking_access.can_cancel(user, booking, holds_link=holds_link, now=now):
        raise Conflict(_("This booking can no longer be cancelled."), "not_cancellable")
    actor = user if booking_access.signed_in(user) else None
    if own == booking_access.Side.PROVIDER:
        return cancel_by_host(booking, actor, reason, now=now)
    return cancel(booking, actor=actor, reason=(reason or "").strip()[:2000], now=now)


def expire_holds(now: datetime | None = None) -> int:
    """Mark lapsed holds as expired (their inventory is already free); returns how many.

    Each booking is its own unit of work: locked and re-read, so one paid a moment ago stays
    confirmed. Its open checkout pages are closed by the outbox.
    """
    now = now or utcnow()
    lapsed = db.session.scalars(
        select(Booking.id).where(
            Booking.status == BookingStatus.PENDING_PAYMENT, Booking.hold_expires_at <= now
        )
    ).all()
    expired = 0
    for booking_id in lapsed:
        booking = locks.locked_booking(booking_id)
        still_lapsed = booking.hold_expires_at is not None and booking.hold_expires_at <= now
        if (
            still_lapsed
            and booking_lifecycle.transition(booking, BookingStatus.EXPIRED, now=now)
            is Outcome.APPLIED
        ):
            expired += 1
            # Stripe keeps a checkout page open 30 min at least: close it so it cannot be paid
            checkout_pages.close_later(booking)
        db.session.commit()
    outbox.kick()
    return expired
