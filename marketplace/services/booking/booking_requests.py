"""Reading a booking request (API JSON or the booking form) into checked values.

Every problem names its field, e.g. `items[0].check_out` or `guests[1].nationality`.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from ... import countries
from ...clock import business_today
from ...models import Departure, DepartureStatus, RoomType
from ...phones import parse_phone
from ..accounts.accounts import normalize_email
from ..catalogue.booking_rules import check_stay_dates, departure_open, party_fits
from ..shared.errors import ServiceError
from ..shared.values import invalid, parse_date, parse_int

MAX_QUANTITY = 50
COUNTRY_CODES = countries.CODES


def parse_count(value, field: str) -> int:
    """Rooms, guests or seats of one item: 1 to MAX_QUANTITY."""
    return parse_int(value, field, minimum=1, maximum=MAX_QUANTITY)


@dataclass
class StayRequest:
    room_type_id: int
    check_in: date
    check_out: date
    rooms: int
    guests: int


@dataclass
class TourRequest:
    departure_id: int
    participants: int


@dataclass
class Contact:
    name: str
    email: str
    phone: str


@dataclass
class GuestDetails:
    full_name: str
    nationality: str
    date_of_birth: date | None
    passport_number: str | None
    #: "M" or "F" (optional; the host's declaration of foreign guests asks for it)
    sex: str | None = None


def parse_item(raw, index: int, today: date) -> StayRequest | TourRequest:
    prefix = f"items[{index}]."
    if not isinstance(raw, dict):
        raise invalid(_("Each item must be an object."), f"items[{index}]")
    if raw.get("room_type_id") is not None:
        stay = StayRequest(
            room_type_id=parse_int(
                raw["room_type_id"], f"{prefix}room_type_id", minimum=1, maximum=2**31 - 1
            ),
            check_in=parse_date(raw.get("check_in"), f"{prefix}check_in"),
            check_out=parse_date(raw.get("check_out"), f"{prefix}check_out"),
            rooms=parse_count(raw.get("rooms", 1), f"{prefix}rooms"),
            guests=parse_count(raw.get("guests", 1), f"{prefix}guests"),
        )
        check_stay_dates(stay.check_in, stay.check_out, prefix, today)
        return stay
    if raw.get("departure_id") is not None:
        return TourRequest(
            departure_id=parse_int(
                raw["departure_id"], f"{prefix}departure_id", minimum=1, maximum=2**31 - 1
            ),
            participants=parse_count(raw.get("participants", 1), f"{prefix}participants"),
        )
    raise invalid(_("Choose a room type or a departure."), f"items[{index}]")


def parse_items(raw_items, today: date | None = None) -> list[StayRequest | TourRequest]:
    today = today or business_today()
    if not isinstance(raw_items, list) or not raw_items:
        raise invalid(_("Add at least one room or tour."), "items")
    if len(raw_items) > 10:
        raise invalid(_("At most %(n)d items per booking.", n=10), "items")
    return [parse_item(raw, i, today) for i, raw in enumerate(raw_items)]


class _Problems:
    """Every field a check finds wrong, raised at once: a form shows them all in one answer."""

    def __init__(self):
        self.found: dict[str, tuple[str, str]] = {}

    def add(self, message: str, field: str, code: str = "invalid") -> None:
        self.found.setdefault(field, (str(message), code))

    def raise_any(self) -> None:
        if self.found:
            field, (message, code) = next(iter(self.found.items()))
            problems = {f: m for f, (m, _c) in self.found.items()}
            raise ServiceError(message, code, field, problems=problems)


def parse_contact(raw) -> Contact:
    if not isinstance(raw, dict):
        raise invalid(_("Contact details are required."), "contact")
    problems = _Problems()
    name = str(raw.get("name") or "").strip()
    if not name or len(name) > 120:
        problems.add(_("Enter your name."), "contact.name")
    email = phone = ""
    try:
        email = normalize_email(str(raw.get("email") or ""))
    except ServiceError as exc:
        problems.add(exc.message, "contact.email", "invalid_email")
    try:
        phone = parse_phone(str(raw.get("phone") or ""))  # E.164 when the country is known
    except ValueError:
        problems.add(_("Enter a phone number we can call, e.g. +84 912 345 678."), "contact.phone")
    problems.raise_any()
    return Contact(name=name, email=email, phone=phone)


def parse_guest(raw, index: int) -> GuestDetails:
    prefix = f"guests[{index}]."
    if not isinstance(raw, dict):
        raise invalid(_("Each guest must be an object."), f"guests[{index}]")
    problems = _Problems()
    full_name = str(raw.get("full_name") or "").strip()
    if not full_name or len(full_name) > 120:
        problems.add(_("Enter the guest's full name."), f"{prefix}full_name")
    nationality = str(raw.get("nationality") or "").strip().upper()
    if nationality not in COUNTRY_CODES:
        problems.add(_("Choose a country (ISO code such as VN, KR, FR)."), f"{prefix}nationality")
    dob = raw.get("date_of_birth")
    date_of_birth = None
    try:
        date_of_birth = parse_date(dob, f"{prefix}date_of_birth") if dob else None
    except ServiceError as exc:
        problems.add(exc.message, exc.field or f"{prefix}date_of_birth", exc.code)
    if date_of_birth and not (date(1900, 1, 1) <= date_of_birth <= business_today()):
        problems.add(_("Enter a real date of birth."), f"{prefix}date_of_birth")
    passport = str(raw.get("passport_number") or "").strip().upper() or None
    if nationality != "VN":  # an unknown country counts as foreign: its papers are asked too
        if not passport:
            problems.add(
                _(
                    "Foreign guests need a passport number: the host registers the stay with the police."
                ),
                f"{prefix}passport_number",
            )
        elif not re.fullmatch(r"[A-Z0-9<-]{5,20}", passport):
            problems.add(_("Enter the passport number as printed."), f"{prefix}passport_number")
        if dob is None or dob == "":
            problems.add(_("Enter the guest's date of birth."), f"{prefix}date_of_birth")
    sex = str(raw.get("sex") or "").strip().upper() or None
    if sex not in (None, "M", "F"):
        problems.add(_("Choose male or female."), f"{prefix}sex")
    problems.raise_any()
    return GuestDetails(full_name, nationality, date_of_birth, passport, sex)


def parse_guests(raw_guests) -> list[GuestDetails]:
    if raw_guests in (None, []):
        return []
    if not isinstance(raw_guests, list) or len(raw_guests) > 60:
        raise invalid(_("Guests must be a list."), "guests")
    return [parse_guest(raw, i) for i, raw in enumerate(raw_guests)]


def check_room_capacity(stay: StayRequest, room_type: RoomType, index: int) -> None:
    """Raises ServiceError when the rooms asked for cannot sleep the party
    (`booking_rules.party_fits`) or the stay is shorter than the room's minimum."""
    prefix = f"items[{index}]."
    if not party_fits(stay.guests, stay.rooms, room_type.max_guests):
        raise invalid(
            _(
                "%(rooms)d room(s) sleep at most %(n)d guests.",
                rooms=stay.rooms,
                n=stay.rooms * room_type.max_guests,
            ),
            f"{prefix}guests",
            "too_many_guests",
        )
    if stay.check_out.toordinal() - stay.check_in.toordinal() < room_type.min_nights:
        raise invalid(
            _("This room needs at least %(n)d nights.", n=room_type.min_nights),
            f"{prefix}check_out",
            "min_nights",
        )


def check_departure_open(departure: Departure, index: int, now: datetime) -> None:
    """Raises ServiceError unless `departure` still takes bookings at the instant `now`
    (`booking_rules.departure_open`): 409 `departure_cancelled`, or 400 `past_date` once its
    sales have closed."""
    if departure.status == DepartureStatus.CANCELLED:
        raise ServiceError(
            _("This departure is cancelled."),
            "departure_cancelled",
            f"items[{index}].departure_id",
            409,
        )
    if not departure_open(departure, now):
        raise invalid(
            _("Bookings for this departure have closed."),
            f"items[{index}].departure_id",
            "past_date",
        )
