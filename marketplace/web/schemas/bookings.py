"""Bookings: placing one, reading, cancelling, paying."""

from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Discriminator, Field, Tag

from ...i18n import LANGUAGE_NAMES
from ...models import BookingStatus
from .common import Id, Input, Output, Whole

DateTime = Field(json_schema_extra={"format": "date-time"})
Status = Literal[tuple(s.value for s in BookingStatus)]
Method = Literal["stripe", "vietqr", "pay_at_arrival"]
Language = Literal[tuple(LANGUAGE_NAMES)]
#: per booking, as `booking_requests.parse_items` allows
MAX_ITEMS = 10
MAX_QUANTITY = 50


class StayItem(Input):
    room_type_id: Id
    check_in: date
    check_out: date = Field(description="After check_in, at most 30 nights later")
    rooms: Annotated[Whole, Field(ge=1, le=MAX_QUANTITY)] = 1
    guests: Annotated[Whole, Field(ge=1, le=MAX_QUANTITY)] = 1


class TourItem(Input):
    departure_id: Id
    participants: Annotated[Whole, Field(ge=1, le=MAX_QUANTITY)] = 1


def _item_kind(value: Any) -> str:
    # the booking rule: an item naming a room type is a stay, any other a tour
    if isinstance(value, dict):
        stay = value.get("room_type_id") is not None
    else:
        stay = getattr(value, "room_type_id", None) is not None
    return "StayItem" if stay else "TourItem"


# tags named as the models: `schemas.errors.field_name` leaves capitalised names out of a field
Item = Annotated[
    Annotated[StayItem, Tag("StayItem")] | Annotated[TourItem, Tag("TourItem")],
    Discriminator(_item_kind),
]


class Contact(Input):
    name: str = Field(max_length=120)
    email: str = Field(max_length=254)
    phone: str = Field(max_length=40)


class Guest(Input):
    full_name: str = Field(max_length=120)
    nationality: str = Field(description="ISO 3166 alpha-2 code, e.g. VN, KR, FR")
    date_of_birth: date | None = Field(None, description="Required for foreign guests")
    passport_number: str | None = Field(None, description="Required for foreign guests")
    sex: str | None = Field(None, description="M or F (foreign guests' declaration)")


class BookingRequest(Input):
    #: the booking form's codes, kept by the API: a missing or overlong field is `invalid`
    error_codes: ClassVar[dict[str, str]] = {"missing": "invalid", "too_long": "invalid"}

    items: list[Item] = Field(min_length=1, max_length=MAX_ITEMS)
    contact: Contact
    guests: list[Guest] = Field([], max_length=60)
    special_requests: str = ""
    locale: Language | None = Field(
        None,
        description="Language of the booking's mails; default: from Accept-Language.",
    )


class BookingHeaders(Input):
    idempotency_key: str | None = Field(
        None,
        alias="Idempotency-Key",
        max_length=120,
        description="A retry with the same key returns the same booking (200).",
    )
    accept_language: str | None = Field(
        None,
        alias="Accept-Language",
        description="Language of error messages, and of the booking's mails when the body has "
        "no `locale`: a regional tag matches its language (ko-KR: ko, zh-CN / zh-TW: zh); only "
        "languages the site lacks: en; none: vi.",
    )


class CancelRequest(Input):
    reason: str | None = Field(
        None, max_length=2000, description="Required of a host, the cooperative or an admin"
    )


class PaymentRequest(Input):
    #: the code `payments.start_payment` answers for a method it does not know
    error_codes: ClassVar[dict[str, str]] = dict.fromkeys(
        ("missing", "literal_error", "string_type"), "invalid_method"
    )

    method: Method


class BookingContact(Output):
    name: str
    email: str
    phone: str | None


class BookingItem(Output):
    id: int
    kind: Literal["stay", "tour"]
    listing_id: int
    title: str
    check_in: date
    check_out: date
    quantity: int
    guests: int
    price_lines: list[Any] | None = None
    subtotal: int
    currency: Literal["VND"]
    room_type_id: int | None = Field(None, description="Stays")
    rooms: int | None = Field(None, description="Stays")
    nights: int | None = Field(None, description="Stays")
    departure_id: int | None = Field(None, description="Tours")
    participants: int | None = Field(None, description="Tours")
    starts_at: str | None = Field(
        None, description="Tours", json_schema_extra={"format": "date-time"}
    )


class PaymentRow(Output):
    kind: Literal["payment", "refund"]
    id: int
    method: str
    status: str
    amount: int
    currency: str
    created_at: str = DateTime


class Ticket(Output):
    id: int
    secret: str = Field(description="Exactly the text in the ticket's QR code")
    admits: int
    status: str
    qr_svg_url: str


class Booking(Output):
    reference: str = Field(examples=["YT-7K3Q9X"])
    status: Status
    total: int = Field(description="VND")
    currency: Literal["VND"]
    hold_expires_at: str | None = Field(
        json_schema_extra={"format": "date-time"},
        description="While pending_payment: the hold counts against inventory until then",
    )
    created_at: str | None = DateTime
    contact: BookingContact
    items: list[BookingItem]
    payment_methods: list[Method]
    refund_amount: int | None = None
    special_requests: str | None = Field(None, description="One booking only")
    payments: list[PaymentRow] | None = Field(
        None, description="One booking only: each payment followed by its refunds"
    )
    tickets: list[Ticket] | None = Field(None, description="One booking only, once confirmed")


class Bookings(Output):
    items: list[Booking]


class Cancelled(Output):
    reference: str
    status: Status
    refund_amount: int
    currency: Literal["VND"]


class BankAccount(Output):
    bank_bin: str
    account_number: str
    account_name: str


class PaymentStarted(Output):
    """What the client needs next, by method."""

    method: Method
    checkout_url: str | None = Field(
        None, description="stripe", json_schema_extra={"format": "uri"}
    )
    session_id: str | None = Field(None, description="stripe")
    payload: str | None = Field(None, description="vietqr: the EMVCo / NAPAS 247 string")
    amount: int | None = Field(None, description="vietqr")
    currency: Literal["VND"] | None = None
    reference: str | None = None
    account: BankAccount | None = Field(None, description="vietqr")
    qr_svg_url: str | None = Field(None, description="vietqr")
    status: str | None = Field(None, description="pay_at_arrival")
