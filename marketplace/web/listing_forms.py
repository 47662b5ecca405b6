"""The host's listing, room, price and departure forms, read into the typed values the catalogue
services take.

Numbers and dates are read by `shared.values` (the same words and error codes as every other
form), within the ranges the services name; a field at fault raises a ServiceError naming it,
which the page shows next to the field.
"""

import math
from datetime import time

from flask_babel import gettext as _

from ..i18n import supported
from ..models import CancellationPolicy, PaymentMethod, PriceRuleKind
from ..services.catalogue.listing_sections import SectionChange
from ..services.catalogue.listings import DURATION_MINUTES, TEXT_FIELDS, ListingChange
from ..services.catalogue.rooms_and_departures import (
    PERCENT,
    PRICE,
    ROOM_GUESTS,
    ROOM_MIN_NIGHTS,
    ROOM_UNITS,
    SEATS,
    DepartureChange,
    DepartureSchedule,
    PriceRuleChange,
    RoomTypeChange,
)
from ..services.shared.errors import ServiceError
from ..services.shared.values import parse_date, parse_int

PAYMENT_VALUES = {p.value for p in PaymentMethod}


def parse_time(value, field: str = "time") -> time:
    try:
        return time.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        raise ServiceError(_("Enter a time as HH:MM."), "invalid_time", field) from None


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


def _number(form, name: str, bounds: tuple[int, int], default=None) -> int:
    minimum, maximum = bounds
    return parse_int(form.get(name) or default, name, minimum=minimum, maximum=maximum)


def _guide_id(form) -> int | None:
    raw = form.get("guide_id")
    return parse_int(raw, "guide_id") if raw else None


# --- rooms, prices, departures -------------------------------------------------------------------


def room_type_change(form) -> RoomTypeChange:
    names = {
        lang: form.get(f"name-{lang}").strip()
        for lang in supported()
        if (form.get(f"name-{lang}") or "").strip()
    }
    if not names:
        raise ServiceError(_("Name the room."), "name_required", "name-vi")
    return RoomTypeChange(
        names=names,
        units=_number(form, "units", ROOM_UNITS),
        max_guests=_number(form, "max_guests", ROOM_GUESTS),
        nightly_price=_number(form, "nightly_price", PRICE),
        min_nights=_number(form, "min_nights", ROOM_MIN_NIGHTS, default=1),
        sold_by_bed=form.get("sold_by_bed") in ("1", "on", "true"),
    )


def price_rule_change(form) -> PriceRuleChange:
    try:
        kind = PriceRuleKind(form.get("kind"))
    except ValueError:
        raise ServiceError(_("Choose a kind of rule."), "invalid_kind", "kind") from None
    raw_room = form.get("room_type_id")
    room_type_id = parse_int(raw_room, "room_type_id") if raw_room else None
    name = form.get("name") or ""
    if kind == PriceRuleKind.DATE:
        return PriceRuleChange(
            kind,
            room_type_id,
            name,
            start_date=parse_date(form.get("start_date"), "start_date"),
            nightly_price=_number(form, "nightly_price", PRICE),
        )
    percent = _number(form, "percent", PERCENT)
    if kind == PriceRuleKind.SEASON:
        return PriceRuleChange(
            kind,
            room_type_id,
            name,
            percent=percent,
            start_date=parse_date(form.get("start_date"), "start_date"),
            end_date=parse_date(form.get("end_date"), "end_date"),
        )
    return PriceRuleChange(kind, room_type_id, name, percent=percent)


def departure_schedule(form) -> DepartureSchedule:
    first = parse_date(form.get("first_date"), "first_date")
    at = parse_time(form.get("time"))
    capacity = _number(form, "capacity", SEATS)
    price = _number(form, "price_per_person", PRICE)
    weekdays = frozenset(parse_int(w, "weekdays", maximum=6) for w in form.getlist("weekdays"))
    until = parse_date(form["until"], "until") if form.get("until") else None
    return DepartureSchedule(first, at, capacity, price, weekdays, until, _guide_id(form))


def departure_change(form) -> DepartureChange:
    at = parse_time(form.get("time"))
    return DepartureChange(at, _number(form, "capacity", SEATS), _guide_id(form))


# --- the listing ----------------------------------------------------------------------------------


def _texts(form, langs) -> dict[str, dict[str, str]]:
    return {lang: {f: form.get(f"texts-{lang}-{f}", "") for f in TEXT_FIELDS} for lang in langs}


def _duration(form, kind: str) -> int | None:
    """A tour's length; a stay has none, and an empty field leaves it as it is."""
    raw = form.get("duration_minutes", "")
    if kind != "tour" or raw == "":
        return None
    return _number(form, "duration_minutes", DURATION_MINUTES)


def _policy(raw) -> CancellationPolicy:
    try:
        return CancellationPolicy(raw)
    except ValueError:
        raise ServiceError(
            _("Choose a cancellation policy."), "invalid_policy", "cancellation_policy"
        ) from None


def _methods(form) -> list[PaymentMethod]:
    """The ways to pay ticked; an unknown one is left out."""
    return [PaymentMethod(m) for m in form.getlist("payment_methods") if m in PAYMENT_VALUES]


def listing_change(form, kind: str, langs: list[str]) -> ListingChange:
    """Every field the form sent; terms not sent (the short new-listing form) stay as they are."""
    texts = _texts(form, langs)
    duration = _duration(form, kind)
    has_terms = "cancellation_policy" in form
    policy = _policy(form["cancellation_policy"]) if has_terms else None
    methods = _methods(form) if has_terms or "payment_methods" in form else None
    amenities = [a.strip() for a in form["amenities"].split(",")] if "amenities" in form else None
    return ListingChange(texts, duration, policy, methods, amenities)


def section_change(section: str, form, kind: str, langs: list[str]) -> SectionChange:
    """The fields of one section of the listing form (an unknown section reads nothing)."""
    if section == "basics":
        return SectionChange(duration_minutes=_duration(form, kind))
    if section.startswith("texts-"):
        return SectionChange(texts=_texts(form, langs))
    if section == "location":
        return SectionChange(
            latitude=parse_coordinate(form.get("latitude"), "latitude", 90),
            longitude=parse_coordinate(form.get("longitude"), "longitude", 180),
        )
    if section == "amenities":
        words = [*form.getlist("amenities_other"), *form.get("amenities_more", "").split(",")]
        return SectionChange(amenity_codes=form.getlist("amenities"), amenity_words=words)
    if section == "terms":
        return SectionChange(
            cancellation_policy=_policy(form.get("cancellation_policy", "")),
            payment_methods=_methods(form),
        )
    return SectionChange()
