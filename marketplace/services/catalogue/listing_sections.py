"""The listing form in sections: each section validates and saves only its own fields.

A host on a phone fills one short part at a time (texts in one language, the location, the
amenities, the terms); a mistake in one part never throws away what was typed in another.
"""

import math

from flask import current_app
from flask_babel import gettext as _

from ..extensions import db
from ..labels import AMENITIES
from ..models import Listing, User
from . import audit
from .errors import ServiceError
from .listings import apply_duration, apply_terms, apply_texts

#: south, north, west, east edges of Vietnam (with its islands), in degrees
VIETNAM_BOX = (8.1, 23.4, 102.1, 109.5)
MAX_AMENITIES = 40
MAX_AMENITY_CHARS = 60


def sections(listing: Listing) -> list[str]:
    """Names of the sections a listing's form has, in page order."""
    langs = list(current_app.config["LANGUAGES"])
    return ["basics", *(f"texts-{lang}" for lang in langs), "location", "amenities", "terms"]


def parse_coordinate(value, field: str, limit: float) -> float | None:
    """A decimal degree within ±`limit`, a comma accepted as the decimal mark; empty is None."""
    text = str(value or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ServiceError(
            _("Enter a number of degrees, e.g. 21.8537."), "invalid_coordinate", field
        ) from None
    if not math.isfinite(number) or abs(number) > limit:
        raise ServiceError(
            _("Enter a number from -%(n)d to %(n)d.", n=int(limit)), "out_of_range", field
        )
    # six decimals place a house to about 10 cm; more is noise from the phone
    return round(number, 6)


def in_vietnam(latitude: float, longitude: float) -> bool:
    south, north, west, east = VIETNAM_BOX
    return south <= latitude <= north and west <= longitude <= east


def apply_location(listing: Listing, data: dict) -> list[str]:
    """Set or clear both coordinates; answers warnings (a point outside Vietnam is saved)."""
    latitude = parse_coordinate(data.get("latitude"), "latitude", 90)
    longitude = parse_coordinate(data.get("longitude"), "longitude", 180)
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        raise ServiceError(
            _("Enter both latitude and longitude, or neither."), "half_location", missing
        )
    listing.latitude, listing.longitude = latitude, longitude
    if latitude is not None and not in_vietnam(latitude, longitude):
        return [
            _("This point is outside Vietnam. Check that latitude and longitude are not swapped.")
        ]
    return []


def _as_code(value: str) -> str:
    return value.strip().lower().replace(" ", "_").replace("-", "_")


def split_amenities(values: list) -> tuple[list[str], list[str]]:
    """Known codes and the other (free-text) values of a listing's amenities."""
    known = [v for v in values if v in AMENITIES]
    return known, [v for v in values if v not in AMENITIES]


def apply_amenities(listing: Listing, data: dict) -> None:
    """Known codes in the table's order, then other words kept as typed (a code typed as words,
    "Hot water", becomes its code)."""
    chosen = set(data.get("codes") or [])
    others: list[str] = []
    extra = data.get("more") or ""
    for value in [*(data.get("others") or []), *extra.split(",")]:
        value = str(value).strip()[:MAX_AMENITY_CHARS]
        if not value:
            continue
        if _as_code(value) in AMENITIES:
            chosen.add(_as_code(value))
        elif value not in others:
            others.append(value)
    known = [code for code in AMENITIES if code in chosen]
    # an unknown code sent as a checkbox is kept as words, never dropped silently
    others += [c for c in chosen if c not in AMENITIES and c not in others]
    listing.amenities = (known + others)[:MAX_AMENITIES]


def save_section(listing: Listing, actor: User, section: str, data: dict) -> list[str]:
    """Validate and save one section of `listing`; commits. Answers warnings to show.

    Raises ServiceError unknown_section, title_required, too_long, invalid_policy,
    no_payment_method, invalid_number, out_of_range, invalid_coordinate, half_location.
    Nothing is written when it raises.
    """
    if section not in sections(listing):
        raise ServiceError(_("This part of the form does not exist."), "unknown_section", "form")
    warnings: list[str] = []
    try:
        if section == "basics":
            apply_duration(listing, data.get("duration_minutes"))
        elif section.startswith("texts-"):
            lang = section.removeprefix("texts-")
            apply_texts(listing, data.get("texts") or {}, [lang])
        elif section == "location":
            warnings = apply_location(listing, data)
        elif section == "amenities":
            apply_amenities(listing, data)
        elif section == "terms":
            apply_terms(
                listing,
                {
                    "cancellation_policy": data.get("cancellation_policy", ""),
                    "payment_methods": data.get("payment_methods") or [],
                },
            )
    except ServiceError:
        db.session.rollback()
        raise
    audit.record(listing, "edited", actor=actor, data={"section": section})
    db.session.commit()
    return warnings
