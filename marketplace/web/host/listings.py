"""Hosts' listings: create and edit, photos, room types, prices, departures, review."""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ...labels import AMENITIES
from ...models import (
    CancellationPolicy,
    PaymentMethod,
    PriceRuleKind,
)
from ...models.listing import LISTING_STATUS_TITLES
from ...services.booking.cancellation_policy import describe
from ...services.catalogue import (
    calendars,
    listing_review,
    listing_sections,
    listings,
    rooms_and_departures,
    uploads,
)
from .. import listing_forms
from ..backoffice import attempt, errors_of, languages, or_404
from . import bp


def _listing_change(kind: str) -> listings.ListingChange:
    return listing_forms.listing_change(request.form, kind, languages())


def _create(kind: str):
    return listings.create_listing(current_user, kind, _listing_change(kind))


def _update(listing):
    return listings.update_listing(listing, current_user, _listing_change(listing.kind.value))


def _save_section(listing, section: str):
    change = listing_forms.section_change(section, request.form, listing.kind.value, languages())
    return listing_sections.save_section(listing, current_user, section, change)


def _form_context(**extra) -> dict:
    return {
        "languages": languages(),
        "policies": [(p.value, describe(p)) for p in CancellationPolicy],
        "methods": [m.value for m in PaymentMethod],
        "status_titles": LISTING_STATUS_TITLES,
        "amenity_labels": AMENITIES,
        "section": None,
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
        listing, error = attempt(_create, kind)
        if listing is not None:
            flash(
                _(
                    "Saved. Now add the location, amenities, photos and rooms, then send it "
                    "for approval."
                ),
                "success",
            )
            # the texts stay unfolded to check them; the page opens at the next thing to fill
            url = url_for("host.listing_edit", listing_id=listing.id, open="texts")
            return redirect(url + "#location")
        errors = errors_of(error)
    return render_template(
        "host/listing_form.html",
        **_form_context(listing=None, kind=kind, errors=errors, values=request.form),
    ), (400 if errors else 200)


@bp.route("/listings/<int:listing_id>", methods=["GET", "POST"])
def listing_edit(listing_id: int):
    """The listing's page of sections; a POST with `section` saves that section alone (a POST
    without one saves every field, as the single form of earlier versions did)."""
    listing = or_404(listings.get_listing, current_user, listing_id)
    errors = {}
    section = request.form.get("section") if request.method == "POST" else None
    if request.method == "POST":
        if section:
            warnings, error = attempt(_save_section, listing, section, success=_("Saved."))
            for warning in warnings or []:
                flash(warning, "warning")
            if error is None:
                return _back(listing, f"#{section}")
        else:
            _done, error = attempt(_update, listing, success=_("Saved."))
            if error is None:
                return _back(listing)
        errors = errors_of(error)
    known, others = listing_sections.split_amenities(listing.amenities or [])
    feeds = {rt.id: calendars.feed_token(rt) for rt in listing.room_types}
    return render_template(
        "host/listing_form.html",
        **_form_context(
            listing=listing,
            kind=listing.kind.value,
            errors=errors,
            section=section,
            opened=_opened(listing, section, errors),
            values=request.form if request.method == "POST" else None,
            amenities_known=known,
            amenities_other=others,
            feeds=feeds,
            externals=calendars.externals_of([rt.id for rt in listing.room_types]),
            guides=rooms_and_departures.guides_for(listing),
            rule_kinds=[k.value for k in PriceRuleKind],
            max_photos=uploads.MAX_PHOTOS,
        ),
    ), (400 if errors else 200)


def _back(listing, anchor: str = ""):
    """Back to the listing with the section just used unfolded and in view."""
    if not anchor:
        return redirect(url_for("host.listing_edit", listing_id=listing.id))
    name = anchor.lstrip("#")
    opened = "texts" if name.startswith("texts-") else name
    return redirect(url_for("host.listing_edit", listing_id=listing.id, open=opened) + anchor)


def _opened(listing, section: str | None, errors: dict) -> set[str]:
    """Sections shown unfolded: asked for, holding an error, or still empty (what is left to do)."""
    opened = {name for name in request.args.get("open", "").split(",") if name}
    if errors:
        opened.add("texts" if (section or "").startswith("texts-") else (section or "all"))
    empty = {
        "location": listing.latitude is None,
        "amenities": not listing.amenities,
        "photos": not listing.photos,
        "rooms": listing.kind.value == "stay" and not listing.room_types,
        "departures": listing.kind.value == "tour" and not listing.departures,
    }
    return opened | {name for name, is_empty in empty.items() if is_empty}


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


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.post("/listings/<int:listing_id>/photos")
def photo_add(listing_id: int):
    """One or several photos (a `multiple` file input); each is checked alone, a bad one is
    refused by its name and the good ones stay. Answers JSON (with the new list) to a script."""
    listing = or_404(listings.get_listing, current_user, listing_id)
    files = [(f.filename, f.stream) for f in request.files.getlist("photo") if f and f.filename]
    alt = {lang: request.form.get(f"alt-{lang}", "") for lang in languages()}
    added, refused = uploads.add_photos(listing, current_user, files, alt) if files else ([], [])
    problems = [
        _("%(name)s was not added: %(reason)s", name=name, reason=reason)
        for name, reason in refused
    ]
    if not files:
        problems = [_("Choose a photo to upload.")]
    if _wants_json():
        html = render_template("host/_photo_list.html", listing=listing, languages=languages())
        status = 200 if added or not problems else 400
        count = _("%(n)d of %(max)d", n=len(listing.photos), max=uploads.MAX_PHOTOS)
        return jsonify(added=len(added), problems=problems, html=html, count=count), status
    for problem in problems:
        flash(problem, "error")
    if added:
        flash(ngettext("%(num)d photo added.", "%(num)d photos added.", len(added)), "success")
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


def _save_room_type(listing, room_type):
    change = listing_forms.room_type_change(request.form)
    return rooms_and_departures.save_room_type(listing, current_user, change, room_type)


@bp.post("/listings/<int:listing_id>/room-types")
def room_type_add(listing_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    attempt(_save_room_type, listing, None, success=_("Room saved."))
    return _back(listing, "#rooms")


@bp.post("/listings/<int:listing_id>/room-types/<int:room_type_id>")
def room_type_edit(listing_id: int, room_type_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    room_type = or_404(listings.get_room_type, current_user, room_type_id)
    if room_type.listing_id != listing.id:
        return _back(listing)
    attempt(_save_room_type, listing, room_type, success=_("Room saved."))
    return _back(listing, "#rooms")


def _add_price_rule(listing):
    change = listing_forms.price_rule_change(request.form)
    return rooms_and_departures.add_price_rule(listing, current_user, change)


@bp.post("/listings/<int:listing_id>/price-rules")
def price_rule_add(listing_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    attempt(_add_price_rule, listing, success=_("Price saved."))
    return _back(listing, "#prices")


@bp.post("/listings/<int:listing_id>/price-rules/<int:rule_id>/delete")
def price_rule_delete(listing_id: int, rule_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    attempt(rooms_and_departures.remove_price_rule, listing, current_user, rule_id)
    return _back(listing, "#prices")


def _add_departures(listing):
    schedule = listing_forms.departure_schedule(request.form)
    return rooms_and_departures.add_departures(listing, current_user, schedule)


# its own path: a GET and a POST rule on one path answer 405 instead of 404 for an id
# past the column's range (Werkzeug checks the method before the converter)
@bp.post("/listings/<int:listing_id>/departures/new")
def departures_add(listing_id: int):
    listing = or_404(listings.get_listing, current_user, listing_id)
    created, _error = attempt(_add_departures, listing)
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
