"""Hosts' listings: create and edit, photos, room types, prices, departures, review."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...models import (
    CancellationPolicy,
    PaymentMethod,
    PriceRuleKind,
)
from ...models.listing import LISTING_STATUS_TITLES
from ...services import calendars, listing_review, listings, rooms_and_departures, uploads
from ...services.cancellation_policy import describe
from ..backoffice import attempt, errors_of, languages, or_404
from . import bp

TEXT_FIELDS = listings.TEXT_FIELDS


def _listing_data() -> dict:
    form = request.form
    return {
        "texts": {
            lang: {f: form.get(f"texts-{lang}-{f}", "") for f in TEXT_FIELDS}
            for lang in languages()
        },
        "cancellation_policy": form.get("cancellation_policy", ""),
        "payment_methods": form.getlist("payment_methods"),
        "amenities": form.get("amenities", ""),
        "duration_minutes": form.get("duration_minutes", ""),
    }


def _form_context(**extra) -> dict:
    return {
        "languages": languages(),
        "policies": [(p.value, describe(p)) for p in CancellationPolicy],
        "methods": [m.value for m in PaymentMethod],
        "status_titles": LISTING_STATUS_TITLES,
        **extra,
    }


@bp.get("/listings")
def listings_index():
    return render_template(
        "host/listings.html",
        listings=listings.listings_of(current_user),
        status_titles=LISTING_STATUS_TITLES,
    )


@bp.route("/listings/new", methods=["GET", "POST"])
def listing_new():
    kind = request.values.get("kind", "stay")
    kind = kind if kind in ("stay", "tour") else "stay"
    errors = {}
    if request.method == "POST":
        listing, error = attempt(listings.create_listing, current_user, kind, _listing_data())
        if listing is not None:
            flash(_("Saved. Now add photos and rooms, then send it for approval."), "success")
            return redirect(url_for("host.listing_edit", listing_id=listing.id))
        errors = errors_of(error)
    return render_template(
        "host/listing_form.html",
        **_form_context(listing=None, kind=kind, errors=errors, values=request.form),
    ), (400 if errors else 200)


@bp.route("/listings/<int:listing_id>", methods=["GET", "POST"])
def listing_edit(listing_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    errors = {}
    if request.method == "POST":
        _done, error = attempt(
            listings.update_listing,
            listing,
            current_user,
            _listing_data(),
            success=_("Saved."),
        )
        if error is None:
            return redirect(url_for("host.listing_edit", listing_id=listing.id))
        errors = errors_of(error)
    feeds = {rt.id: calendars.feed_token(rt) for rt in listing.room_types}
    return render_template(
        "host/listing_form.html",
        **_form_context(
            listing=listing,
            kind=listing.kind.value,
            errors=errors,
            values=request.form if request.method == "POST" else None,
            feeds=feeds,
            externals=calendars.externals_of([rt.id for rt in listing.room_types]),
            guides=rooms_and_departures.guides_for(listing),
            rule_kinds=[k.value for k in PriceRuleKind],
            max_photos=uploads.MAX_PHOTOS,
        ),
    ), (400 if errors else 200)


def _back(listing, anchor: str = ""):
    return redirect(url_for("host.listing_edit", listing_id=listing.id) + anchor)


@bp.post("/listings/<int:listing_id>/submit")
def listing_submit(listing_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    attempt(
        listing_review.submit,
        listing,
        current_user,
        success=_("Sent to the cooperative. You will see their answer here."),
    )
    return _back(listing)


@bp.post("/listings/<int:listing_id>/photos")
def photo_add(listing_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    upload = request.files.get("photo")
    if upload is None or not upload.filename:
        flash(_("Choose a photo to upload."), "error")
        return _back(listing, "#photos")
    alt = {lang: request.form.get(f"alt-{lang}", "") for lang in languages()}
    attempt(uploads.add_photo, listing, current_user, upload.stream, alt, success=_("Photo added."))
    return _back(listing, "#photos")


@bp.post("/listings/<int:listing_id>/photos/<int:photo_id>/move")
def photo_move(listing_id: int, photo_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    offset = -1 if request.form.get("direction") == "up" else 1
    attempt(uploads.move_photo, listing, current_user, photo_id, offset)
    return _back(listing, "#photos")


@bp.post("/listings/<int:listing_id>/photos/<int:photo_id>/alt")
def photo_alt(listing_id: int, photo_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    alt = {lang: request.form.get(f"alt-{lang}", "") for lang in languages()}
    attempt(uploads.set_alt, listing, current_user, photo_id, alt, success=_("Saved."))
    return _back(listing, "#photos")


@bp.post("/listings/<int:listing_id>/photos/<int:photo_id>/delete")
def photo_delete(listing_id: int, photo_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    attempt(uploads.remove_photo, listing, current_user, photo_id, success=_("Photo removed."))
    return _back(listing, "#photos")


@bp.post("/listings/<int:listing_id>/room-types")
def room_type_add(listing_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    attempt(
        rooms_and_departures.save_room_type,
        listing,
        current_user,
        request.form,
        success=_("Room saved."),
    )
    return _back(listing, "#rooms")


@bp.post("/listings/<int:listing_id>/room-types/<int:room_type_id>")
def room_type_edit(listing_id: int, room_type_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    room_type = or_404(listings.get_room_type, current_user, room_type_id)
    if room_type.listing_id != listing.id:
        return _back(listing)
    attempt(
        rooms_and_departures.save_room_type,
        listing,
        current_user,
        request.form,
        room_type,
        success=_("Room saved."),
    )
    return _back(listing, "#rooms")


@bp.post("/listings/<int:listing_id>/price-rules")
def price_rule_add(listing_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    attempt(
        rooms_and_departures.add_price_rule,
        listing,
        current_user,
        request.form,
        success=_("Price saved."),
    )
    return _back(listing, "#prices")


@bp.post("/listings/<int:listing_id>/price-rules/<int:rule_id>/delete")
def price_rule_delete(listing_id: int, rule_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    attempt(rooms_and_departures.remove_price_rule, listing, current_user, rule_id)
    return _back(listing, "#prices")


@bp.post("/listings/<int:listing_id>/departures")
def departures_add(listing_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    data = {**request.form.to_dict(), "weekdays": request.form.getlist("weekdays")}
    created, _error = attempt(rooms_and_departures.add_departures, listing, current_user, data)
    if created:
        flash(_("%(n)d departures added.", n=len(created)), "success")
    return _back(listing, "#departures")


@bp.post("/listings/<int:listing_id>/calendars")
def external_add(listing_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    room_type_id = request.form.get("room_type_id", type=int) or 0
    room_type = or_404(listings.get_room_type, current_user, room_type_id)
    if room_type.listing_id == listing.id:
        attempt(
            calendars.add_external,
            room_type,
            current_user,
            request.form.get("url", ""),
            success=_("Calendar added; it is read at the next sync."),
        )
    return _back(listing, "#sync")


@bp.post("/listings/<int:listing_id>/calendars/<int:calendar_id>/delete")
def external_delete(listing_id: int, calendar_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    calendar = or_404(calendars.external_of, listing, calendar_id)
    calendars.remove_external(calendar, current_user)
    return _back(listing, "#sync")
