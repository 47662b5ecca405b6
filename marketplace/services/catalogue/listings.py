"""Hosts' listings: who manages which, texts and terms per language, blocked nights.

Who may touch what is decided here (`listings_of`, `get_listing`): a host their own listings,
cooperative staff their community's, an admin every one. Editing a published listing keeps it live.
Room types, prices and departures are in `rooms_and_departures`; status changes (submit, approve,
reject, suspend) in `listing_review`.
"""

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select

from ...extensions import db
from ...models import (
    BlockedNight,
    BlockSource,
    CancellationPolicy,
    Listing,
    ListingKind,
    ListingStatus,
    ListingText,
    PaymentMethod,
    Role,
    RoomType,
    User,
)
from ..shared import audit
from ..shared.errors import NotFound, ServiceError

TEXT_FIELDS = ("title", "summary", "description", "house_rules", "directions", "meeting_point")
#: most nights one block or free request may cover
MAX_RANGE_NIGHTS = 366
#: a tour's length the page accepts, in minutes (minimum, maximum)
DURATION_MINUTES = (15, 60 * 24 * 14)


@dataclass(frozen=True)
class ListingChange:
    """The listing form, read. None (and a missing language) leaves that part as it is."""

    #: language -> field of TEXT_FIELDS -> text
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    duration_minutes: int | None = None
    cancellation_policy: CancellationPolicy | None = None
    #: the ways to pay ticked (an empty list is refused)
    payment_methods: list[PaymentMethod] | None = None
    amenities: list[str] | None = None


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


# --- ranges and languages ------------------------------------------------------------------


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


def apply_texts(listing: Listing, texts: dict, langs: list[str] | None = None) -> None:
    """Write the texts of `langs` (default: every language); one title must remain somewhere."""
    langs = langs or _languages()
    by_locale = {t.locale: t for t in listing.texts}
    cleaned = {
        lang: {k: (texts.get(lang) or {}).get(k, "").strip() for k in TEXT_FIELDS} for lang in langs
    }
    titled = {lang for lang, values in cleaned.items() if values["title"]}
    titled |= {t.locale for t in listing.texts if t.locale not in cleaned and t.title}
    if not titled:
        raise ServiceError(
            _("Give the listing a title."), "title_required", f"texts-{langs[0]}-title"
        )
    for lang, values in cleaned.items():
        if len(values["title"]) > 160:
            raise ServiceError(_("At most 160 characters."), "too_long", f"texts-{lang}-title")
        if len(values["summary"]) > 300:
            raise ServiceError(_("At most 300 characters."), "too_long", f"texts-{lang}-summary")
    for lang, values in cleaned.items():
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


def apply_terms(
    listing: Listing,
    policy: CancellationPolicy | None,
    methods: list[PaymentMethod] | None,
) -> None:
    """Cancellation policy and ways to pay, each only when given."""
    if policy is not None:
        listing.cancellation_policy = policy
    if methods is not None:
        if not methods:
            raise ServiceError(
                _("Accept at least one way to pay."), "no_payment_method", "payment_methods"
            )
        listing.payment_methods = [PaymentMethod(m).value for m in methods]


def apply_duration(listing: Listing, minutes: int | None) -> None:
    if listing.kind == ListingKind.TOUR and minutes is not None:
        listing.duration_minutes = minutes


def _apply_fields(listing: Listing, change: ListingChange) -> None:
    apply_texts(listing, change.texts)
    apply_terms(listing, change.cancellation_policy, change.payment_methods)
    if change.amenities is not None:
        listing.amenities = [a[:60] for a in change.amenities if a][:40]
    apply_duration(listing, change.duration_minutes)


def create_listing(
    host: User, kind: ListingKind | str, change: ListingChange, community=None
) -> Listing:
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
    _apply_fields(listing, change)
    title, _fallback = listing.text_for("en")
    listing.key = _new_key(title.title if title else "")
    db.session.add(listing)
    db.session.flush()
    audit.record(listing, "created", actor=host, to_state=listing.status)
    db.session.commit()
    return listing


def update_listing(listing: Listing, actor: User, change: ListingChange) -> Listing:
    """Change texts and terms; a published listing stays published. Commits."""
    _apply_fields(listing, change)
    audit.record(listing, "edited", actor=actor)
    db.session.commit()
    return listing


def pending_review(user: User) -> list[Listing]:
    """Listings waiting for `user`'s review (cooperative staff and admins only)."""
    if user.role not in (Role.COOP, Role.ADMIN):
        return []
    query = listings_query(user).where(Listing.status == ListingStatus.PENDING)
    return list(db.session.scalars(query))


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
