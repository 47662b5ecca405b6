"""The tourist's trips: the list (upcoming, past, cancelled) and one booking with its cancel step."""

import hmac

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..models import BOOKING_STATUS_TITLES, Booking
from ..money import format_vnd
from ..services.accounts import accounts
from ..services.backoffice import closures
from ..services.booking import booking_access, booking_queries
from ..services.booking.cancellation_policy import describe
from ..services.payments import cancellations, money_rules
from ..services.shared.errors import ServiceError
from .booking_access import booking_key, holds_link, viewable_booking

bp = Blueprint("trips", __name__, url_prefix="/trips")


@bp.get("")
@login_required
def index():
    """My trips: upcoming (soonest first), past, cancelled."""
    trips = booking_queries.split_trips(booking_queries.bookings_of_tourist(current_user))
    return render_template("trips/index.html", trips=trips, titles=BOOKING_STATUS_TITLES)


def is_traveller(booking: Booking) -> bool:
    """The owner or a guest with the link; hosts and the cooperative use their own pages."""
    return booking_access.is_traveller(current_user, booking, holds_link=holds_link(booking))


def may_cancel(booking: Booking) -> bool:
    """This page cancels for the traveller only (`booking_access.can_cancel`, as the API)."""
    return booking_access.can_cancel(
        current_user, booking, holds_link=holds_link(booking), side=booking_access.Side.TRAVELLER
    )


@bp.get("/<reference>")
def detail(reference: str):
    """One booking for anyone viewable_booking() admits; 404 otherwise."""
    return _detail(viewable_booking(reference))


def _detail(booking: Booking, status: int = 200):
    page = render_template(
        "trips/detail.html",
        booking=booking,
        titles=BOOKING_STATUS_TITLES,
        may_cancel=may_cancel(booking),
        refund=money_rules.refundable(booking) if may_cancel(booking) else 0,
        paid=money_rules.paid(booking),
        policies={
            item.listing_id: describe(item.listing.cancellation_policy) for item in booking.items
        },
        guest_link=url_for("trips.detail", reference=booking.reference, key=booking_key(booking))
        if not current_user.is_authenticated
        else None,
        offer=closures.open_offer(booking),
        may_answer=is_traveller(booking),
        attach_key=_attach_key(booking),
    )
    return page, status


def _attach_key(booking: Booking) -> str | None:
    """The booking's own key when a logged-in visitor opened its signed link and it belongs to no
    account yet: they may put it under their trips (a guest booking never joins by email alone
    until that email is confirmed)."""
    key = request.values.get("key") or ""
    if not current_user.is_authenticated or booking.tourist_id is not None:
        return None
    return key if hmac.compare_digest(key, booking_key(booking)) else None


@bp.post("/<reference>/attach")
@login_required
def attach(reference: str):
    """Put a guest booking under the logged-in account; needs the booking's own key (CSRF-checked).
    404 without it, as for any booking that is not the visitor's."""
    booking = viewable_booking(reference)
    if _attach_key(booking) is None:
        abort(404)
    if accounts.attach_booking(current_user, booking):
        flash(_("This booking is now under My trips."), "success")
    return redirect(url_for("trips.detail", reference=booking.reference))


def _only_the_traveller(booking):
    """Hosts and staff see a move offer, but only the traveller answers it."""
    flash(_("Only the traveller can choose."), "error")
    return redirect(url_for("trips.detail", reference=booking.reference))


@bp.post("/<reference>/move")
def move(reference: str):
    """Take one of the departures offered after a closure (CSRF-checked); the same choice again
    redirects as the first did; 409 when it filled up or the offer was answered otherwise."""
    booking = viewable_booking(reference)
    if not is_traveller(booking):
        return _only_the_traveller(booking)
    actor = current_user if current_user.is_authenticated else None
    try:
        closures.accept_move(booking, request.form.get("departure_id", type=int), actor=actor)
    except ServiceError as exc:
        flash(exc.message, "error")
        return _detail(booking, exc.status)
    flash(
        _("Done: your booking is moved to the new departure. Here is your new ticket."), "success"
    )
    return redirect(url_for("trips.detail", reference=booking.reference))


@bp.post("/<reference>/refund-instead")
def refund_instead(reference: str):
    """Refuse the other departures: cancel with a full refund (CSRF-checked); a repeat redirects
    as the first did; 409 when the traveller moved meanwhile or the offer lapsed."""
    booking = viewable_booking(reference)
    if not is_traveller(booking):
        return _only_the_traveller(booking)
    actor = current_user if current_user.is_authenticated else None
    try:
        answer = closures.refuse_move(booking, actor=actor)
    except ServiceError as exc:
        flash(exc.message, "error")
        return _detail(booking, exc.status)
    _flash_cancelled(answer.refund)
    return redirect(url_for("trips.detail", reference=booking.reference))


def _flash_cancelled(refund: int) -> None:
    flash(_("Your booking is cancelled."), "success")
    if refund:
        flash(
            _("Refund due to you: %(amount)s.", amount=format_vnd(refund, str(get_locale()))),
            "info",
        )


@bp.route("/<reference>/cancel", methods=["GET", "POST"])
def cancel(reference: str):
    """GET shows the refund cancelling now gives; POST (CSRF-checked) cancels. 404 if not theirs."""
    booking = viewable_booking(reference)
    if not may_cancel(booking):
        flash(_("This booking can no longer be cancelled."), "error")
        return redirect(url_for("trips.detail", reference=booking.reference))
    if request.method == "POST":
        reason = (request.form.get("reason") or "").strip()[:2000]
        try:
            refund = cancellations.cancel_as(
                current_user,
                booking,
                reason,
                holds_link=holds_link(booking),
                side=booking_access.Side.TRAVELLER,
            )
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            _flash_cancelled(refund)
        return redirect(url_for("trips.detail", reference=booking.reference))
    return render_template(
        "trips/cancel.html",
        booking=booking,
        refund=money_rules.refundable(booking),
        paid=money_rules.paid(booking),
        policies={
            item.listing_id: describe(item.listing.cancellation_policy) for item in booking.items
        },
    )
