"""What a search asks for: the SearchQuery and how it is read from URL arguments.

Kept apart from running the search (`search`) because pages, the API and the booking forms all
parse and link with a query without touching the catalogue; this module needs no database.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ...clock import business_today
from ...models import ListingKind
from ..shared.values import invalid, parse_date, parse_int
from .booking_rules import check_stay_dates

MAX_GUESTS = 50
PER_PAGE = 12
MAX_PER_PAGE = 50
SORTS = ("recommended", "price_low", "price_high", "rating")


@dataclass(frozen=True)
class SearchQuery:
    community: str | None = None
    kind: ListingKind | None = None
    check_in: date | None = None
    check_out: date | None = None
    guests: int = 1
    certification: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    sort: str = "recommended"
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def dated(self) -> bool:
        return self.check_in is not None

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days if self.dated else 0

    def args(self, **changes) -> dict:
        """The query as URL arguments (for links to other pages or sorts), empty ones left out."""
        values = {
            "community": self.community,
            "kind": self.kind.value if self.kind else None,
            "check_in": self.check_in.isoformat() if self.check_in else None,
            "check_out": self.check_out.isoformat() if self.check_out else None,
            "guests": self.guests,
            "certification": self.certification,
            "min_price": self.min_price,
            "max_price": self.max_price,
            "sort": None if self.sort == "recommended" else self.sort,
            "page": None if self.page == 1 else self.page,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}


def parse_query(
    args: Mapping, today: date | None = None, *, dates_only: bool = False
) -> SearchQuery:
    """A SearchQuery from URL arguments. Raises ServiceError naming the field at fault:
    unparseable or past dates, check-out not after check-in, over 30 nights, one date without
    the other, guests below 1, an unknown kind or sort, a page that is not a whole number.
    """
    today = today or business_today()

    def value(name: str) -> str:
        return str(args.get(name) or "").strip()

    check_in = check_out = None
    if value("check_in") or value("check_out"):
        if not value("check_in"):
            raise invalid(_("Choose an arrival date."), "check_in", "missing_date")
        if not value("check_out"):
            raise invalid(_("Choose a departure date."), "check_out", "missing_date")
        check_in = parse_date(value("check_in"), "check_in")
        check_out = parse_date(value("check_out"), "check_out")
        check_stay_dates(check_in, check_out, "", today)
    guests = parse_int(value("guests") or 1, "guests", minimum=1, maximum=MAX_GUESTS)
    if dates_only:
        return SearchQuery(check_in=check_in, check_out=check_out, guests=guests)
    kind = None
    if value("kind"):
        try:
            kind = ListingKind(value("kind"))
        except ValueError:
            raise invalid(_("Choose stays or tours."), "kind", "invalid_kind") from None
    sort = value("sort") or "recommended"
    if sort not in SORTS:
        raise invalid(_("Choose a sort order from the list."), "sort", "invalid_sort")
    prices = {}
    for name in ("min_price", "max_price"):
        raw = value(name)
        prices[name] = parse_int(raw, name, minimum=0, maximum=10**10) if raw else None
    return SearchQuery(
        community=value("community") or None,
        kind=kind,
        check_in=check_in,
        check_out=check_out,
        guests=guests,
        certification=value("certification") or None,
        min_price=prices["min_price"],
        max_price=prices["max_price"],
        sort=sort,
        page=parse_int(value("page") or 1, "page", minimum=1, maximum=10**6),
        per_page=parse_int(value("per_page") or PER_PAGE, "per_page", maximum=MAX_PER_PAGE),
    )
