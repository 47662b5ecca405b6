"""Listings waiting for the cooperative: approve, reject with a note, suspend."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...models.listing import LISTING_STATUS_TITLES
from ...services.catalogue import listing_review, listings
from ..backoffice import attempt, or_404
from . import bp


@bp.get("/approvals")
def approvals():
    return render_template(
        "admin/approvals.html",
        pending=listings.pending_review(current_user),
        all_listings=listings.listings_of(current_user),
        status_titles=LISTING_STATUS_TITLES,
    )


def _decide(listing_id: int, action, message: str):
    listing = or_404(listings.get_listing, current_user, listing_id)
    attempt(action, listing, current_user, request.form.get("note", ""), success=message)
    return redirect(url_for("admin.approvals"))


@bp.post("/approvals/<int:listing_id>/approve")
def approve(listing_id: int):
    return _decide(listing_id, listing_review.approve, _("Published."))


@bp.post("/approvals/<int:listing_id>/reject")
def reject(listing_id: int):
    return _decide(listing_id, listing_review.reject, _("Sent back to the host with your note."))


@bp.post("/approvals/<int:listing_id>/suspend")
def suspend(listing_id: int):
    return _decide(listing_id, listing_review.suspend, _("Suspended: it is off sale."))
