"""The host's calendar: a month grid per room type; block, free and price nights; iCal feeds."""

from dataclasses import dataclass
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...clock import business_today
from ...models import ListingKind
from ...services.catalogue import (
    calendar_conflicts,
    calendar_grid,
    calendar_sync_now,
    calendars,
    listings,
)
from ...services.shared import values
from ...services.shared.errors import ServiceError
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


def _stay_of(listing_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    if listing.kind != ListingKind.STAY:
        abort(404)
    return listing


def _page(listing, month: date, *, status: int = 200, **extra):
    previous = month.replace(day=1).toordinal() - 1
    prev_month = date.fromordinal(previous).replace(day=1)
    next_month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    room_type_ids = [rt.id for rt in listing.room_types]
    context = {
        "listing": listing,
        "month": month,
        "prev_month": prev_month,
        "next_month": next_month,
        "grids": calendar_grid.month_grid(listing, month),
        "today": business_today(),
        "externals": calendars.externals_of(room_type_ids),
        "conflicts": calendar_conflicts.for_listings([listing.id]),
        "selected": {},
        "errors": {},
    }
    context.update(extra)
    return render_template("host/calendar.html", **context), status


@bp.get("/calendar/<int:listing_id>")
def calendar(listing_id: int):
    return _page(_stay_of(listing_id), _month(request.args.get("month")))


@dataclass(frozen=True)
class NightsChange:
    action: str  # block | free | price
    nights: list[date]
    reason: str = ""
    #: the nights' own price; None sets them back to the usual rules
    price: int | None = None


def _picked_nights(form) -> list[date]:
    """Tapped days (checkboxes named `night`), or a typed range `first`..`last`."""
    if form.getlist("night"):
        picked = [values.parse_date(v, "night") for v in form.getlist("night")]
        return calendar_grid.checked_nights(picked)
    first = values.parse_date(form.get("first"), "first")
    last = values.parse_date(form.get("last") or form.get("first"), "last")
    return listings.date_range(first, last)


def _read_nights(form) -> NightsChange:
    action = form.get("action", "")
    if action not in ("block", "free", "price"):
        raise ServiceError(_("Choose what to do."), "invalid_action", "action")
    nights = _picked_nights(form)
    price = None
    if action == "price" and form.get("price", "").strip():
        price = values.parse_int(form.get("price", "").strip(), "price", maximum=10**9)
    return NightsChange(action, nights, form.get("reason", ""), price)


def _change_nights(room_type, change: NightsChange) -> int:
    if change.action == "block":
        return listings.block_nights(room_type, current_user, change.nights, reason=change.reason)
    if change.action == "free":
        return listings.free_nights(room_type, current_user, change.nights)
    return calendar_grid.set_nights_price(room_type, current_user, change.nights, change.price)


@bp.post("/calendar/<int:listing_id>/nights")
def calendar_nights(listing_id: int):
    """Close, open or price the picked nights of one room type.

    A bad pick (no day, a past day, a bad price) answers 400 with the page, the days still ticked.
    """
    listing = _stay_of(listing_id)
    room_type = or_404(
        listings.get_room_type, current_user, request.form.get("room_type_id", 0, type=int)
    )
    if room_type.listing_id != listing.id:
        abort(404)
    action = request.form.get("action", "")
    try:
        count = _change_nights(room_type, _read_nights(request.form))
    except ServiceError as exc:
        flash(exc.message, "error")
        return _page(
            listing,
            _month(request.form.get("month")),
            status=400,
            selected={room_type.id: set(request.form.getlist("night"))},
            errors={room_type.id: {exc.field or "form": exc.message}},
        )
    messages = {
        "block": _("Nights closed for sale."),
        "free": _("Nights opened for sale."),
        "price": _("Price set for %(n)d nights.", n=count),
    }
    flash(messages[action], "success")
    return redirect(
        url_for("host.calendar", listing_id=listing.id, month=request.form.get("month", ""))
        + f"#room-{room_type.id}"
    )


@bp.post("/calendar/<int:listing_id>/sync")
def calendar_sync(listing_id: int):
    """Fetch the listing's imported calendars now; the result of each is flashed."""
    listing = _stay_of(listing_id)
    results, error = attempt(calendar_sync_now.sync_now, listing, current_user)
    for result in results or []:
        if not result.ok:
            flash(_("%(url)s: %(message)s", url=result.url, message=result.error), "error")
        elif result.conflicts:
            flash(
                _(
                    "Calendar fetched: %(n)d nights closed, but it overlaps %(b)d confirmed "
                    "bookings here. See the warning below.",
                    n=result.nights,
                    b=result.conflicts,
                ),
                "error",
            )
        else:
            flash(_("Calendar fetched: %(n)d nights closed.", n=result.nights), "success")
    return redirect(
        url_for("host.calendar", listing_id=listing.id, month=request.form.get("month", ""))
        + "#sync"
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


@bp.app_template_global("calendar_conflicts")
def calendar_conflicts_of_user() -> list[dict]:
    """Confirmed bookings whose nights an imported calendar closes (the dashboard warning)."""
    return calendar_conflicts.for_user(current_user)
