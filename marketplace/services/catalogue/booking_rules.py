"""What can still be booked: the departure cut-off and the rooms a party needs.

Pure rules, no database (bar a stay's dates, checked against today): search (as SQL conditions), the booking form and API (as checks),
listing pages, the API catalogue and closures' alternatives all call these, so a departure the
search shows is one a booking accepts, and a room the search offers is one the form takes.
"""

from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from ...models import Departure, DepartureStatus
from ..shared.values import invalid

#: sales of a departure close this long before it starts: the guide downloads the day's guest
#: list before setting off, and a seat sold later would not be on it
BOOKING_CUTOFF = timedelta(hours=1)

#: the longest stay one booking may hold
MAX_NIGHTS = 30


def booking_closes_at(starts_at: datetime) -> datetime:
    """The instant sales of a departure starting at `starts_at` close."""
    return starts_at - BOOKING_CUTOFF


def departure_open(departure, now: datetime) -> bool:
    """Whether `departure` still takes bookings at the instant `now`: scheduled, and its
    cut-off (`starts_at - BOOKING_CUTOFF`) not reached. One instant, no business-day rounding:
    a departure that left this morning is closed this afternoon."""
    return (
        departure.status == DepartureStatus.SCHEDULED
        and booking_closes_at(departure.starts_at) > now
    )


def departure_open_clause(now: datetime) -> tuple:
    """`departure_open` as SQL conditions on Departure (for searches that must not load rows)."""
    return (
        Departure.status == DepartureStatus.SCHEDULED,
        Departure.starts_at > now + BOOKING_CUTOFF,
    )


def rooms_needed(guests, sleeps):
    """Units a party of `guests` needs of a room type sleeping `sleeps` each: guests / sleeps,
    rounded up. Works on ints and, unchanged, on SQL columns (`RoomType.max_guests`)."""
    return (guests + sleeps - 1) // sleeps


def party_fits(guests: int, rooms: int, sleeps: int) -> bool:
    """Whether `rooms` units sleeping `sleeps` each take `guests` people."""
    return rooms >= rooms_needed(guests, sleeps)


def check_stay_dates(check_in: date, check_out: date, prefix: str, today: date) -> None:
    """Raises ServiceError for a past check-in, a check-out not after it, or over 30 nights."""
    if check_in < today:
        raise invalid(_("The arrival date is in the past."), f"{prefix}check_in", "past_date")
    if check_out <= check_in:
        raise invalid(_("Check-out must be after check-in."), f"{prefix}check_out", "invalid_range")
    if (check_out - check_in).days > MAX_NIGHTS:
        raise invalid(
            _("At most %(n)d nights per booking.", n=MAX_NIGHTS), f"{prefix}check_out", "too_long"
        )
