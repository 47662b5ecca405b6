"""Prices from a listing's rules: integer VND, computed on the server only.

Precedence for one night: a date override, else a season, else the weekend rate, else the base.
Within one kind, a rule scoped to the room type wins over a listing-wide one.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import bindparam, select

from ...extensions import db
from ...models import Departure, PriceRule, PriceRuleKind, RoomType
from ...money import apply_percent

#: Friday and Saturday nights cost the weekend rate
WEEKEND_NIGHTS = frozenset({4, 5})


@dataclass(frozen=True)
class Quote:
    """What one unit (room, or seat) costs: the lines and their sum, times the quantity."""

    lines: list[dict] = field(default_factory=list)
    unit_total: int = 0
    quantity: int = 1

    @property
    def total(self) -> int:
        return self.unit_total * self.quantity


def nights(check_in: date, check_out: date) -> list[date]:
    return [check_in + timedelta(days=n) for n in range((check_out - check_in).days)]


def _more_specific(current: PriceRule | None, rule: PriceRule) -> bool:
    """Whether `rule` should replace `current`: a room type's own rule beats a listing-wide one."""
    return current is None or current.room_type_id is None or rule.room_type_id is not None


def night_price(base: int, night: date, rules: Iterable[PriceRule]) -> int:
    """One night's price; within each kind, a rule of the room type wins over the listing's."""
    best_override = None
    season = None
    weekend = None
    for rule in rules:
        if rule.kind == PriceRuleKind.DATE and rule.start_date == night:
            if _more_specific(best_override, rule):
                best_override = rule
        elif rule.kind == PriceRuleKind.SEASON and rule.start_date <= night <= rule.end_date:
            if _more_specific(season, rule):
                season = rule
        elif rule.kind == PriceRuleKind.WEEKEND and night.weekday() in WEEKEND_NIGHTS:
            if _more_specific(weekend, rule):
                weekend = rule
    if best_override is not None:
        if best_override.nightly_price is not None:
            return best_override.nightly_price
        return apply_percent(base, best_override.percent or 0)
    if season is not None:
        return apply_percent(base, season.percent or 0)
    if weekend is not None:
        return apply_percent(base, weekend.percent or 0)
    return base


def rules_by_listing(listing_ids: Iterable[int]) -> dict[int, list[PriceRule]]:
    """Every price rule of these listings in one query."""
    ids = list(set(listing_ids))
    grouped: dict[int, list[PriceRule]] = {i: [] for i in ids}
    if ids:
        for rule in db.session.scalars(_RULES_OF_LISTINGS, {"ids": ids}):
            grouped[rule.listing_id].append(rule)
    return grouped


#: built once: placing a booking reads it every time (building costs as much as running it)
_RULES_OF_LISTINGS = select(PriceRule).where(
    PriceRule.listing_id.in_(bindparam("ids", expanding=True))
)


def quote_stay(
    room_type: RoomType,
    check_in: date,
    check_out: date,
    rooms: int = 1,
    rules: list[PriceRule] | None = None,
) -> Quote:
    """The whole stay for `rooms` units; `rules` may be given to spare a query in searches."""
    if rules is None:
        rules = rules_by_listing([room_type.listing_id])[room_type.listing_id]
    applicable = [r for r in rules if r.room_type_id in (None, room_type.id)]
    lines = [
        {
            "date": night.isoformat(),
            "price": night_price(room_type.nightly_price, night, applicable),
        }
        for night in nights(check_in, check_out)
    ]
    return Quote(lines=lines, unit_total=sum(line["price"] for line in lines), quantity=rooms)


def quote_tour(departure: Departure, participants: int = 1) -> Quote:
    day = departure.starts_at.date().isoformat()
    return Quote(
        lines=[{"date": day, "price": departure.price_per_person}],
        unit_total=departure.price_per_person,
        quantity=participants,
    )
