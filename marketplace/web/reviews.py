"""Reviews: the traveller's and the host's forms, the host's replies, the cooperative's moderation.

Views read the posted stars and words into a `reviews.Rating`; `services.reviews` judges who may
write what, and when, and which stars and lengths are allowed; a ServiceError is shown next to
its field. Somebody else's booking or review is a 404 (no hint).
The listing page and the trip page read reviews through the template globals registered here.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import countries
from ..clock import utcnow
from ..models import REVIEW_STATUS_TITLES, ReviewStatus, Role
from ..services.catalogue import review_stats, reviews
from ..services.shared.errors import NotFound, ServiceError
from .security import roles_required

bp = Blueprint("reviews", __name__, url_prefix="/reviews")


# -- what other pages show -------------------------------------------------------------------------


@bp.app_template_global()
def listing_reviews(listing) -> dict:
    """Rating and recent public reviews of a listing, for its page."""
    now = utcnow()
    rating = review_stats.ratings([listing.id], now).get(listing.id, review_stats.NO_RATING)
    return {"rating": rating, "recent": review_stats.recent(listing.id, now)}


@bp.app_template_global()
def trip_reviews(booking) -> list:
    """Items of `booking` the signed-in traveller may review now (one per listing)."""
    return reviews.reviewable_items(current_user, booking)


@bp.app_template_global()
def stars(value) -> str:
    """An average such as 4.5, in the page's language (4,5 in Vietnamese)."""
    return format_decimal(value, format="0.0") if value is not None else ""


@bp.app_template_global()
def country_name(code: str | None) -> str:
    """A country's name in the page's language (KR: Hàn Quốc, South Korea)."""
    return countries.country_name(code, str(get_locale()))


def _booking(reference: str):
    try:
        return reviews.find_booking(reference)
    except NotFound:
        abort(404)


def _stars_of(raw) -> int | None:
    """A whole number of stars as sent, None when it is none (the service names the field)."""
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and raw.isascii() and len(raw) <= 10 else None


def _rating(form) -> reviews.Rating:
    return reviews.Rating(
        **{name: _stars_of(form.get(name)) for name in reviews.STAR_FIELDS},
        text=form.get("text") or "",
    )


def _fail(exc: ServiceError, template: str, **context):
    if isinstance(exc, NotFound):
        abort(404)
    errors = {exc.field or "": exc.message}
    return render_template(template, errors=errors, form=request.form, **context), exc.status


# -- writing -----------------------------------------------------------------------------------------


@bp.route("/trip/<reference>/<int:listing_id>", methods=["GET", "POST"])
@login_required
def write(reference: str, listing_id: int):
    """The traveller's review of one listing of their finished trip. 404 unless theirs."""
    booking = _booking(reference)
    item = next((i for i in booking.items if i.listing_id == listing_id), None)
    if booking.tourist_id != current_user.id or item is None:
        abort(404)
    context = {"booking": booking, "item": item}
    if request.method == "POST":
        try:
            reviews.write_review(current_user, booking, listing_id, _rating(request.form))
        except ServiceError as exc:
            return _fail(exc, "reviews/write.html", **context)
        flash(
            _("Thank you! Your review is shown once your host has written theirs, or in 14 days.")
        )
        return redirect(url_for("trips.detail", reference=booking.reference))
    if item not in reviews.reviewable_items(current_user, booking):
        errors = {"": _("This trip cannot be reviewed now.")}
        return render_template("reviews/write.html", errors=errors, form={}, closed=True, **context)
    return render_template("reviews/write.html", errors={}, form={}, **context)


@bp.route("/guest/<reference>", methods=["GET", "POST"])
@login_required
def write_guest(reference: str):
    """The host's review of the traveller. 404 unless a host of the booking."""
    booking = _booking(reference)
    if not any(i.host_id == current_user.id for i in booking.items):
        abort(404)
    context = {"booking": booking}
    if request.method == "POST":
        try:
            reviews.write_guest_review(current_user, booking, _rating(request.form))
        except ServiceError as exc:
            return _fail(exc, "reviews/guest.html", **context)
        flash(
            _("Thank you! Your review is shown once your guest has written theirs, or in 14 days.")
        )
        return redirect(url_for("reviews.host"))
    if not reviews.may_review_guest(current_user, booking):
        errors = {"": _("This trip cannot be reviewed now.")}
        return render_template("reviews/guest.html", errors=errors, form={}, closed=True, **context)
    return render_template("reviews/guest.html", errors={}, form={}, **context)


@bp.get("/mine")
@login_required
def mine():
    """What I wrote, hidden reviews with the cooperative's reason."""
    return render_template(
        "reviews/mine.html",
        reviews=review_stats.written_by(current_user),
        titles=REVIEW_STATUS_TITLES,
    )


@bp.get("/host")
@login_required
def host():
    """Guests to review, and public reviews of my listings to reply to."""
    now = utcnow()
    return render_template(
        "reviews/host.html",
        bookings=review_stats.guests_to_review(current_user, now),
        reviews=review_stats.of_host(current_user, now),
        errors={},
    )


@bp.post("/<int:review_id>/reply")
@login_required
def reply(review_id: int):
    """The host's one public answer. 404 unless their listing's public review."""
    try:
        reviews.reply(current_user, review_id, request.form.get("reply") or "")
    except NotFound:
        abort(404)
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for("reviews.host"))
    flash(_("Your reply is published."))
    return redirect(url_for("reviews.host"))


# -- moderation --------------------------------------------------------------------------------------


@bp.get("/moderation")
@roles_required(Role.COOP)
def moderation():
    """Reviews of the listings in my communities, with hide / show."""
    return render_template(
        "reviews/moderation.html",
        reviews=review_stats.to_moderate(current_user),
        titles=REVIEW_STATUS_TITLES,
    )


@bp.post("/<int:review_id>/<any(hide, show):action>")
@roles_required(Role.COOP)
def moderate(review_id: int, action: str):
    """Hide (with a reason for the author) or show again. 404 outside my communities."""
    to = ReviewStatus.HIDDEN if action == "hide" else ReviewStatus.VISIBLE
    try:
        reviews.moderate(current_user, review_id, to, request.form.get("reason", ""))
    except NotFound:
        abort(404)
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for("reviews.moderation"))
    flash(_("The review is hidden.") if action == "hide" else _("The review is shown again."))
    return redirect(url_for("reviews.moderation"))
