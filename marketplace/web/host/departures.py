"""A tour's departures by day: seats booked, edit time, seats and guide, cancel one or a whole
day (weather), and reopen a day closed by mistake.

Every change is one call to `rooms_and_departures` or `closures`; a refused form is shown again
with its message next to the field (400).
"""

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ...clock import business_today
from ...models import ListingKind
from ...services.backoffice import closures
from ...services.booking import booking_access
from ...services.catalogue import listings, rooms_and_departures
from ...services.shared.errors import ServiceError
from .. import listing_forms
from ..backoffice import optional_date, or_404
from . import bp

#: days shown on one page
WINDOW_DAYS = 31


@bp.app_template_global("awaits_move_choice")
def awaits_move_choice(booking) -> bool:
    """For booking pages: a closure's move offer waits for the guest's answer."""
    return booking_access.awaits_move_choice(booking)


def _tour(listing_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    if listing.kind != ListingKind.TOUR:
        abort(404)
    return listing


def _page(listing, *, errors: dict | None = None, status: int = 200, values=None):
    first = optional_date(request.args.get("from")) or business_today()
    days = rooms_and_departures.departures_by_day(listing, first, WINDOW_DAYS)
    return render_template(
        "host/departures.html",
        listing=listing,
        days=days,
        first=first,
        earlier=first - timedelta(days=WINDOW_DAYS),
        later=first + timedelta(days=WINDOW_DAYS),
        last=first + timedelta(days=WINDOW_DAYS - 1),
        keep={"from": request.args["from"]} if request.args.get("from") else {},
        guides=rooms_and_departures.guides_for(listing),
        errors=errors or {},
        values=values or {},
    ), status


def _back(listing, anchor: str = ""):
    args = {"from": request.args["from"]} if request.args.get("from") else {}
    return redirect(url_for("host.departures_page", listing_id=listing.id, **args) + anchor)


def _refused(listing, scope: str, exc: ServiceError):
    """Show the page again with the message next to the field of the form `scope`."""
    field = exc.field or "form"
    return _page(listing, errors={scope: {field: exc.message}}, status=400, values=request.form)


@bp.get("/listings/<int:listing_id>/departures")
def departures_page(listing_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    if listing.kind != ListingKind.TOUR:  # a stay has rooms: its own page
        return redirect(url_for("host.listing_edit", listing_id=listing.id))
    return _page(listing)


@bp.post("/listings/<int:listing_id>/departures/<int:departure_id>")
def departure_edit(listing_id: int, departure_id: int):
    listing = _tour(listing_id)
    departure = or_404(rooms_and_departures.get_departure, listing, departure_id)
    try:
        change = listing_forms.departure_change(request.form)
        rooms_and_departures.update_departure(departure, current_user, change)
    except ServiceError as exc:
        return _refused(listing, f"d{departure_id}", exc)
    flash(_("Departure saved."), "success")
    return _back(listing, f"#d{departure_id}")


@bp.post("/listings/<int:listing_id>/departures/<int:departure_id>/cancel")
def departure_cancel(listing_id: int, departure_id: int):
    listing = _tour(listing_id)
    departure = or_404(rooms_and_departures.get_departure, listing, departure_id)
    try:
        result = closures.cancel_departure(departure, current_user, request.form.get("reason", ""))
    except ServiceError as exc:
        return _refused(listing, f"c{departure_id}", exc)
    _report(result)
    return _back(listing, f"#d{departure_id}")


def _day() -> date:
    day = optional_date(request.form.get("day"))
    if day is None:
        abort(400)
    return day


@bp.post("/listings/<int:listing_id>/days/cancel")
def day_cancel(listing_id: int):
    listing = _tour(listing_id)
    when = _day()
    try:
        result = closures.close_listing(
            listing, current_user, when, when, request.form.get("reason", "")
        )
    except ServiceError as exc:
        return _refused(listing, f"day{when.isoformat()}", exc)
    _report(result)
    return _back(listing, f"#day-{when.isoformat()}")


@bp.post("/listings/<int:listing_id>/days/reopen")
def day_reopen(listing_id: int):
    listing = _tour(listing_id)
    when = _day()
    try:
        result = closures.lift_closure(listing, current_user, when, when)
    except ServiceError as exc:
        return _refused(listing, f"day{when.isoformat()}", exc)
    report_lift(result)
    return _back(listing, f"#day-{when.isoformat()}")


def _report(result) -> None:
    if result.departures == 0:
        flash(_("Already cancelled: nothing changed."), "info")
        return
    flash(
        ngettext("%(num)d departure cancelled.", "%(num)d departures cancelled.", result.departures)
        + " "
        + ngettext(
            "%(num)d booking cancelled with a full refund; every guest has been told.",
            "%(num)d bookings cancelled with a full refund; every guest has been told.",
            len(result.cancelled),
        ),
        "success",
    )
    if result.offered:
        flash(
            _(
                "%(n)d travellers were offered another departure of the same tour, "
                "or a full refund.",
                n=len(result.offered),
            ),
            "info",
        )


def report_lift(result) -> None:
    """Say what a lifted closure reopened, and what stays cancelled and why."""
    if result.reopened:
        flash(
            ngettext(
                "%(num)d departure reopened for booking.",
                "%(num)d departures reopened for booking.",
                len(result.reopened),
            ),
            "success",
        )
    if result.kept:
        flash(
            ngettext(
                "%(num)d departure stays cancelled: its guests were already cancelled and "
                "refunded, or offered another departure.",
                "%(num)d departures stay cancelled: their guests were already cancelled and "
                "refunded, or offered another departure.",
                len(result.kept),
            ),
            "info",
        )
    if result.nights:
        flash(
            ngettext("%(num)d night open again.", "%(num)d nights open again.", result.nights),
            "success",
        )
    if not (result.reopened or result.kept or result.nights):
        flash(_("Nothing was closed on these dates."), "info")
