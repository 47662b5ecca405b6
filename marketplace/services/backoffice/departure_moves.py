"""Moving to another departure instead of a refund, after the cooperative cancelled a tour run.

A confirmed one-item booking of a cancelled departure gets a `MoveOffer` row (OPEN) listing up to
three other departures of the same tour; the tourist accepts one (ACCEPTED: the booking moves at
the price paid and its ticket is re-issued), refuses (REFUSED: cancelled with a full refund), or
does not answer by the cancelled departure's day (LAPSED by `refund_unanswered`: the same refund).

The offer belongs to the booking's aggregate: every change locks the booking row first
(`locks.locked_booking`), re-reads the booking and its offer, judges the move with
MOVE_OFFER_TRANSITIONS, writes and commits. A move also takes the new seats under the inventory
lock placing a booking takes. So of an accept racing a refusal or the daily refund exactly one
wins; the other gets Conflict `offer_closed`.

Refunding is `bookings.cancel`, which locks the booking itself and talks to Stripe with no lock
held: the offer's answer is committed first, then the booking is cancelled. Should the second
step not happen (a crash), `refund_unanswered` finishes it on its next run.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from ...clock import BUSINESS_TZ, business_today, to_business_time, utcnow
from ...extensions import db
from ...models import (
    MOVE_OFFER_TRANSITIONS,
    Booking,
    BookingItem,
    BookingStatus,
    Departure,
    DepartureStatus,
    MoveOffer,
    MoveOfferStatus,
)
from ...models.states import Outcome, judge
from ..booking import booking_events, tickets
from ..catalogue import availability, booking_rules
from ..payments import cancellations
from ..shared import audit, locks, outbox
from ..shared.errors import Conflict, NotFound, ServiceError

#: how many other departures a tourist of a cancelled one is offered
ALTERNATIVES = 3
#: answers that end in a full refund
REFUNDING = (MoveOfferStatus.REFUSED, MoveOfferStatus.LAPSED)


@dataclass
class OpenOffer:
    """An OPEN offer as the tourist's page and mail show it."""

    offer: MoveOffer
    booking: Booking
    item: BookingItem
    #: the offered departures that still have seats and have not left, nearest first
    alternatives: list[Departure]
    reason: str
    offered_ids: set[int]


@dataclass
class Answer:
    """What answering an offer did: APPLIED now, or ALREADY (a repeat: nothing changed)."""

    outcome: Outcome
    departure: Departure | None = None
    refund: int = 0


def transition_offer(
    offer: MoveOffer,
    to: MoveOfferStatus,
    *,
    actor=None,
    now: datetime | None = None,
    moved_to: Departure | None = None,
) -> Outcome:
    """Move `offer` (its booking locked by the caller) to `to` in the caller's transaction.

    Answers APPLIED (written, with an audit row), ALREADY or REFUSED (nothing written).
    """
    current = offer.status
    outcome = judge(MOVE_OFFER_TRANSITIONS, current, to)
    if outcome is Outcome.APPLIED:
        offer.status = to
        offer.answered_at = now or utcnow()
        offer.answered_by_id = getattr(actor, "id", None)
        if moved_to is not None:
            offer.moved_to_id = moved_to.id
        audit.record(
            offer,
            "status",
            actor=actor,
            from_state=current,
            to_state=to,
            data={"booking_id": offer.booking_id, "moved_to": offer.moved_to_id},
        )
    return outcome


def moveable_item(booking: Booking) -> BookingItem | None:
    """The one item of a confirmed one-item booking whose tour departure is cancelled."""
    if booking.status != BookingStatus.CONFIRMED or len(booking.items) != 1:
        return None
    item = booking.items[0]
    if item.departure is None or item.departure.status != DepartureStatus.CANCELLED:
        return None
    return item


def alternatives_for(item: BookingItem, now: datetime, limit: int | None = ALTERNATIVES):
    """Departures of the item's tour still open for booking (`booking_rules.departure_open`),
    with seats for all its people; the nearest in time to the cancelled one first."""
    candidates = db.session.scalars(
        select(Departure).where(
            Departure.listing_id == item.listing_id,
            Departure.id != item.departure_id,
            *booking_rules.departure_open_clause(now),
        )
    ).all()
    left = availability.seats_left(candidates, now)
    fitting = [d for d in candidates if left[d.id] >= item.quantity]
    original = item.departure.starts_at
    fitting.sort(key=lambda d: (abs((d.starts_at - original).total_seconds()), d.id))
    return fitting[:limit]


def offer_for(booking_id: int, departure_id: int) -> MoveOffer | None:
    """The offer made to a booking when `departure_id` was cancelled, whatever its status."""
    return db.session.scalar(
        select(MoveOffer).where(
            MoveOffer.booking_id == booking_id, MoveOffer.departure_id == departure_id
        )
    )


def offer_move(booking: Booking, item: BookingItem, actor, reason: str, now: datetime):
    """Offer other departures to a booking the caller has locked, in the caller's transaction;
    returns the MoveOffer, or None when no departure fits (the caller refunds instead)."""
    choices = alternatives_for(item, now)
    if not choices:
        return None
    tickets.void_for_booking(booking)  # that day's trip will not run; a move issues it anew
    booking.updated_at = now
    offer = MoveOffer(
        booking_id=booking.id,
        departure_id=item.departure_id,
        alternative_ids=[d.id for d in choices],
        reason=reason,
        status=MoveOfferStatus.OPEN,
        created_at=now,
    )
    db.session.add(offer)
    audit.record(
        booking,
        "move_offered",
        actor=actor,
        data={"departure_id": item.departure_id, "alternatives": offer.alternative_ids},
        note=reason,
    )
    return offer


def open_offer(booking: Booking, now: datetime | None = None) -> OpenOffer | None:
    """The tourist's pending choice between another departure and a refund, if any (a read).

    Alternatives that have filled up or left since the offer are left out.
    """
    item = moveable_item(booking)
    if item is None:
        return None
    offer = db.session.scalar(
        select(MoveOffer).where(
            MoveOffer.booking_id == booking.id,
            MoveOffer.departure_id == item.departure_id,
            MoveOffer.status == MoveOfferStatus.OPEN,
        )
    )
    if offer is None:
        return None
    offered = set(offer.alternative_ids or [])
    still = [d for d in alternatives_for(item, now or utcnow(), limit=None) if d.id in offered]
    return OpenOffer(offer, booking, item, still, offer.reason or "", offered)


def latest_offer(booking_id: int) -> MoveOffer | None:
    """The booking's most recent move offer, whatever its status (a read)."""
    return db.session.scalar(
        select(MoveOffer)
        .where(MoveOffer.booking_id == booking_id)
        .order_by(MoveOffer.id.desc())
        .limit(1)
    )


def _live_item(booking: Booking, offer: MoveOffer) -> BookingItem | None:
    """The item the offer is about, while the booking still holds the cancelled departure."""
    item = moveable_item(booking)
    return item if item is not None and item.departure_id == offer.departure_id else None


def _closed(offer: MoveOffer | None = None) -> Conflict:
    messages = {
        MoveOfferStatus.ACCEPTED: _("You have already moved to another departure."),
        MoveOfferStatus.REFUSED: _("You have already chosen a refund."),
    }
    status = offer.status if offer is not None else None
    return Conflict(messages.get(status, _("This offer is no longer open.")), "offer_closed")


def _lapse_stale(offer: MoveOffer, now: datetime) -> Conflict:
    """An OPEN offer whose booking ended another way (cancelled by the host): close it."""
    transition_offer(offer, MoveOfferStatus.LAPSED, now=now)
    db.session.commit()
    return _closed()


def _sold_out() -> Conflict:
    return Conflict(
        _("Sorry, this departure has just filled up. Choose another one, or ask for your refund."),
        "sold_out",
        "departure_id",
    )


def accept_move(booking: Booking, departure_id, actor=None, now: datetime | None = None) -> Answer:
    """Move the booking to one of the offered departures, at the price already paid; commits.

    Locks the booking, then the new departure's seats as placing a booking does. Choosing the
    departure already moved to again answers ALREADY. Raises Conflict `offer_closed` (answered
    otherwise, lapsed, or the booking was cancelled), `sold_out` (nothing changed), NotFound when
    the departure was not offered.
    """
    now = now or utcnow()
    try:
        booking = locks.lock(booking)
        offer = latest_offer(booking.id)
        if offer is None:
            raise _closed()
        outcome = judge(MOVE_OFFER_TRANSITIONS, offer.status, MoveOfferStatus.ACCEPTED)
        if outcome is Outcome.ALREADY and departure_id and offer.moved_to_id == departure_id:
            db.session.rollback()
            return Answer(Outcome.ALREADY, departure=db.session.get(Departure, departure_id))
        if outcome is not Outcome.APPLIED:
            raise _closed(offer)
        item = _live_item(booking, offer)
        if item is None:
            raise _lapse_stale(offer, now)
        if not departure_id or departure_id not in (offer.alternative_ids or []):
            raise NotFound(_("This departure was not offered to you."), "not_found", "departure_id")
        departure = db.session.scalar(
            locks.locking_inventory(select(Departure).where(Departure.id == departure_id))
        )
        if departure is None or not booking_rules.departure_open(departure, now):
            raise _sold_out()
        if availability.seats_left([departure], now)[departure.id] < item.quantity:
            raise _sold_out()
        old_id = item.departure_id
        day = to_business_time(departure.starts_at).date()
        item.departure = departure
        item.check_in = day
        item.check_out = day
        booking.updated_at = now  # the aggregate changed: its version moves on (services.locks)
        tickets.reissue_for_item(item, now=now)
        transition_offer(offer, MoveOfferStatus.ACCEPTED, actor=actor, now=now, moved_to=departure)
        audit.record(
            booking,
            "moved",
            actor=actor,
            data={"from_departure": old_id, "to_departure": departure.id},
        )
        booking_events.announce(booking, "move_accepted")  # the tourist's mail: confirmed
        db.session.commit()
    except ServiceError:
        db.session.rollback()
        raise
    outbox.kick()
    return Answer(Outcome.APPLIED, departure=departure)


def refuse_move(booking: Booking, actor=None, now: datetime | None = None) -> Answer:
    """The tourist wants their money back: cancel with a full refund (commits).

    A repeat answers ALREADY with the refund decided the first time. Raises Conflict
    `offer_closed` when the offer was accepted, lapsed or the booking ended another way.
    """
    now = now or utcnow()
    try:
        booking = locks.lock(booking)
        offer = latest_offer(booking.id)
        if offer is None:
            raise _closed()
        outcome = judge(MOVE_OFFER_TRANSITIONS, offer.status, MoveOfferStatus.REFUSED)
        if outcome is Outcome.REFUSED:
            raise _closed(offer)
        item = _live_item(booking, offer)
        if outcome is Outcome.APPLIED:
            if item is None:
                raise _lapse_stale(offer, now)
            transition_offer(offer, MoveOfferStatus.REFUSED, actor=actor, now=now)
            booking_events.announce(booking, "move_declined")
        reason = offer.reason
        db.session.commit()  # the answer stands before the refund: no lock while Stripe answers
    except ServiceError:
        db.session.rollback()
        raise
    if item is None:  # refused before, and cancelled then
        return Answer(Outcome.ALREADY, refund=booking.refund_amount or 0)
    return Answer(outcome, refund=_refund(booking, reason, actor, now))


def _refund(booking: Booking, reason: str, actor, now: datetime) -> int:
    """Cancel with everything paid given back; `bookings.cancel` locks and re-checks."""
    try:
        return cancellations.cancel(booking, actor=actor, reason=reason, by_host=True, now=now)
    except Conflict as exc:
        if exc.code != "not_cancellable":
            raise
        return booking.refund_amount or 0  # cancelled meanwhile by someone else


def refund_unanswered(now: datetime | None = None) -> list[str]:
    """Lapse every offer not answered by the cancelled departure's day and refund its booking in
    full; also finish refunds an earlier run or refusal left undone. Returns the references."""
    now = now or utcnow()
    tomorrow = datetime.combine(business_today(now) + timedelta(days=1), time.min, BUSINESS_TZ)
    due = db.session.execute(
        select(MoveOffer.id, MoveOffer.booking_id)
        .join(Departure, Departure.id == MoveOffer.departure_id)
        .join(Booking, Booking.id == MoveOffer.booking_id)
        .where(
            or_(
                and_(MoveOffer.status == MoveOfferStatus.OPEN, Departure.starts_at < tomorrow),
                and_(MoveOffer.status.in_(REFUNDING), Booking.status == BookingStatus.CONFIRMED),
            )
        )
        .order_by(MoveOffer.id)
    ).all()
    db.session.rollback()
    refunded = []
    for offer_id, booking_id in due:
        try:
            if _lapse(offer_id, booking_id, now):
                refunded.append(db.session.get(Booking, booking_id).reference)
        except ServiceError as exc:
            db.session.rollback()
            current_app.logger.warning("offer %s not refunded: %s", offer_id, exc.code)
    return refunded


def _lapse(offer_id: int, booking_id: int, now: datetime) -> bool:
    """One due offer as its own unit of work; True when its booking was refunded now."""
    booking = locks.locked_booking(booking_id)
    offer = db.session.get(MoveOffer, offer_id)
    if offer.status == MoveOfferStatus.OPEN:
        transition_offer(offer, MoveOfferStatus.LAPSED, now=now)
    elif offer.status not in REFUNDING:  # accepted meanwhile
        db.session.rollback()
        return False
    item = _live_item(booking, offer)
    reason = offer.reason
    db.session.commit()
    if item is None:  # the booking ended another way
        return False
    cancellations.cancel(booking, reason=reason, by_host=True, now=now)
    return True
