"""The demo catalogue: real places of Lang Son and Bac Kan, loaded idempotently."""

import zlib
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ..clock import BUSINESS_TZ, business_today, utcnow
from ..extensions import db
from ..models import (
    CancellationPolicy,
    Community,
    Departure,
    Listing,
    ListingKind,
    ListingStatus,
    ListingText,
    PriceRule,
    PriceRuleKind,
    Role,
    RoomType,
    User,
)
from ..services.accounts import accounts
from ..services.catalogue import exchange_rates, photos
from . import demo_data

DEMO_PASSWORD = "demo-pass-2026"
DEPARTURE_DAYS = 90
TEXT_FIELDS = ("title", "summary", "description", "house_rules", "directions")


def seed(*, with_photos: bool = True, today: date | None = None) -> dict[str, int]:
    """Load communities, accounts, listings, room types and departures; a second run adds nothing."""
    today = today or business_today()
    counts = {"communities": 0, "users": 0, "listings": 0, "departures": 0, "exchange rates": 0}
    communities = {c["slug"]: _community(c, counts) for c in demo_data.COMMUNITIES}
    db.session.commit()
    users = {u["email"]: _user(u, communities, counts) for u in demo_data.USERS}
    for spec in demo_data.LISTINGS:
        listing = db.session.scalar(select(Listing).where(Listing.key == spec["key"]))
        if listing is None:
            listing = _listing(spec, communities, users, with_photos)
            counts["listings"] += 1
        else:
            _add_missing_texts(listing, spec)
        if listing.kind == ListingKind.TOUR:
            counts["departures"] += _departures(listing, spec, users, today)
        db.session.commit()
    for code, rate in demo_data.EXCHANGE_RATES.items():
        if exchange_rates.rate_for(code) is None:  # an admin's rate stays
            exchange_rates.set_rate(code, rate)
            counts["exchange rates"] += 1
    return counts


def _community(spec: dict, counts: dict) -> Community:
    community = db.session.scalar(select(Community).where(Community.slug == spec["slug"]))
    if community:
        _add_missing_languages(community, spec)
        return community
    bank = spec.get("bank") or {}
    community = Community(
        slug=spec["slug"],
        name=spec["name"],
        province=spec["province"],
        district=spec.get("district", ""),
        reference_prefix=spec["reference_prefix"],
        latitude=spec.get("latitude"),
        longitude=spec.get("longitude"),
        story=spec.get("story", {}),
        certifications=spec.get("certifications", []),
        attractions=spec.get("attractions", []),
        specialties=spec.get("specialties", []),
        bank_bin=bank.get("bank_bin"),
        bank_account_number=bank.get("account_number"),
        bank_account_name=bank.get("account_name"),
        commission_rate_bp=spec.get("commission_rate_bp", 1000),
        community_fund_rate_bp=spec.get("community_fund_rate_bp", 500),
    )
    db.session.add(community)
    counts["communities"] += 1
    return community


def _user(spec: dict, communities: dict, counts: dict) -> User:
    user = accounts.find_user(spec["email"])
    if user:
        return user
    counts["users"] += 1
    slugs = [spec["community"]] if spec.get("community") else []
    return accounts.create_user(
        spec["email"],
        DEMO_PASSWORD,
        name=spec["name"],
        role=Role(spec["role"]),
        locale=spec.get("locale"),
        communities=slugs,
        nationality=spec.get("nationality"),
    )


def _listing(spec: dict, communities: dict, users: dict, with_photos: bool) -> Listing:
    tour = spec.get("tour") or {}
    listing = Listing(
        key=spec["key"],
        community=communities[spec["community"]],
        host=users[spec["host"]],
        kind=ListingKind(spec["kind"]),
        status=ListingStatus.PUBLISHED,
        published_at=utcnow(),
        latitude=spec.get("latitude"),
        longitude=spec.get("longitude"),
        amenities=spec.get("amenities", []),
        certifications=spec.get("certifications", []),
        cancellation_policy=CancellationPolicy(spec.get("cancellation_policy", "moderate")),
        payment_methods=spec.get("payment_methods", ["stripe", "vietqr"]),
        scene=spec.get("scene"),
        duration_minutes=tour.get("duration_minutes"),
    )
    db.session.add(listing)
    _add_missing_texts(listing, spec)
    for room in spec.get("room_types", []):
        listing.room_types.append(
            RoomType(
                key=room["key"],
                name=room["name"],
                units=room["units"],
                max_guests=room["max_guests"],
                nightly_price=room["nightly_price"],
                min_nights=room.get("min_nights", 1),
                sold_by_bed=room["key"].startswith("dorm"),
            )
        )
    for rule in spec.get("price_rules", []):
        listing.price_rules.extend(_price_rules(rule))
    if with_photos and spec.get("scene"):
        from .demo_art import render_scene

        for n in range(2):
            image = render_scene(spec["scene"], seed=zlib.crc32(spec["key"].encode()) % 10_000 + n)
            photos.store_image(listing, image, alt=spec.get("title"))
    db.session.flush()
    return listing


def _text(spec: dict, locale: str) -> ListingText:
    tour = spec.get("tour") or {}
    fields = {name: (spec.get(name) or {}).get(locale, "") for name in TEXT_FIELDS}
    fields["meeting_point"] = (tour.get("meeting_point") or {}).get(locale, "")
    return ListingText(locale=locale, **fields)


def _add_missing_texts(listing: Listing, spec: dict) -> None:
    """A text for each language the demo gives and the listing lacks (a demo database seeded
    before a language was added gains it); texts already there are left as they are."""
    have = {t.locale for t in listing.texts}
    for locale in spec["title"]:
        if locale not in have:
            listing.texts.append(_text(spec, locale))
    for room in listing.room_types:
        given = next((r["name"] for r in spec.get("room_types", []) if r["key"] == room.key), {})
        if set(given) - set(room.name or {}):
            room.name = {**given, **(room.name or {})}


def _add_missing_languages(community: Community, spec: dict) -> None:
    """Languages the demo gives and an existing demo village lacks, added beside its own texts."""
    for field in ("name", "story"):
        current = getattr(community, field) or {}
        if set(spec.get(field) or {}) - set(current):
            setattr(community, field, {**spec[field], **current})
    for field in ("attractions", "specialties"):
        current, given = getattr(community, field) or [], spec.get(field) or []
        if len(current) == len(given) and current != given:
            setattr(
                community,
                field,
                [_merged(old, new) for old, new in zip(current, given, strict=True)],
            )


def _merged(current, given):
    """`given` with `current`'s values winning, through nested {lang: text} dicts."""
    if isinstance(current, dict) and isinstance(given, dict):
        keys = [*given, *(k for k in current if k not in given)]
        return {k: _merged(current.get(k), given.get(k)) for k in keys}
    return given if current is None else current


def _price_rules(rule: dict) -> list[PriceRule]:
    if rule["kind"] == "weekend":
        return [
            PriceRule(
                kind=PriceRuleKind.WEEKEND, percent=rule["percent"], name=rule.get("name", {})
            )
        ]
    # a season is given as month-days; it is laid on this year and the next
    rules = []
    year = business_today().year
    for y in (year, year + 1):
        start = date.fromisoformat(f"{y}-{rule['start']}")
        end = date.fromisoformat(f"{y}-{rule['end']}")
        if end < start:
            end = end.replace(year=y + 1)
        rules.append(
            PriceRule(
                kind=PriceRuleKind.SEASON,
                name=rule.get("name", {}),
                start_date=start,
                end_date=end,
                percent=rule["percent"],
            )
        )
    return rules


def _departures(listing: Listing, spec: dict, users: dict, today: date) -> int:
    tour = spec["tour"]
    start_time = time.fromisoformat(tour.get("start_time", "07:30"))
    days = [today + timedelta(days=n) for n in range(1, DEPARTURE_DAYS + 1)]
    wanted = [d for d in days if d.weekday() in tour.get("weekdays", [])]
    wanted += [
        date.fromisoformat(d) for d in tour.get("dates", []) if date.fromisoformat(d) > today
    ]
    existing = {d.starts_at for d in listing.departures}
    guide = users.get(tour.get("guide"))
    added = 0
    for day in sorted(set(wanted)):
        starts_at = datetime.combine(day, start_time, tzinfo=BUSINESS_TZ)
        if any(s == starts_at for s in existing):
            continue
        listing.departures.append(
            Departure(
                starts_at=starts_at,
                capacity=tour["capacity"],
                price_per_person=tour["price_per_person"],
                guide=guide,
            )
        )
        added += 1
    return added
