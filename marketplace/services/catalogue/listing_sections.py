"""The listing form in sections: each section validates and saves only its own fields.

A host on a phone fills one short part at a time (texts in one language, the location, the
amenities, the terms); a mistake in one part never throws away what was typed in another.
The page reads what a section sent into a `SectionChange`.
"""

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _

from ...extensions import db
from ...labels import AMENITIES
from ...models import CancellationPolicy, Listing, PaymentMethod, User
from ..shared import audit
from ..shared.errors import ServiceError
from .listings import apply_duration, apply_terms, apply_texts

#: south, north, west, east edges of Vietnam (with its islands), in degrees
VIETNAM_BOX = (8.1, 23.4, 102.1, 109.5)
MAX_AMENITIES = 40
MAX_AMENITY_CHARS = 60


@dataclass(frozen=True)
class SectionChange:
    """What one section of the form sent, read; only the fields of the saved section are used.

    `terms` needs a policy (None is refused); `amenity_codes` are the ticked boxes,
    `amenity_words` what was typed (a known amenity typed as words becomes its code).
    """

    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    duration_minutes: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    amenity_codes: list[str] = field(default_factory=list)
    amenity_words: list[str] = field(default_factory=list)
    cancellation_policy: CancellationPolicy | None = None
    payment_methods: list[PaymentMethod] = field(default_factory=list)


def sections(listing: Listing) -> list[str]:
    """Names of the sections a listing's form has, in page order."""
    langs = list(current_app.config["LANGUAGES"])
    return ["basics", *(f"texts-{lang}" for lang in langs), "location", "amenities", "terms"]


def in_vietnam(latitude: float, longitude: float) -> bool:
    south, north, west, east = VIETNAM_BOX
    return south <= latitude <= north and west <= longitude <= east


def apply_location(listing: Listing, latitude: float | None, longitude: float | None) -> list[str]:
    """Set or clear both coordinates; answers warnings (a point outside Vietnam is saved)."""
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


def apply_amenities(listing: Listing, codes: list[str], words: list[str]) -> None:
    """Known codes in the table's order, then other words kept as typed (a code typed as words,
    "Hot water", becomes its code)."""
    chosen = set(codes)
    others: list[str] = []
    for value in words:
        value = value.strip()[:MAX_AMENITY_CHARS]
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


def save_section(listing: Listing, actor: User, section: str, change: SectionChange) -> list[str]:
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
            apply_duration(listing, change.duration_minutes)
        elif section.startswith("texts-"):
            lang = section.removeprefix("texts-")
            apply_texts(listing, change.texts, [lang])
        elif section == "location":
            warnings = apply_location(listing, change.latitude, change.longitude)
        elif section == "amenities":
            apply_amenities(listing, change.amenity_codes, change.amenity_words)
        elif section == "terms":
            if change.cancellation_policy is None:
                raise ServiceError(
                    _("Choose a cancellation policy."), "invalid_policy", "cancellation_policy"
                )
            apply_terms(listing, change.cancellation_policy, list(change.payment_methods))
    except ServiceError:
        db.session.rollback()
        raise
    audit.record(listing, "edited", actor=actor, data={"section": section})
    db.session.commit()
    return warnings
