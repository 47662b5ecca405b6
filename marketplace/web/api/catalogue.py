"""Catalogue reads: no token needed. Availability and prices come from services/catalogue/search.py,
the same code the pages use."""

from flask import jsonify, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ...clock import to_business_time, utcnow
from ...i18n import localized
from ...models import ListingKind
from ...money import CURRENCY
from ...services.catalogue import catalogue, review_stats, search, search_query
from ..schemas.catalogue import Communities, DatesQuery, Listing, ListingPage, ListingQuery
from . import ApiError, bp
from .openapi import endpoint


def _locale() -> str:
    return str(get_locale())


@bp.get("/communities")
@endpoint(tag="catalogue", answers={200: (Communities, "The communities")})
def communities():
    """Communities with the number of their published listings"""
    locale = _locale()
    return jsonify(
        items=[
            {
                "slug": c.slug,
                "name": localized(c.name, locale),
                "province": c.province,
                "listing_count": count,
            }
            for c, count in catalogue.communities_with_counts()
        ]
    )


@bp.get("/listings")
@endpoint(
    tag="catalogue",
    answers={200: (ListingPage, "One page of listings")},
    errors={400: "Bad search input; `field` names it (past dates, over 30 nights, ...)"},
)
def listings(query: ListingQuery):
    """Listings that can take the party on the dates

    With dates, only listings that can take the party on those dates; `price_from` is then the
    whole stay.
    """
    # the search rules (date pairs, the past, 30 nights), shared with the search page
    query = search_query.parse_query(query.model_dump(exclude_none=True))
    page = search.search(query)
    return jsonify(
        items=[listing_json(offer, query) for offer in page.offers],
        page=query.page,
        per_page=query.per_page,
        total=page.total,
    )


@bp.get("/listings/<int:listing_id>")
@endpoint(
    tag="catalogue",
    answers={200: (Listing, "The listing, with its latest reviews")},
    errors={400: "Bad dates; `field` names them", 404: "Unknown or unpublished listing"},
)
def listing(listing_id: int, query: DatesQuery):
    """One listing with its room types or departures for the dates"""
    found = search.published_listing(listing_id)
    if found is None:
        raise ApiError(404, "not_found", _("We could not find this listing."))
    query = search_query.parse_query(query.model_dump(exclude_none=True), dates_only=True)
    body = listing_json(search.offer_for(found, query), query)
    body["reviews"] = [_review_json(r) for r in review_stats.recent(found.id, utcnow())]
    return jsonify(body)


def _review_json(review) -> dict:
    """A visible review as the listing page shows it: first name and country, never more."""
    return {
        "overall": review.overall,
        "text": review.text,
        "author_name": review.author_name,
        "author_country": review.author_country,
        "created_at": review.created_at.isoformat(),
        "reply": review.reply,
    }


def listing_json(offer: search.Offer, query: search_query.SearchQuery) -> dict:
    listing = offer.listing
    text, fallback = listing.text_for(_locale())
    body = {
        "id": listing.id,
        "key": listing.key,
        "kind": listing.kind.value,
        "title": text.title if text else listing.key,
        "summary": text.summary if text else "",
        "text_locale": text.locale if text else None,
        "community": listing.community.slug,
        "price_from": offer.price,
        "price_basis": offer.price_basis,
        "currency": CURRENCY,
        "url": url_for("public.listing", key=listing.key, _external=True),
        "certifications": list(listing.certifications or []),
        "amenities": list(listing.amenities or []),
        "payment_methods": list(listing.payment_methods or []),
        "photos": [
            {
                "url": url_for("media.photo", filename=f"{p.stem}-{w}.jpg", _external=True),
                "width": w,
            }
            for p in listing.photos
            for w in p.widths[-1:]
        ],
        "latitude": listing.latitude,
        "longitude": listing.longitude,
        "rating": offer.rating,
        "review_count": offer.review_count,
    }
    if listing.kind == ListingKind.STAY:
        body["room_types"] = [_room_json(room, query) for room in offer.rooms]
    else:
        body["departures"] = [
            {
                "id": d.departure.id,
                "starts_at": to_business_time(d.departure.starts_at).isoformat(),
                "capacity": d.departure.capacity,
                "remaining": d.remaining,
                "price_per_person": d.departure.price_per_person,
            }
            for d in offer.departures
        ]
    return body


def _room_json(room: search.RoomOffer, query: search_query.SearchQuery) -> dict:
    rt = room.room_type
    body = {
        "id": rt.id,
        "name": localized(rt.name, _locale()),
        "units": rt.units,
        "max_guests": rt.max_guests,
        "min_nights": rt.min_nights,
        "nightly_price": rt.nightly_price,
    }
    if query.dated:
        body.update(
            available=room.available,
            total_price=room.total_price,
            rooms_needed=room.rooms_needed,
            bookable=room.bookable,
        )
    return body
