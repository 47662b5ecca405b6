"""Bookings through the API: place (idempotent), list, read, cancel. Others' bookings are 404."""

from flask import g, jsonify, request
from flask_babel import get_locale
from flask_babel import gettext as _

from ...clock import business_today
from ...extensions import limiter
from ...i18n import LANGUAGE_NAMES, request_language, supported
from ...models import Booking, BookingStatus, Role
from ...services import booking_queries, bookings, cancellations, payment_status
from ...services.booking_access import can_view
from ...services.booking_requests import parse_contact, parse_guests, parse_items
from ..booking import hold_limit, hold_made
from . import ApiError, bp, json_body, token_required

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


def _booking_locale(data: dict) -> str:
    """The language of the booking's mails: `locale` in the body, else Accept-Language.

    Raises ApiError 400 for a `locale` that is not one of the site's languages.
    """
    locale = data.get("locale")
    if locale is None:
        return request_language()
    if not isinstance(locale, str) or locale not in supported():
        message = _("Choose one of: %(languages)s.", languages=", ".join(supported()))
        raise ApiError(400, "invalid", message, "locale")
    return locale


@bp.post("/bookings")
@limiter.shared_limit(hold_limit, scope="holds", deduct_when=hold_made)
@token_required(Role.TOURIST)
def create_booking():
    """Place a booking; 201, or 200 with the same booking for a repeated Idempotency-Key.

    400 naming the field, 404 unknown room or departure, 409 sold_out (nothing held), 429
    too_many_holds (MAX_OPEN_HOLDS unpaid holds already) or rate_limited (holds per address).
    """
    data = json_body()
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 120:
        raise ApiError(400, "invalid", _("At most 120 characters."), "Idempotency-Key")
    items = parse_items(data.get("items"), business_today())
    contact = parse_contact(data.get("contact"))
    guests = parse_guests(data.get("guests"))
    special = data.get("special_requests") or ""
    if not isinstance(special, str):
        raise ApiError(400, "invalid", _("Special requests must be text."), "special_requests")
    booking, created = bookings.place_booking(
        items,
        contact,
        guests,
        tourist=g.api_user,
        locale=_booking_locale(data),
        special_requests=special,
        idempotency=(f"user:{g.api_user.id}", key) if key else None,
    )
    return jsonify(booking_json(booking)), 201 if created else 200


@bp.get("/bookings")
@token_required()
def list_bookings():
    """The caller's bookings; a host: those of their listings; the cooperative: its community's."""
    found = booking_queries.bookings_visible_to(g.api_user)
    return jsonify(items=[booking_json(b) for b in found])


@bp.get("/bookings/<reference>")
@token_required()
def get_booking(reference: str):
    """One booking with its payments and, once confirmed, its tickets. 404 when not the caller's."""
    return jsonify(booking_json(_visible(reference), detail=True))


@bp.post("/bookings/<reference>/cancel")
@token_required()
def cancel_booking(reference: str):
    """Cancel on the caller's side (`booking_access.cancel_as`): the traveller at the policy's
    refund, the provider side in full with a reason. 200 with the refund amount, 404 when not the
    caller's to see, 403 when theirs to see but not to cancel, 400 reason_required, 409
    not_cancellable."""
    booking = _visible(reference)
    data = request.get_json(silent=True) or {}
    reason = data.get("reason") if isinstance(data, dict) else None
    if reason is not None and not isinstance(reason, str):
        raise ApiError(400, "invalid", _("The reason must be text."), "reason")
    # the same rule and the same function as the site's cancel pages (traveller or provider)
    refund = cancellations.cancel_as(g.api_user, booking, reason or "")
    return jsonify(
        reference=booking.reference,
        status=booking.status.value,
        refund_amount=refund,
        currency="VND",
    )


_ERROR = {"$ref": "#/components/schemas/Error"}
_BOOKING = {
    "type": "object",
    "required": ["reference", "status", "total", "currency", "items"],
    "properties": {
        "reference": {"type": "string", "example": "YT-7K3Q9X"},
        "status": {
            "type": "string",
            "enum": [s.value for s in BookingStatus],
        },
        "total": {"type": "integer", "description": "VND"},
        "currency": {"type": "string", "const": "VND"},
        "hold_expires_at": {"type": ["string", "null"], "format": "date-time"},
        "items": {"type": "array", "items": {"type": "object"}},
        "payment_methods": {"type": "array", "items": {"type": "string"}},
        "payments": {"type": "array", "items": {"type": "object"}},
        "tickets": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "secret": {"type": "string"},
                    "admits": {"type": "integer"},
                    "status": {"type": "string"},
                    "qr_svg_url": {"type": "string"},
                },
            },
        },
    },
}
_REF = {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}
_SECURITY = [{"bearer": []}]


def _json(schema):
    return {"application/json": {"schema": schema}}


OPENAPI_PATHS = {
    "/bookings": {
        "post": {
            "summary": "Place a booking (held until hold_expires_at)",
            "security": _SECURITY,
            "parameters": [
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "maxLength": 120},
                    "description": "A retry with the same key returns the same booking (200).",
                },
                {
                    "name": "Accept-Language",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string"},
                    "description": "Language of error messages, and of the booking's mails "
                    "when the body has no `locale`: a regional tag matches its language "
                    "(ko-KR: ko, zh-CN / zh-TW: zh); only languages the site lacks: en; "
                    "none: vi.",
                },
            ],
            "requestBody": {
                "required": True,
                "content": _json(
                    {
                        "type": "object",
                        "required": ["items", "contact"],
                        "properties": {
                            "items": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "room_type_id": {"type": "integer"},
                                        "check_in": {"type": "string", "format": "date"},
                                        "check_out": {"type": "string", "format": "date"},
                                        "rooms": {"type": "integer", "minimum": 1},
                                        "guests": {"type": "integer", "minimum": 1},
                                        "departure_id": {"type": "integer"},
                                        "participants": {"type": "integer", "minimum": 1},
                                    },
                                },
                            },
                            "contact": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "email": {"type": "string"},
                                    "phone": {"type": "string"},
                                },
                            },
                            "guests": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "full_name": {"type": "string"},
                                        "nationality": {"type": "string"},
                                        "date_of_birth": {"type": "string", "format": "date"},
                                        "passport_number": {"type": "string"},
                                        "sex": {"type": "string", "enum": ["M", "F"]},
                                    },
                                },
                            },
                            "special_requests": {"type": "string"},
                            "locale": {
                                "type": "string",
                                "enum": list(LANGUAGE_NAMES),
                                "description": "Language of the booking's mails; "
                                "default: from Accept-Language. Any other value: 400 invalid.",
                            },
                        },
                    }
                ),
            },
            "responses": {
                "201": {"description": "Booking held", "content": _json(_BOOKING)},
                "200": {
                    "description": "The same booking (idempotent retry)",
                    "content": _json(_BOOKING),
                },
                "400": {"description": "Invalid input, with the field", "content": _json(_ERROR)},
                "401": {"description": "No valid token", "content": _json(_ERROR)},
                "404": {"description": "Unknown room type or departure", "content": _json(_ERROR)},
                "409": {"description": "sold_out: nothing was held", "content": _json(_ERROR)},
                "429": {
                    "description": "too_many_holds, or rate_limited (holds per address)",
                    "content": _json(_ERROR),
                },
            },
        },
        "get": {
            "summary": "The caller's bookings (a host: those of their listings)",
            "security": _SECURITY,
            "responses": {
                "200": {
                    "description": "Bookings",
                    "content": _json(
                        {
                            "type": "object",
                            "properties": {"items": {"type": "array", "items": _BOOKING}},
                        }
                    ),
                },
                "401": {"description": "No valid token", "content": _json(_ERROR)},
            },
        },
    },
    "/bookings/{reference}": {
        "get": {
            "summary": "One booking with payments and, once confirmed, tickets",
            "security": _SECURITY,
            "parameters": [_REF],
            "responses": {
                "200": {"description": "The booking", "content": _json(_BOOKING)},
                "404": {"description": "Unknown or not yours", "content": _json(_ERROR)},
            },
        }
    },
    "/bookings/{reference}/cancel": {
        "post": {
            "summary": "Cancel; the refund follows the listing's cancellation policy",
            "security": _SECURITY,
            "parameters": [_REF],
            "requestBody": {
                "required": False,
                "content": _json({"type": "object", "properties": {"reason": {"type": "string"}}}),
            },
            "responses": {
                "200": {
                    "description": "Cancelled",
                    "content": _json(
                        {
                            "type": "object",
                            "properties": {
                                "reference": {"type": "string"},
                                "status": {"type": "string", "const": "cancelled"},
                                "refund_amount": {"type": "integer"},
                            },
                        }
                    ),
                },
                "400": {
                    "description": "reason_required (a host, the cooperative or an admin)",
                    "content": _json(_ERROR),
                },
                "403": {"description": "Yours to see, not to cancel", "content": _json(_ERROR)},
                "404": {"description": "Unknown or not yours", "content": _json(_ERROR)},
                "409": {"description": "not_cancellable", "content": _json(_ERROR)},
            },
        }
    },
}
