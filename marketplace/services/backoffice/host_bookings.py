"""The provider side of bookings: what a host (or the cooperative) sees and does with them."""

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ...clock import BUSINESS_TZ, business_today, utcnow
from ...extensions import db
from ...models import (
    Booking,
    BookingItem,
    BookingNight,
    BookingStatus,
    Listing,
    PaymentMethod,
    Role,
    RoomType,
    User,
)
from ...models.states import Outcome
from ..booking import booking_lifecycle
from ..booking.booking_access import can_manage
from ..payments import cancellations
from ..shared.errors import Conflict, NotFound, ServiceError
from ..shared.locks import lock
from .statistics import VISIT_STATUSES, occupancy


def bookings_query(user: User):
    """Bookings `user` works on: with an item of theirs (host), of their community (cooperative)."""
    query = select(Booking).order_by(Booking.created_at.desc(), Booking.id.desc())
    if user.role == Role.ADMIN:
        return query
    if user.role == Role.COOP:
        return query.where(Booking.community_id.in_(user.community_ids or {-1}))
    return query.where(Booking.items.any(BookingItem.host_id == user.id))


def search(
    user: User,
    *,
    status: str = "",
    text: str = "",
    first: date | None = None,
    last: date | None = None,
    listing_id: int | None = None,
    limit: int = 100,
) -> list[Booking]:
    """Filter by status, reference/name/email, first-day range and listing."""
    query = bookings_query(user)
    if status:
        try:
            query = query.where(Booking.status == BookingStatus(status))
        except ValueError:
            raise ServiceError(_("Unknown status."), "invalid_status", "status") from None
    if text.strip():
        like = f"%{text.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Booking.reference).like(like),
                func.lower(Booking.contact_name).like(like),
                func.lower(Booking.contact_email).like(like),
            )
        )
    conditions = []
    if first:
        conditions.append(BookingItem.check_out >= first)
    if last:
        conditions.append(BookingItem.check_in <= last)
    if listing_id:
        conditions.append(BookingItem.listing_id == listing_id)
    if conditions:
        query = query.where(Booking.items.any(*conditions))
    return list(db.session.scalars(query.limit(limit)))


def get_for(user: User, reference: str) -> Booking:
    """Raises NotFound when it does not exist or is not `user`'s to manage."""
    booking = db.session.scalar(
        select(Booking).where(Booking.reference == (reference or "").upper())
    )
    if booking is None or not can_manage(user, booking):
        raise NotFound(_("No booking with this reference."), "not_found")
    return booking


def cancel_by_host(booking: Booking, actor: User, reason: str, now=None) -> int:
    """The host (or cooperative) cancels: the tourist gets back all they paid. Commits.

    Raises ServiceError reason_required, Conflict not_cancellable.
    """
    if not (reason or "").strip():
        raise ServiceError(_("Say why, for the tourist."), "reason_required", "reason")
    return cancellations.cancel(
        booking, actor=actor, reason=reason.strip()[:500], by_host=True, now=now
    )


def no_show_from(booking: Booking) -> datetime:
    """When guests who have not come count as a no-show: once the check-in day of their first
    stay is over (they may arrive late in the evening), or once their first tour has left."""
    moments = []
    for item in booking.items:
        if item.departure is not None:
            moments.append(item.departure.starts_at)
        else:
            day_after = item.check_in + timedelta(days=1)
            moments.append(datetime.combine(day_after, time(0), tzinfo=BUSINESS_TZ))
    return min(moments)


def may_mark_no_show(booking: Booking, now: datetime | None = None) -> bool:
    """A confirmed booking whose guests are past due (`no_show_from`)."""
    return booking.status == BookingStatus.CONFIRMED and (now or utcnow()) >= no_show_from(booking)


def mark_no_show(booking: Booking, actor: User, now: datetime | None = None) -> Outcome:
    """The tourist did not come: only once `no_show_from` has passed. Commits.

    Raises Conflict too_early (before then), illegal_transition (not confirmed).
    """
    now = now or utcnow()
    booking = lock(booking)
    if booking.status == BookingStatus.CONFIRMED and now < no_show_from(booking):
        when = no_show_from(booking).astimezone(BUSINESS_TZ)
        db.session.rollback()
        raise Conflict(
            _(
                "Too early: the guests may still come. A no-show can be marked from %(when)s.",
                when=when.strftime("%d/%m/%Y %H:%M"),
            ),
            "too_early",
        )
    return _move(booking, BookingStatus.NO_SHOW, actor, now)


def undo_no_show(booking: Booking, actor: User, now: datetime | None = None) -> Outcome:
    """A no-show marked by mistake: the booking is confirmed again and its tickets admit again.
    No confirmation mail goes out a second time. Commits.

    Raises Conflict illegal_transition (the booking is not a no-show).
    """
    now = now or utcnow()
    booking = lock(booking)
    if booking.status != BookingStatus.NO_SHOW:
        error = booking_lifecycle.refused(booking, BookingStatus.CONFIRMED)
        db.session.rollback()
        raise error
    return _move(booking, BookingStatus.CONFIRMED, actor, now, reason="no_show_undone")


def _move(booking: Booking, to: BookingStatus, actor: User, now, reason: str = "") -> Outcome:
    outcome = booking_lifecycle.transition(booking, to, actor=actor, reason=reason, now=now)
    if outcome is Outcome.REFUSED:
        error = booking_lifecycle.refused(booking, to)
        db.session.rollback()
        raise error
    db.session.commit()
    return outcome


@dataclass
class Dashboard:
    arrivals: list[Booking]
    departures: list[Booking]
    requests: list[Booking]
    recent: list[Booking]
    occupancy: float
    room_nights: int
    capacity: int
    earnings: int
    month: date


def _items_filter(user: User):
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.COOP:
        return Booking.community_id.in_(user.community_ids or {-1})
    return BookingItem.host_id == user.id


def dashboard(user: User, now: datetime | None = None) -> Dashboard:
    """Today's arrivals and departures, pay-at-arrival requests, recent bookings, this month."""
    now = now or utcnow()
    today = business_today(now)
    base = bookings_query(user)
    live = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)
    arrivals = db.session.scalars(
        base.where(
            Booking.status.in_(live),
            Booking.items.any(BookingItem.check_in == today),
        )
    ).all()
    departures = db.session.scalars(
        base.where(
            Booking.status.in_((*live, BookingStatus.COMPLETED)),
            Booking.items.any(
                (BookingItem.check_out == today) & BookingItem.room_type_id.is_not(None)
            ),
        )
    ).all()
    requests = [
        b
        for b in db.session.scalars(
            base.where(
                Booking.status == BookingStatus.PENDING_PAYMENT,
                Booking.payment_method == PaymentMethod.PAY_AT_ARRIVAL.value,
            )
        )
        if b.is_holding(now)
    ]
    recent = db.session.scalars(base.limit(8)).all()
    month = today.replace(day=1)
    days = pycalendar.monthrange(month.year, month.month)[1]
    month_end = month.replace(day=days)
    room_nights = db.session.scalar(
        select(func.coalesce(func.sum(BookingNight.rooms), 0))
        .join(BookingItem, BookingItem.id == BookingNight.item_id)
        .join(Booking, Booking.id == BookingItem.booking_id)
        .where(
            _items_filter(user),
            Booking.status.in_(VISIT_STATUSES),
            BookingNight.night >= month,
            BookingNight.night <= month_end,
        )
    )
    listing_filter = (
        True
        if user.role == Role.ADMIN
        else Listing.community_id.in_(user.community_ids or {-1})
        if user.role == Role.COOP
        else Listing.host_id == user.id
    )
    units = db.session.scalar(
        select(func.coalesce(func.sum(RoomType.units), 0))
        .join(Listing, Listing.id == RoomType.listing_id)
        .where(listing_filter)
    )
    earnings = db.session.scalar(
        select(func.coalesce(func.sum(BookingItem.subtotal), 0))
        .join(Booking, Booking.id == BookingItem.booking_id)
        .where(
            _items_filter(user),
            Booking.status.in_(VISIT_STATUSES),
            BookingItem.check_in >= month,
            BookingItem.check_in <= month_end,
        )
    )
    capacity = int(units) * days
    return Dashboard(
        arrivals=list(arrivals),
        departures=list(departures),
        requests=requests,
        recent=list(recent),
        occupancy=occupancy(int(room_nights), capacity),
        room_nights=int(room_nights),
        capacity=capacity,
        earnings=int(earnings),
        month=month,
    )


def items_for(user: User, booking: Booking) -> list[BookingItem]:
    """The items of `booking` that `user` provides (all of them for staff)."""
    if user.role in (Role.ADMIN, Role.COOP):
        return list(booking.items)
    return [i for i in booking.items if i.host_id == user.id]
