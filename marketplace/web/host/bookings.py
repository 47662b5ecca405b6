"""Hosts' bookings: list and filter, detail, cancel with a reason, no-show.

Payment actions (accept or decline pay at arrival, transfer received, cash) post to the payments
endpoints under /host/bookings/<reference>/...; the guest manifest is /host/manifest.
"""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...models import BOOKING_STATUS_TITLES, BookingStatus, Role
from ...services.backoffice import host_bookings
from ...services.catalogue import listings
from ...services.payments import cancellations
from ..backoffice import attempt, optional_date, or_404
from . import bp


@bp.get("/bookings")
def bookings_index():
    args = request.args
    status = args.get("status", "")
    status = status if status in {s.value for s in BookingStatus} else ""
    found = host_bookings.search(
        current_user,
        status=status,
        text=args.get("q", ""),
        first=optional_date(args.get("from")),
        last=optional_date(args.get("to")),
        listing_id=args.get("listing", type=int),
    )
    return render_template(
        "host/bookings.html",
        bookings=found,
        statuses=BOOKING_STATUS_TITLES,
        status=status,
        listings=listings.listings_of(current_user),
    )


@bp.get("/bookings/<reference>")
def booking_detail(reference: str):
    booking = or_404(host_bookings.get_for, current_user, reference)
    mine = host_bookings.items_for(current_user, booking)
    # passport numbers go to the host who lodges the guests, nobody else
    show_passports = current_user.role == Role.HOST and any(i.is_stay for i in mine)
    return render_template(
        "host/booking_detail.html",
        booking=booking,
        items=mine,
        statuses=BOOKING_STATUS_TITLES,
        show_passports=show_passports,
        may_mark_no_show=host_bookings.may_mark_no_show,
        no_show_from=host_bookings.no_show_from,
    )


@bp.post("/bookings/<reference>/cancel")
def booking_cancel(reference: str):
    booking = or_404(host_bookings.get_for, current_user, reference)
    attempt(
        cancellations.cancel_by_host,
        booking,
        current_user,
        request.form.get("reason", ""),
        success=_("Booking cancelled. The guest gets back everything they paid."),
    )
    return redirect(url_for("host.booking_detail", reference=booking.reference))


@bp.post("/bookings/<reference>/no-show")
def booking_no_show(reference: str):
    booking = or_404(host_bookings.get_for, current_user, reference)
    attempt(host_bookings.mark_no_show, booking, current_user, success=_("Marked as no-show."))
    return redirect(url_for("host.booking_detail", reference=booking.reference))


@bp.post("/bookings/<reference>/no-show/undo")
def booking_no_show_undo(reference: str):
    booking = or_404(host_bookings.get_for, current_user, reference)
    attempt(host_bookings.undo_no_show, booking, current_user, success=_("No-show undone."))
    return redirect(url_for("host.booking_detail", reference=booking.reference))
