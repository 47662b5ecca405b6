"""The printable guest manifest: who is expected at a listing on a day (one departure of a tour),
for hosts who like paper and for guides, who open the lists of the departures they lead."""

from flask import abort, render_template, request
from flask_login import current_user

from ...clock import business_today
from ...extensions import db
from ...models import Listing
from ...services.checkin import guest_manifest
from ...services.shared.errors import ServiceError
from ...services.shared.values import parse_date
from ..backoffice import locale
from . import bp


@bp.get("/manifest")
def manifest():
    """The guest list of one listing (one departure) on one day, today by default.

    404 for a listing not theirs (a guide: a tour without a departure they lead).
    """
    listings = guest_manifest.printable_listings(current_user)
    error = None
    day = business_today()
    if request.args.get("date"):
        try:
            day = parse_date(request.args["date"], "date")
        except ServiceError as exc:
            error = exc.message
    listing_id = request.args.get("listing_id", type=int)
    listing = db.session.get(Listing, listing_id) if listing_id else None
    if listing_id and (listing is None or not guest_manifest.may_print(current_user, listing)):
        abort(404)
    if listing is None and listings:
        listing = listings[0]
    guests = (
        guest_manifest.guest_list(
            current_user, listing, day, request.args.get("departure_id", type=int), locale()
        )
        if listing
        else guest_manifest.GuestList([], None)
    )
    return render_template(
        "checkin/guest_manifest.html",
        listings=listings,
        listing=listing,
        day=day,
        date_error=error,
        guests=guests,
        conflicts=guest_manifest.conflicts([line.ticket.id for line in guests.lines]),
    )
