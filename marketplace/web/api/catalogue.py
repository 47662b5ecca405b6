"""Catalogue reads: no token needed. Availability and prices come from services/search.py,
the same code the pages use."""

from flask import jsonify, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ...clock import to_business_time, utcnow
from ...i18n import localized
from ...models import ListingKind
from ...money import CURRENCY
from ...services import catalogue, review_stats, search, search_query
from . import ApiError, bp


def _locale() -> str:
    return str(get_locale())


@bp.get("/communities")
def communities():
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
def listings():
    """Listings that can take the party on the dates. 400 for bad search input."""
    query = search_query.parse_query(request.args)
    page = search.search(query)
    return jsonify(
        items=[listing_json(offer, query) for offer in page.offers],
        page=query.page,
        per_page=query.per_page,
        total=page.total,
    )


@bp.get("/listings/<int:listing_id>")
def listing(listing_id: int):
    """One published listing, with rooms or departures for the dates. 404 otherwise."""
    found = search.published_listing(listing_id)
    if found is None:
        raise ApiError(404, "not_found", _("We could not find this listing."))
    query = search_query.parse_query(request.args, dates_only=True)
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


OPENAPI_PATHS = {
    "/communities": {
        "get": {
            "summary": "Communities with the number of their published listings",
            "tags": ["catalogue"],
            "responses": {
                "200": {
                    "description": "The communities",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Communities"}}
                    },
                }
            },
        }
    },
    "/listings": {
        "get": {
            "summary": "Listings that can take the party on the dates",
            "tags": ["catalogue"],
            "parameters": [
                {"$ref": "#/components/parameters/community"},
                {"$ref": "#/components/parameters/kind"},
                {"$ref": "#/components/parameters/check_in"},
                {"$ref": "#/components/parameters/check_out"},
                {"$ref": "#/components/parameters/guests"},
                {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                {
                    "name": "per_page",
                    "in": "query",
                    "schema": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": search_query.MAX_PER_PAGE,
                    },
                },
                {"name": "sort", "in": "query", "schema": {"enum": list(search_query.SORTS)}},
                {"name": "certification", "in": "query", "schema": {"type": "string"}},
                {"name": "min_price", "in": "query", "schema": {"type": "integer"}},
                {"name": "max_price", "in": "query", "schema": {"type": "integer"}},
            ],
            "responses": {
                "200": {
                    "description": "One page of listings",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ListingPage"}}
                    },
                },
                "400": {"$ref": "#/components/responses/BadRequest"},
            },
        }
    },
    "/listings/{listing_id}": {
        "get": {
            "summary": "One listing with its room types or departures",
            "tags": ["catalogue"],
            "parameters": [
                {
                    "name": "listing_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                },
                {"$ref": "#/components/parameters/check_in"},
                {"$ref": "#/components/parameters/check_out"},
                {"$ref": "#/components/parameters/guests"},
            ],
            "responses": {
                "200": {
                    "description": "The listing",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Listing"}}
                    },
                },
                "400": {"$ref": "#/components/responses/BadRequest"},
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        }
    },
}

OPENAPI_COMPONENTS = {
    "parameters": {
        "community": {"name": "community", "in": "query", "schema": {"type": "string"}},
        "kind": {"name": "kind", "in": "query", "schema": {"enum": ["stay", "tour"]}},
        "check_in": {
            "name": "check_in",
            "in": "query",
            "schema": {"type": "string", "format": "date"},
        },
        "check_out": {
            "name": "check_out",
            "in": "query",
            "description": "After check_in, at most 30 nights later",
            "schema": {"type": "string", "format": "date"},
        },
        "guests": {
            "name": "guests",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        },
    },
    "schemas": {
        "Communities": {
            "type": "object",
            "required": ["items"],
            "properties": {
                "items": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["slug", "name", "province", "listing_count"],
                        "properties": {
                            "slug": {"type": "string"},
                            "name": {"type": "string"},
                            "province": {"type": "string"},
                            "listing_count": {"type": "integer"},
                        },
                    },
                }
            },
        },
        "ListingPage": {
            "type": "object",
            "required": ["items", "page", "per_page", "total"],
            "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Listing"}},
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
                "total": {"type": "integer"},
            },
        },
        "Listing": {
            "type": "object",
            "required": ["id", "kind", "title", "community", "price_from", "currency", "url"],
            "properties": {
                "id": {"type": "integer"},
                "kind": {"enum": ["stay", "tour"]},
                "title": {"type": "string"},
                "community": {"type": "string", "description": "The community's slug"},
                "price_from": {
                    "type": ["integer", "null"],
                    "description": "With dates: the cheapest whole stay for the party "
                    "(price_basis stay); tours: per person; else the lowest nightly rate",
                },
                "price_basis": {"enum": ["stay", "night", "person"]},
                "currency": {"const": "VND"},
                "url": {"type": "string", "format": "uri"},
                "rating": {
                    "type": ["number", "null"],
                    "description": "Average overall stars (1-5, one decimal) of the visible "
                    "reviews; null without any",
                },
                "review_count": {"type": "integer", "minimum": 0},
                "reviews": {
                    "type": "array",
                    "description": "One listing only: its latest visible reviews",
                    "items": {
                        "type": "object",
                        "properties": {
                            "overall": {"type": "integer", "minimum": 1, "maximum": 5},
                            "text": {"type": "string"},
                            "author_name": {"type": "string"},
                            "author_country": {"type": ["string", "null"]},
                            "created_at": {"type": "string", "format": "date-time"},
                            "reply": {"type": ["string", "null"]},
                        },
                    },
                },
                "room_types": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "name", "units", "max_guests"],
                        "properties": {
                            "id": {"type": "integer"},
                            "name": {"type": "string"},
                            "units": {"type": "integer"},
                            "max_guests": {"type": "integer"},
                            "available": {
                                "type": "integer",
                                "description": "Fewest free units over the nights (with dates)",
                            },
                            "total_price": {
                                "type": "integer",
                                "description": "One unit, whole stay (with dates)",
                            },
                        },
                    },
                },
                "departures": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": [
                            "id",
                            "starts_at",
                            "capacity",
                            "remaining",
                            "price_per_person",
                        ],
                        "properties": {
                            "id": {"type": "integer"},
                            "starts_at": {"type": "string", "format": "date-time"},
                            "capacity": {"type": "integer"},
                            "remaining": {"type": "integer"},
                            "price_per_person": {"type": "integer"},
                        },
                    },
                },
            },
        },
    },
}
