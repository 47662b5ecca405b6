"""Finding a booking the visitor may see: logged-in owner or staff, or a guest holding its key.

Guests book without an account; they reach their booking through the signed link in their email
(`?key=`) or from the browser session that made it.
"""

from flask import abort, current_app, request, session
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from ..extensions import db
from ..models import Booking
from ..services.booking.booking_access import can_view
from ..services.shared.references import normalize_reference

SESSION_KEY = "guest_bookings"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="booking-link")


def booking_key(booking: Booking) -> str:
    """The secret part of a guest's link to their booking."""
    return _signer().dumps(booking.reference)


def remember_guest_booking(booking: Booking) -> None:
    refs = session.get(SESSION_KEY, [])
    if booking.reference not in refs:
        session[SESSION_KEY] = [*refs, booking.reference][-20:]


def _key_matches(reference: str) -> bool:
    key = request.values.get("key")
    if not key:
        return False
    try:
        return _signer().loads(key) == reference
    except BadSignature:
        return False


def holds_link(booking: Booking) -> bool:
    """The visitor holds the booking's link: this browser made it, or `?key=` is its key."""
    return booking.reference in session.get(SESSION_KEY, []) or _key_matches(booking.reference)


def viewable_booking(reference: str) -> Booking:
    """The booking, or 404 when it does not exist or is not the visitor's (no hint which)."""
    booking = db.session.scalar(
        select(Booking).where(Booking.reference == normalize_reference(reference))
    )
    if booking is None:
        abort(404)
    if holds_link(booking):
        remember_guest_booking(booking)
        return booking
    if can_view(current_user, booking):
        return booking
    abort(404)
