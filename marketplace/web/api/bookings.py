"""Bookings through the API: place (idempotent), list, read, cancel. Others' bookings are 404."""

from flask import g, jsonify
from flask_babel import get_locale
from flask_babel import gettext as _

from ...clock import business_today
from ...extensions import limiter
from ...i18n import request_language, supported
from ...models import Booking, BookingStatus, Role
from ...services.booking import booking_queries, bookings
from ...services.booking.booking_access import can_view
from ...services.booking.booking_requests import parse_contact, parse_guests, parse_items
from ...services.payments import cancellations, payment_status
from ..booking import hold_limit, hold_made
from ..schemas.bookings import Booking as BookingAnswer
from ..schemas.bookings import BookingHeaders, BookingRequest, Bookings, Cancelled, CancelRequest
from . import ApiError, bp, token_required
from .openapi import BEARER, endpoint

#: statuses in which a booking's tickets are shown
TICKETED = frozenset({BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED})


def _iso(moment):
    return moment.isoformat() if moment else None


def item_json(item, locale: str) -> dict:
    body = {
        "id": item.id,
        "kind": "stay" if item.is_stay else "tour",
        "listing_id": item.listing_id,
        "title": booking_queries.item_title(item, locale),
        "check_in": item.check_in.isoformat(),
        "check_out": item.check_out.isoformat(),
        "quantity": item.quantity,
        "guests": item.guests,
        "price_lines": item.price_lines,
        "subtotal": item.subtotal,
        "currency": "VND",
    }
    if item.is_stay:
        body.update(room_type_id=item.room_type_id, rooms=item.quantity, nights=item.night_count)
    else:
        body.update(
            departure_id=item.departure_id,
            participants=item.quantity,
            starts_at=_iso(item.departure.starts_at),
        )
    return body


def booking_json(booking: Booking, *, detail: bool = False) -> dict:
    locale = str(get_locale())
    body = {
        "reference": booking.reference,
        "status": booking.status.value,
        "total": booking.total,
        "currency": booking.currency,
        "hold_expires_at": _iso(booking.hold_expires_at)
        if booking.status == BookingStatus.PENDING_PAYMENT
        else None,
        "created_at": _iso(booking.created_at),
        "contact": {
            "name": booking.contact_name,
            "email": booking.contact_email,
            "phone": booking.contact_phone,
        },
        "items": [item_json(item, locale) for item in booking.items],
        "payment_methods": booking_queries.payment_methods(booking),
        "refund_amount": booking.refund_amount,
    }
    if detail:
        body["special_requests"] = booking.special_requests
        # each payment followed by its refunds ("kind": "payment" | "refund")
        body["payments"] = payment_status.payment_rows(booking)
        if booking.status in TICKETED:
            body["tickets"] = [
                {
                    "id": item.ticket.id,
                    "secret": item.ticket.secret,
                    "admits": item.ticket.admits,
                    "status": item.ticket.status.value,
                    "qr_svg_url": f"/t/{item.ticket.secret}/qr.svg",
                }
                for item in booking.items
                if item.ticket is not None
            ]
    return body


def _visible(reference: str) -> Booking:
    """The booking when the caller may see it; 404 otherwise (no hint that it exists)."""
    try:
        booking = bookings.get_by_reference(reference)
    except bookings.ServiceError:
        booking = None
    if booking is None or not can_view(g.api_user, booking):
        raise ApiError(404, "not_found", _("No booking with this reference."))
    return booking


def _booking_locale(locale: str | None) -> str:
    """The language of the booking's mails: `locale` in the body, else Accept-Language.

    Raises ApiError 400 for a `locale` that is not one of the site's languages.
    """
    if locale is None:
        return request_language()
    if locale not in supported():
        message = _("Choose one of: %(languages)s.", languages=", ".join(supported()))
        raise ApiError(400, "invalid", message, "locale")
    return locale


@bp.post("/bookings")
@limiter.shared_limit(hold_limit, scope="holds", deduct_when=hold_made)
@token_required(Role.TOURIST)
@endpoint(
    tag="bookings",
    security=[BEARER],
    answers={
        201: (BookingAnswer, "Booking held until hold_expires_at"),
        200: (BookingAnswer, "The same booking (a retry with the same Idempotency-Key)"),
    },
    errors={
        400: "Invalid input; `field` names it, e.g. `items[0].check_out`",
        401: "No valid token",
        403: "Only tourists book",
        404: "Unknown room type or departure",
        409: "sold_out: nothing was held",
        429: "too_many_holds (unpaid holds already), or rate_limited (holds per address)",
    },
)
def create_booking(json: BookingRequest, headers: BookingHeaders):
    """Place a booking

    201, or 200 with the same booking for a repeated Idempotency-Key. The booking rules (dates,
    capacity, contact, foreign guests' papers) answer 400 naming the field; nothing is held then.
    """
    key = headers.idempotency_key or ""
    # the booking rules, shared with the booking form, check the typed values
    items = parse_items([item.model_dump() for item in json.items], business_today())
    contact = parse_contact(json.contact.model_dump())
    guests = parse_guests([guest.model_dump() for guest in json.guests])
    booking, created = bookings.place_booking(
        items,
        contact,
        guests,
        tourist=g.api_user,
        locale=_booking_locale(json.locale),
        special_requests=json.special_requests,
        idempotency=(f"user:{g.api_user.id}", key) if key else None,
    )
    return jsonify(booking_json(booking)), 201 if created else 200


@bp.get("/bookings")
@token_required()
@endpoint(
    tag="bookings",
    security=[BEARER],
    answers={200: (Bookings, "The bookings")},
    errors={401: "No valid token"},
)
def list_bookings():
    """The caller's bookings

    A tourist's own; a host: those of their listings; the cooperative: its community's.
    """
    found = booking_queries.bookings_visible_to(g.api_user)
    return jsonify(items=[booking_json(b) for b in found])


@bp.get("/bookings/<reference>")
@token_required()
@endpoint(
    tag="bookings",
    security=[BEARER],
    answers={200: (BookingAnswer, "The booking")},
    errors={401: "No valid token", 404: "Unknown, or not yours"},
)
def get_booking(reference: str):
    """One booking with its payments and, once confirmed, its tickets"""
    return jsonify(booking_json(_visible(reference), detail=True))


@bp.post("/bookings/<reference>/cancel")
@token_required()
@endpoint(
    tag="bookings",
    security=[BEARER],
    body_required=False,
    answers={200: (Cancelled, "Cancelled, with the refund")},
    errors={
        400: "reason_required (a host, the cooperative or an admin), or invalid input",
        401: "No valid token",
        403: "Yours to see, not to cancel",
        404: "Unknown, or not yours",
        409: "not_cancellable",
    },
)
def cancel_booking(reference: str, json: CancelRequest):
    """Cancel a booking

    On the caller's side (`booking_access.cancel_as`): the traveller at the listing's
    cancellation policy's refund, the provider side in full with a reason.
    """
    booking = _visible(reference)
    # the same rule and the same function as the site's cancel pages (traveller or provider)
    refund = cancellations.cancel_as(g.api_user, booking, json.reason or "")
    return jsonify(
        reference=booking.reference,
        status=booking.status.value,
        refund_amount=refund,
        currency="VND",
    )
