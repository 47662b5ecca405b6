"""The host's calendar: a month grid per room type; block, free and price nights; iCal feeds."""

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...clock import business_today
from ...models import ListingKind
from ...services import calendar_grid, calendars, listings, rooms_and_departures
from ...services.errors import ServiceError
from ..backoffice import attempt, or_404
from . import bp


def _month(value: str | None) -> date:
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return business_today().replace(day=1)


@bp.get("/calendar")
def calendar_index():
    stays = [x for x in listings.listings_of(current_user) if x.kind == ListingKind.STAY]
    if len(stays) == 1:
        return redirect(url_for("host.calendar", listing_id=stays[0].id))
    return render_template("host/calendar_pick.html", stays=stays)


@bp.get("/calendar/<int:listing_id>")
def calendar(listing_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    if listing.kind != ListingKind.STAY:
        abort(404)
    month = _month(request.args.get("month"))
    previous = month.replace(day=1).toordinal() - 1
    prev_month = date.fromordinal(previous).replace(day=1)
    next_month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return render_template(
        "host/calendar.html",
        listing=listing,
        month=month,
        prev_month=prev_month,
        next_month=next_month,
        grids=calendar_grid.month_grid(listing, month),
        today=business_today(),
    )


def _change_nights(room_type, action: str, form):
    first = listings.parse_date(form.get("first"), "first")
    last = listings.parse_date(form.get("last") or form.get("first"), "last")
    nights = listings.date_range(first, last)
    if action == "block":
        return listings.block_nights(room_type, current_user, nights, reason=form.get("reason", ""))
    if action == "free":
        return listings.free_nights(room_type, current_user, nights)
    if action == "price":
        price = form.get("price", "").strip()
        amount = listings.parse_int(price, "price", maximum=10**9) if price else None
        for night in nights:
            rooms_and_departures.set_date_price(room_type, current_user, night, amount)
        return len(nights)
    raise ServiceError(_("Choose what to do."), "invalid_action", "action")


@bp.post("/calendar/<int:listing_id>/nights")
def calendar_nights(listing_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    room_type = or_404(
        listings.get_room_type, current_user, request.form.get("room_type_id", 0, type=int)
    )
    if room_type.listing_id != listing.id:
        abort(404)
    attempt(
        _change_nights,
        room_type,
        request.form.get("action", ""),
        request.form,
        success=_("Calendar updated."),
    )
    return redirect(
        url_for("host.calendar", listing_id=listing.id, month=request.form.get("month", ""))
        + f"#room-{room_type.id}"
    )


@bp.get("/calendar/feed/<token>.ics")
def ical_feed(token: str):
    """Public by its secret token: other channels fetch it without logging in."""
    room_type = or_404(calendars.room_type_for_token, token)
    return Response(
        calendars.export_feed(room_type),
        mimetype="text/calendar",
        headers={"Cache-Control": "private, max-age=300"},
    )


@bp.post("/calendar/<int:listing_id>/feeds/<int:room_type_id>/rotate")
def ical_feed_rotate(listing_id: int, room_type_id: int):
    """A new feed address for the room type; the old one answers 404 (when it leaked)."""
    listing = or_404(listings.get_listing, current_user, listing_id)
    room_type = or_404(listings.get_room_type, current_user, room_type_id)
    if room_type.listing_id != listing.id:
        abort(404)
    calendars.rotate_token(room_type, current_user)
    flash(_("New calendar address made; give it to the other sites again."), "success")
    return redirect(url_for("host.listing_edit", listing_id=listing.id) + "#sync")


@bp.app_template_global("ical_error")
def ical_error(code: str) -> str:
    """The plain message for an external calendar's stored error code."""
    return calendars.error_message(code)
