"""Closures: cancel a departure, or close a listing for dates (flood, landslide); lift one."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...services.backoffice import closures
from ...services.catalogue import listings
from ...services.shared import values
from ..backoffice import attempt, or_404
from ..host.departures import report_lift
from . import bp


@bp.get("/closures")
def closures_page():
    return render_template(
        "admin/closures.html",
        listings=listings.listings_of(current_user),
        departures=closures.upcoming_departures(current_user),
    )


def _report(result) -> None:
    if result is not None:
        flash(
            _(
                "%(n)d bookings cancelled with a full refund; every guest has been told.",
                n=len(result.cancelled),
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


@bp.post("/closures/listings/<int:listing_id>")
def close_listing(listing_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    result, _error = attempt(
        _close, listing, request.form.get("first"), request.form.get("last"), request.form
    )
    _report(result)
    return redirect(url_for("admin.closures_page"))


def _close(listing, first, last, form):
    return closures.close_listing(
        listing,
        current_user,
        values.parse_date(first, "first"),
        values.parse_date(last or first, "last"),
        form.get("reason", ""),
    )


@bp.post("/closures/listings/<int:listing_id>/lift")
def lift_closure(listing_id: int):
    """Reopen dates closed by mistake; what stays cancelled is said on the page."""
    listing = or_404(listings.get_listing, current_user, listing_id)
    result, _error = attempt(_lift, listing, request.form.get("first"), request.form.get("last"))
    if result is not None:
        report_lift(result)
    return redirect(url_for("admin.closures_page"))


def _lift(listing, first, last):
    return closures.lift_closure(
        listing,
        current_user,
        values.parse_date(first, "first"),
        values.parse_date(last or first, "last"),
    )


@bp.post("/closures/departures/<int:departure_id>")
def cancel_departure(departure_id: int):
    departure = or_404(closures.get_departure, current_user, departure_id)
    result, _error = attempt(
        closures.cancel_departure, departure, current_user, request.form.get("reason", "")
    )
    _report(result)
    return redirect(url_for("admin.closures_page"))
