"""Hosts' listings: texts per language, room types, prices, blocked nights, departures, review.

Who may touch what is decided here (`listings_of`, `get_listing`): a host their own listings,
cooperative staff their community's, an admin every one. Editing a published listing keeps it live.
"""

import re
import secrets
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select

from ..clock import BUSINESS_TZ
from ..extensions import db
from ..models import (
    BlockedNight,
    BlockSource,
    CancellationPolicy,
    Departure,
    DepartureStatus,
    Listing,
    ListingKind,
    ListingStatus,
    ListingText,
    PaymentMethod,
    PriceRule,
    PriceRuleKind,
    Role,
    RoomType,
    User,
)
from . import audit
from .errors import NotFound, ServiceError

# status changes live in listing_review (one transition table, one function); kept importable here
from .listing_review import approve, move_listing, reject, submit, suspend  # noqa: F401

TEXT_FIELDS = ("title", "summary", "description", "house_rules", "directions", "meeting_point")
#: most nights one block or free request may cover
MAX_RANGE_NIGHTS = 366
#: most departures one recurring rule may create
MAX_RECURRING = 120


# --- who sees what -----------------------------------------------------------------------------


def listings_query(user: User):
    """Listings `user` manages: their own (host), their communities' (cooperative), all (admin)."""
    query = select(Listing).order_by(Listing.id.desc())
    if user.role == Role.ADMIN:
        return query
    if user.role == Role.COOP:
        return query.where(Listing.community_id.in_(user.community_ids or {-1}))
    return query.where(Listing.host_id == user.id)


def listings_of(user: User) -> list[Listing]:
    return list(db.session.scalars(listings_query(user)))


def may_manage(user: User, listing: Listing) -> bool:
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.COOP:
        return listing.community_id in user.community_ids
    return user.role == Role.HOST and listing.host_id == user.id


def get_listing(user: User, listing_id: int) -> Listing:
    """Raises NotFound when it does not exist or `user` may not manage it (no existence leak)."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or not may_manage(user, listing):
        raise NotFound(_("No such listing."), "not_found")
    return listing


def get_room_type(user: User, room_type_id: int) -> RoomType:
    room_type = db.session.get(RoomType, room_type_id)
    if room_type is None or not may_manage(user, room_type.listing):
        raise NotFound(_("No such room type."), "not_found")
    return room_type


# --- parsing helpers -------------------------------------------------------------------------


def parse_int(value, field: str, *, minimum: int = 0, maximum: int = 10**10) -> int:
    try:
        number = int(str(value).strip().replace(".", "").replace(",", ""))
    except (TypeError, ValueError):
        raise ServiceError(_("Enter a whole number."), "invalid_number", field) from None
    if number < minimum or number > maximum:
        raise ServiceError(
            _("Enter a number from %(lo)d to %(hi)d.", lo=minimum, hi=maximum),
            "out_of_range",
            field,
        )
    return number


def parse_date(value, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        raise ServiceError(_("Enter a date as YYYY-MM-DD."), "invalid_date", field) from None


def date_range(first: date, last: date, field: str = "last") -> list[date]:
    if last < first:
        raise ServiceError(_("The end is before the start."), "invalid_range", field)
    span = (last - first).days + 1
    if span > MAX_RANGE_NIGHTS:
        raise ServiceError(_("Choose at most a year at once."), "range_too_long", field)
    return [first + timedelta(days=n) for n in range(span)]


def _languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


# --- listings --------------------------------------------------------------------------------


def _new_key(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower().encode("ascii", "ignore").decode()).strip("-")
    return f"{slug[:50] or 'listing'}-{secrets.token_hex(3)}"


def _apply_fields(listing: Listing, data: dict) -> None:
    texts = data.get("texts") or {}
    if not any((texts.get(lang) or {}).get("title", "").strip() for lang in _languages()):
        raise ServiceError(_("Give the listing a title."), "title_required", "texts-vi-title")
    by_locale = {t.locale: t for t in listing.texts}
    for lang in _languages():
        values = {k: (texts.get(lang) or {}).get(k, "").strip() for k in TEXT_FIELDS}
        if len(values["title"]) > 160:
            raise ServiceError(_("At most 160 characters."), "too_long", f"texts-{lang}-title")
        if len(values["summary"]) > 300:
            raise ServiceError(_("At most 300 characters."), "too_long", f"texts-{lang}-summary")
        text = by_locale.get(lang)
        if not values["title"]:
            if text is not None:
                listing.texts.remove(text)
            continue
        if text is None:
            text = ListingText(locale=lang, title=values["title"])
            listing.texts.append(text)
        for key, value in values.items():
            setattr(text, key, value)
    if "cancellation_policy" in data:
        try:
            listing.cancellation_policy = CancellationPolicy(data["cancellation_policy"])
        except ValueError:
            raise ServiceError(
                _("Choose a cancellation policy."), "invalid_policy", "cancellation_policy"
            ) from None
    if "payment_methods" in data:
        methods = [m for m in data["payment_methods"] if m in {p.value for p in PaymentMethod}]
        if not methods:
            raise ServiceError(
                _("Accept at least one way to pay."), "no_payment_method", "payment_methods"
            )
        listing.payment_methods = methods
    if "amenities" in data:
        amenities = data["amenities"]
        if isinstance(amenities, str):
            amenities = [a.strip() for a in amenities.split(",")]
        listing.amenities = [a[:60] for a in amenities if a][:40]
    if listing.kind == ListingKind.TOUR and data.get("duration_minutes") not in (None, ""):
        listing.duration_minutes = parse_int(
            data["duration_minutes"], "duration_minutes", minimum=15, maximum=60 * 24 * 14
        )


def create_listing(host: User, kind: ListingKind | str, data: dict, community=None) -> Listing:
    """A new draft listing of `host` in their (first) community; commits.

    Raises ServiceError title_required, invalid_policy, no_payment_method, no_community.
    """
    community = community or (host.communities[0] if host.communities else None)
    if community is None:
        raise ServiceError(
            _("Your account belongs to no community yet."), "no_community", "community"
        )
    try:
        kind = ListingKind(kind)
    except ValueError:
        raise ServiceError(_("Choose a stay or a tour."), "invalid_kind", "kind") from None
    listing = Listing(
        key="pending",
        community=community,
        host=host,
        kind=kind,
        status=ListingStatus.DRAFT,
        payment_methods=[m.value for m in PaymentMethod],
    )
    _apply_fields(listing, data)
    title, _fallback = listing.text_for("en")
    listing.key = _new_key(title.title if title else "")
    db.session.add(listing)
    db.session.flush()
    audit.record(listing, "created", actor=host, to_state=listing.status)
    db.session.commit()
    return listing


def update_listing(listing: Listing, actor: User, data: dict) -> Listing:
    """Change texts and terms; a published listing stays published. Commits."""
    _apply_fields(listing, data)
    audit.record(listing, "edited", actor=actor)
    db.session.commit()
    return listing


def pending_review(user: User) -> list[Listing]:
    """Listings waiting for `user`'s review (cooperative staff and admins only)."""
    if user.role not in (Role.COOP, Role.ADMIN):
        return []
    query = listings_query(user).where(Listing.status == ListingStatus.PENDING)
    return list(db.session.scalars(query))


# --- room types and prices ---------------------------------------------------------------------


def save_room_type(listing: Listing, actor: User, data: dict, room_type=None) -> RoomType:
    """Add (or change) a room type; commits. Raises ServiceError naming the field."""
    if listing.kind != ListingKind.STAY:
        raise ServiceError(_("Tours have departures, not rooms."), "not_a_stay")
    names = {
        lang: (data.get(f"name-{lang}") or "").strip()[:80]
        for lang in _languages()
        if (data.get(f"name-{lang}") or "").strip()
    }
    if not names:
        raise ServiceError(_("Name the room."), "name_required", "name-vi")
    units = parse_int(data.get("units"), "units", minimum=0, maximum=500)
    max_guests = parse_int(data.get("max_guests"), "max_guests", minimum=1, maximum=50)
    price = parse_int(data.get("nightly_price"), "nightly_price", minimum=0, maximum=10**9)
    min_nights = parse_int(data.get("min_nights") or 1, "min_nights", minimum=1, maximum=60)
    if room_type is None:
        room_type = RoomType(listing=listing, key=secrets.token_hex(3), nightly_price=price)
        db.session.add(room_type)
    room_type.name = names
    room_type.units = units
    room_type.max_guests = max_guests
    room_type.nightly_price = price
    room_type.min_nights = min_nights
    db.session.flush()
    audit.record(listing, "room_type_saved", actor=actor, data={"room_type_id": room_type.id})
    db.session.commit()
    return room_type


def add_price_rule(listing: Listing, actor: User, data: dict) -> PriceRule:
    """A weekend rate, a season (Tet, the Peach Blossom festival) or one date's price; commits."""
    try:
        kind = PriceRuleKind(data.get("kind"))
    except ValueError:
        raise ServiceError(_("Choose a kind of rule."), "invalid_kind", "kind") from None
    room_type_id = data.get("room_type_id") or None
    if room_type_id:
        room_type_id = parse_int(room_type_id, "room_type_id")
        if room_type_id not in {rt.id for rt in listing.room_types}:
            raise ServiceError(_("No such room type."), "not_found", "room_type_id")
    rule = PriceRule(listing=listing, kind=kind, room_type_id=room_type_id)
    name = (data.get("name") or "").strip()[:80]
    rule.name = {"vi": name, "en": name} if name else {}
    if kind == PriceRuleKind.DATE:
        rule.start_date = rule.end_date = parse_date(data.get("start_date"), "start_date")
        rule.nightly_price = parse_int(data.get("nightly_price"), "nightly_price", maximum=10**9)
    else:
        rule.percent = parse_int(data.get("percent"), "percent", minimum=-90, maximum=500)
        if kind == PriceRuleKind.SEASON:
            rule.start_date = parse_date(data.get("start_date"), "start_date")
            rule.end_date = parse_date(data.get("end_date"), "end_date")
            date_range(rule.start_date, rule.end_date, "end_date")
    db.session.add(rule)
    db.session.flush()
    audit.record(listing, "price_rule_added", actor=actor, data={"price_rule_id": rule.id})
    db.session.commit()
    return rule


def remove_price_rule(listing: Listing, actor: User, rule_id: int) -> None:
    rule = db.session.get(PriceRule, rule_id)
    if rule is None or rule.listing_id != listing.id:
        raise NotFound(_("No such price rule."), "not_found")
    db.session.delete(rule)
    audit.record(listing, "price_rule_removed", actor=actor, data={"price_rule_id": rule_id})
    db.session.commit()


def set_date_price(room_type: RoomType, actor: User, night: date, price: int | None) -> None:
    """One night's own price for this room type (None: back to the rules); commits."""
    db.session.execute(
        delete(PriceRule).where(
            PriceRule.room_type_id == room_type.id,
            PriceRule.kind == PriceRuleKind.DATE,
            PriceRule.start_date == night,
        )
    )
    if price is not None:
        db.session.add(
            PriceRule(
                listing_id=room_type.listing_id,
                room_type_id=room_type.id,
                kind=PriceRuleKind.DATE,
                start_date=night,
                end_date=night,
                nightly_price=price,
            )
        )
    audit.record(
        room_type.listing,
        "date_price",
        actor=actor,
        data={"room_type_id": room_type.id, "night": night.isoformat(), "price": price},
    )
    db.session.commit()


# --- blocked nights --------------------------------------------------------------------------


def block_nights(
    room_type: RoomType,
    actor: User | None,
    nights: list[date],
    *,
    source: BlockSource = BlockSource.HOST,
    reason: str = "",
    commit: bool = True,
) -> int:
    """Close these nights for sale (bookings already made stand); returns how many were new."""
    existing = set(
        db.session.scalars(
            select(BlockedNight.night).where(
                BlockedNight.room_type_id == room_type.id,
                BlockedNight.source == source,
                BlockedNight.night.in_(nights),
            )
        )
    )
    added = 0
    for night in sorted(set(nights) - existing):
        db.session.add(
            BlockedNight(room_type_id=room_type.id, night=night, source=source, reason=reason[:200])
        )
        added += 1
    if added and source != BlockSource.ICAL:
        audit.record(
            room_type.listing,
            "nights_blocked",
            actor=actor,
            data={"room_type_id": room_type.id, "nights": [n.isoformat() for n in nights[:60]]},
            note=reason,
        )
    if commit:
        db.session.commit()
    return added


def free_nights(
    room_type: RoomType, actor: User | None, nights: list[date], source=BlockSource.HOST
) -> int:
    """Open nights the host (or a closure) had blocked; other channels' blocks stay. Commits."""
    result = db.session.execute(
        delete(BlockedNight).where(
            BlockedNight.room_type_id == room_type.id,
            BlockedNight.source == source,
            BlockedNight.night.in_(nights),
        )
    )
    audit.record(
        room_type.listing,
        "nights_freed",
        actor=actor,
        data={"room_type_id": room_type.id, "nights": [n.isoformat() for n in nights[:60]]},
    )
    db.session.commit()
    return result.rowcount or 0


# --- departures ------------------------------------------------------------------------------


def parse_time(value, field: str = "time") -> time:
    try:
        return time.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        raise ServiceError(_("Enter a time as HH:MM."), "invalid_time", field) from None


def departure_days(first: date, weekdays: set[int] | None, until: date | None) -> list[date]:
    """One day, or every day of `weekdays` (Monday 0) from `first` to `until` inclusive."""
    if not weekdays:
        return [first]
    if until is None:
        raise ServiceError(_("Say until when it repeats."), "until_required", "until")
    days = [d for d in date_range(first, until, "until") if d.weekday() in weekdays]
    if len(days) > MAX_RECURRING:
        raise ServiceError(_("Too many departures at once."), "too_many", "until")
    return days


def add_departures(listing: Listing, actor: User, data: dict) -> list[Departure]:
    """One-off or recurring ("every Saturday 07:30 until March") departures; commits.

    `data`: first_date, time, capacity, price_per_person, guide_id, weekdays (list), until.
    """
    if listing.kind != ListingKind.TOUR:
        raise ServiceError(_("Stays have rooms, not departures."), "not_a_tour")
    first = parse_date(data.get("first_date"), "first_date")
    at = parse_time(data.get("time"))
    capacity = parse_int(data.get("capacity"), "capacity", minimum=1, maximum=500)
    price = parse_int(data.get("price_per_person"), "price_per_person", maximum=10**9)
    weekdays = {parse_int(w, "weekdays", maximum=6) for w in data.get("weekdays") or []}
    until = parse_date(data["until"], "until") if data.get("until") else None
    guide = None
    if data.get("guide_id"):
        guide = db.session.get(User, parse_int(data["guide_id"], "guide_id"))
        if (
            guide is None
            or guide.role not in (Role.GUIDE, Role.HOST)
            or not guide.is_staff_of(listing.community_id)
        ):
            raise ServiceError(_("Choose a guide of this community."), "invalid_guide", "guide_id")
    created = []
    for day in departure_days(first, weekdays, until):
        departure = Departure(
            listing=listing,
            starts_at=datetime.combine(day, at, tzinfo=BUSINESS_TZ),
            capacity=capacity,
            price_per_person=price,
            guide=guide,
            status=DepartureStatus.SCHEDULED,
        )
        db.session.add(departure)
        created.append(departure)
    db.session.flush()
    audit.record(listing, "departures_added", actor=actor, data={"count": len(created)})
    db.session.commit()
    return created


def guides_for(listing: Listing) -> list[User]:
    return [u for u in listing.community.members if u.role in (Role.GUIDE, Role.HOST) and u.active]
