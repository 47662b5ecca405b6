"""Factory functions with defaults: make what a test needs, say only what matters to it."""

import itertools
from datetime import date, datetime, time, timedelta

from marketplace.clock import BUSINESS_TZ, business_today
from marketplace.extensions import db
from marketplace.models import (
    CancellationPolicy,
    Community,
    Departure,
    Listing,
    ListingKind,
    ListingStatus,
    ListingText,
    Role,
    RoomType,
)
from marketplace.services.accounts import accounts
from marketplace.services.booking import booking_lifecycle
from marketplace.services.payments import cancellations

PASSWORD = "correct-horse-1"
_seq = itertools.count(1)


def make_community(slug: str | None = None, **fields) -> Community:
    n = next(_seq)
    slug = slug or f"village-{n}"
    community = Community(
        slug=slug,
        name=fields.pop("name", {"vi": f"Làng {n}", "en": f"Village {n}"}),
        province=fields.pop("province", "Lạng Sơn"),
        reference_prefix=fields.pop(
            "reference_prefix", f"{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}"
        ),
        bank_bin=fields.pop("bank_bin", "970436"),
        bank_account_number=fields.pop("bank_account_number", "0011004455667"),
        bank_account_name=fields.pop("bank_account_name", "HTX DU LICH"),
        **fields,
    )
    db.session.add(community)
    db.session.commit()
    return community


def make_user(
    role: Role = Role.TOURIST,
    email: str | None = None,
    community: Community | None = None,
    password: str = PASSWORD,
    **fields,
):
    email = email or f"{role.value}{next(_seq)}@example.test"
    return accounts.create_user(
        email,
        password,
        role=role,
        communities=[community.slug] if community else [],
        **fields,
    )


def make_listing(
    kind: ListingKind = ListingKind.STAY,
    *,
    community: Community | None = None,
    host=None,
    status: ListingStatus = ListingStatus.PUBLISHED,
    units: int = 1,
    max_guests: int = 2,
    nightly_price: int = 500_000,
    min_nights: int = 1,
    title: str | None = None,
    payment_methods=("stripe", "vietqr", "pay_at_arrival"),
    policy: CancellationPolicy = CancellationPolicy.MODERATE,
) -> Listing:
    community = community or make_community()
    host = host or make_user(Role.HOST, community=community)
    n = next(_seq)
    listing = Listing(
        key=f"listing-{n}",
        community=community,
        host=host,
        kind=kind,
        status=status,
        payment_methods=list(payment_methods),
        cancellation_policy=policy,
        duration_minutes=240 if kind == ListingKind.TOUR else None,
    )
    listing.texts.append(ListingText(locale="vi", title=title or f"Nhà {n}"))
    listing.texts.append(ListingText(locale="en", title=title or f"House {n}"))
    if kind == ListingKind.STAY:
        listing.room_types.append(
            RoomType(
                key="room",
                name={"vi": "Phòng đôi", "en": "Double room"},
                units=units,
                max_guests=max_guests,
                nightly_price=nightly_price,
                min_nights=min_nights,
            )
        )
    db.session.add(listing)
    db.session.commit()
    return listing


def make_departure(
    listing: Listing | None = None,
    *,
    day: date | None = None,
    capacity: int = 10,
    price_per_person: int = 300_000,
    guide=None,
) -> Departure:
    listing = listing or make_listing(ListingKind.TOUR)
    day = day or business_today() + timedelta(days=7)
    departure = Departure(
        listing=listing,
        starts_at=datetime.combine(day, time(7, 30), tzinfo=BUSINESS_TZ),
        capacity=capacity,
        price_per_person=price_per_person,
        guide=guide,
    )
    db.session.add(departure)
    db.session.commit()
    return departure


def login(client, user, password: str = PASSWORD):
    response = client.post("/account/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


# --- bookings ---------------------------------------------------------------------------------


def bearer(user) -> dict:
    """Authorization header with a fresh API token of `user`."""
    return {"Authorization": f"Bearer {accounts.create_token(user, name='test')}"}


def stay_item(room_type, start_in_days: int = 10, nights: int = 2, rooms: int = 1, guests: int = 2):
    """A booking item as the API and the booking form take it."""
    check_in = business_today() + timedelta(days=start_in_days)
    return {
        "room_type_id": room_type.id,
        "check_in": check_in.isoformat(),
        "check_out": (check_in + timedelta(days=nights)).isoformat(),
        "rooms": rooms,
        "guests": guests,
    }


BOOKING_CONTACT = {"name": "Kim Min-ji", "email": "minji@example.test", "phone": "+82 10 1234 5678"}
FOREIGN_GUEST = {
    "full_name": "Kim Min-ji",
    "nationality": "KR",
    "date_of_birth": "1994-03-02",
    "passport_number": "M12345678",
}


def make_booking(
    room_type=None,
    *,
    check_in: date | None = None,
    nights: int = 2,
    rooms: int = 1,
    guests: int = 2,
    departure=None,
    participants: int = 2,
    guest_list=(),
    status=None,
    tourist=None,
    locale: str = "en",
):
    """A booking of a room type (or a departure) moved to `status` (default confirmed).

    `guest_list`: (full_name, nationality, date_of_birth, passport_number) tuples.
    """
    from marketplace.models import BookingStatus
    from marketplace.services.booking import bookings
    from marketplace.services.booking.booking_requests import (
        Contact,
        GuestDetails,
        StayRequest,
        TourRequest,
    )

    status = status or BookingStatus.CONFIRMED
    if departure is not None:
        item = TourRequest(departure.id, participants)
    else:
        room_type = room_type or make_listing().room_types[0]
        check_in = check_in or business_today() + timedelta(days=10)
        item = StayRequest(room_type.id, check_in, check_in + timedelta(days=nights), rooms, guests)
    booking, _created = bookings.place_booking(
        [item],
        Contact("Khách Du Lịch", f"guest{next(_seq)}@example.test", "+84 912 345 678"),
        [GuestDetails(*g) for g in guest_list],
        tourist=tourist,
        locale=locale,
    )
    if status == BookingStatus.PENDING_PAYMENT:
        return booking
    if status == BookingStatus.CANCELLED:
        cancellations.cancel(booking, reason="changed plans")
        return booking
    booking_lifecycle.confirm(booking)
    if status in (BookingStatus.NO_SHOW, BookingStatus.CHECKED_IN):
        booking_lifecycle.transition(booking, status)
    elif status == BookingStatus.COMPLETED:
        booking_lifecycle.transition(booking, BookingStatus.CHECKED_IN)
        booking_lifecycle.transition(booking, BookingStatus.COMPLETED)
    db.session.commit()
    return booking


def make_ticketed_booking(
    listing: Listing | None = None,
    *,
    check_in: date | None = None,
    nights: int = 2,
    guests: int = 2,
    departure: Departure | None = None,
    confirm: bool = True,
    contact_name: str = "Nguyễn Thị Hoa",
):
    """`make_booking` for check-in: a stay from today (or a tour `departure`), confirmed so it
    holds a ticket, with a contact name to look for on the scanner's screen."""
    from marketplace.models import BookingStatus

    if departure is None:
        listing = listing or make_listing(units=3, max_guests=4)
    booking = make_booking(
        listing.room_types[0] if departure is None else None,
        check_in=check_in or business_today(),
        nights=nights,
        guests=guests,
        departure=departure,
        participants=guests,
        status=BookingStatus.CONFIRMED if confirm else BookingStatus.PENDING_PAYMENT,
    )
    booking.contact_name = contact_name
    db.session.commit()
    return booking


# --- payments ---------------------------------------------------------------------------------


def make_held_booking(
    listing: Listing | None = None,
    *,
    start_in_days: int = 10,
    nights: int = 2,
    rooms: int = 1,
    now: datetime | None = None,
    email: str = "an@example.test",
):
    """A booking held for one room type of `listing` (made when not given), as a guest placed it."""
    from marketplace.services.booking import bookings
    from marketplace.services.booking.booking_requests import Contact, StayRequest

    listing = listing or make_listing()
    room = listing.room_types[0]
    check_in = business_today(now) + timedelta(days=start_in_days)
    booking, _created = bookings.place_booking(
        [StayRequest(room.id, check_in, check_in + timedelta(days=nights), rooms, 1)],
        Contact("Nguyễn Văn An", email, "+84 912 345 678"),
        now=now,
    )
    return booking
