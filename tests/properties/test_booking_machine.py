"""A stateful property test: random sequences of what tourists, hosts, Stripe and the clock do.

Hypothesis drives the real services on the real database (SQLite, or PostgreSQL with
TEST_DATABASE_URL): placing stay bookings, paying them by card (the emulator's checkout page, then
its webhook events delivered in any order, repeated or never), by bank transfer or cash, asking to
pay at arrival, cancelling, letting holds lapse and expiring them, blocking and freeing nights, and
checking guests in. After every step it checks the rules that must always hold:

* availability is one answer: for every (room type, night range) near today, the search page
  (`search.search`), the host's month grid (`calendars.month_grid`), the listing page's calendar
  (`availability.month_view`), `availability.free_units_by_night` and the model kept here (units
  less the rooms of bookings that hold them, less blocked nights) agree; and placing a booking
  succeeds exactly when they say it is free;
* a booking's inventory claims follow its status (held while pending and not lapsed, for good
  once confirmed, never once cancelled or expired), and no night is sold twice;
* the ledger of each booking sums to what was paid less what was refunded (refunds not failed);
* no booking is cancelled, expired or unpaid while it holds a valid ticket, and every confirmed
  booking holds one per item.

Time is passed in everywhere (`now=`) from a clock kept by the machine, which only moves forward.
Set HYPOTHESIS_BOOKING_EXAMPLES to explore more (the default keeps the run well under a minute).
"""

import os
from copy import deepcopy
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select, text

from marketplace.clock import business_today, utcnow
from marketplace.extensions import db
from marketplace.http import checkout_origin
from marketplace.models import (
    Booking,
    BookingNight,
    BookingStatus,
    CancellationPolicy,
    LedgerEntry,
    LedgerKind,
    ListingKind,
    PaymentStatus,
    Refund,
    RefundStatus,
    Role,
    RoomType,
    TicketStatus,
    User,
)
from marketplace.services import (
    availability,
    bookings,
    calendars,
    checkin,
    listings,
    payment_events,
    payments,
    search,
)
from marketplace.services.booking_requests import Contact, StayRequest
from marketplace.services.errors import ServiceError
from tests.factories import make_community, make_listing, make_user

#: the nights probed after every step: arrivals today to today + 3, one or two nights
PROBE_OFFSETS = range(4)
PROBE_NIGHTS = (1, 2)
URLS = {"success_url": "http://shop.test/ok", "cancel_url": "http://shop.test/back"}

SETTINGS = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_BOOKING_EXAMPLES", "30")),
    stateful_step_count=25,
    deadline=None,
    database=None,  # no .hypothesis folder in the shared tree; a failure prints its seed blob
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def emulator(app):
    """The Stripe emulator without a webhook URL: the machine delivers its events itself."""
    module = pytest.importorskip("marketplace.devtools.stripe_emulator")
    server = module.start_in_thread(
        webhook_url=None, webhook_secret=app.config["STRIPE_WEBHOOK_SECRET"]
    )
    saved = {k: app.config.get(k) for k in ("STRIPE_API_BASE", "STRIPE_CHECKOUT_ORIGIN")}
    app.config["STRIPE_API_BASE"] = server.url
    app.config["STRIPE_CHECKOUT_ORIGIN"] = checkout_origin(server.url)
    yield server, module
    app.config.update(saved)
    server.shutdown()


def _empty_tables() -> None:
    """What tests/conftest.py does after each test, between two examples of one test."""
    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            joined = ", ".join(f'"{name}"' for name in tables)
            conn.execute(text(f"TRUNCATE {joined} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f'DELETE FROM "{name}"'))


def _nights(check_in: date, check_out: date) -> list[date]:
    return [check_in + timedelta(days=n) for n in range((check_out - check_in).days)]


class BookingMachine(RuleBasedStateMachine):
    placed = Bundle("placed")  # booking ids
    checkouts = Bundle("checkouts")  # Stripe Checkout Session ids

    def __init__(self, emulator):
        super().__init__()
        server, self.emulator_module = emulator
        self.stripe = server.app.extensions["stripe_emulator"]
        _empty_tables()
        with self.stripe.lock:  # payment ids restart with the tables: forget old idempotency keys
            for store in (self.stripe.objects, self.stripe.events, self.stripe.replays):
                store.clear()
            self.stripe.line_items.clear()
        self.clock = utcnow().replace(microsecond=0)
        self.ready = False
        #: booking id -> (room type id, check-in, check-out, rooms), as asked for
        self.stays: dict[int, tuple[int, date, date, int]] = {}
        #: (room type id, night) closed by the host
        self.blocked: set[tuple[int, date]] = set()
        self.units: dict[int, int] = {}

    # --- helpers ------------------------------------------------------------------------------

    @property
    def today(self) -> date:
        return business_today(self.clock)

    def _fresh(self) -> None:
        """A new request: nothing the session read before is trusted."""
        db.session.rollback()
        db.session.expire_all()

    def _booking(self, booking_id: int) -> Booking:
        self._fresh()
        return db.session.get(Booking, booking_id)

    def _host(self) -> User:
        return db.session.get(User, self.host_id)

    def _holding(self, booking: Booking) -> bool:
        """The rule, stated independently of the claims: who holds inventory now."""
        if booking.status == BookingStatus.PENDING_PAYMENT:
            return booking.hold_expires_at is not None and booking.hold_expires_at > self.clock
        return booking.status in (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)

    def _model_free(self) -> dict[tuple[int, date], int]:
        """Free units per (room type, night) for the probed nights, from the bookings' statuses."""
        first = self.today
        last = first + timedelta(days=max(PROBE_OFFSETS) + max(PROBE_NIGHTS))
        claimed: dict[tuple[int, date], int] = {}
        for booking_id, (rt_id, check_in, check_out, rooms) in self.stays.items():
            if not self._holding(db.session.get(Booking, booking_id)):
                continue
            for night in _nights(check_in, check_out):
                claimed[(rt_id, night)] = claimed.get((rt_id, night), 0) + rooms
        free = {}
        for rt_id, units in self.units.items():
            for night in _nights(first, last):
                if (rt_id, night) in self.blocked:
                    free[(rt_id, night)] = 0
                else:
                    free[(rt_id, night)] = max(units - claimed.get((rt_id, night), 0), 0)
        return free

    def _search_available(self, check_in: date, check_out: date, guests: int = 1):
        """What the search page shows for our listing: None (not listed) or {room type: free}."""
        query = search.SearchQuery(
            community=self.community_slug,
            kind=ListingKind.STAY,
            check_in=check_in,
            check_out=check_out,
            guests=guests,
        )
        page = search.search(query, now=self.clock)
        offers = [o for o in page.offers if o.listing_id == self.listing_id]
        if not offers:
            return None
        return {room.room_type.id: room.available for room in offers[0].rooms}

    def _new_stripe_events(self) -> list[str]:
        with self.stripe.lock:
            return list(self.stripe.events)

    # --- setting up ---------------------------------------------------------------------------

    @initialize(
        units=st.lists(st.integers(1, 2), min_size=1, max_size=2),
        policy=st.sampled_from(list(CancellationPolicy)),
    )
    def setup(self, units, policy):
        community = make_community()
        host = make_user(Role.HOST, community=community)
        listing = make_listing(community=community, host=host, units=units[0], policy=policy)
        for n, extra in enumerate(units[1:], start=2):
            listing.room_types.append(
                RoomType(
                    key=f"room-{n}",
                    name={"vi": f"Phòng {n}", "en": f"Room {n}"},
                    units=extra,
                    max_guests=2,
                    nightly_price=650_000,
                    min_nights=1,
                )
            )
        db.session.commit()
        self.host_id, self.listing_id = host.id, listing.id
        self.community_slug = community.slug
        self.units = {rt.id: rt.units for rt in listing.room_types}
        self.room_type_ids = sorted(self.units)
        self.ready = True

    # --- tourists -----------------------------------------------------------------------------

    @rule(
        target=placed,
        which=st.integers(0, 1),
        offset=st.integers(0, 3),
        nights=st.integers(1, 2),
        rooms=st.integers(1, 2),
    )
    def place(self, which, offset, nights, rooms):
        self._fresh()
        rt_id = self.room_type_ids[which % len(self.room_type_ids)]
        check_in = self.today + timedelta(days=offset)
        check_out = check_in + timedelta(days=nights)
        model = min(self._model_free()[(rt_id, n)] for n in _nights(check_in, check_out))
        shown = (self._search_available(check_in, check_out) or {}).get(rt_id, 0)
        try:
            booking, created = bookings.place_booking(
                [StayRequest(rt_id, check_in, check_out, rooms, rooms)],
                Contact("Nguyễn Văn An", "an@example.test", "+84 912 345 678"),
                now=self.clock,
            )
        except ServiceError as exc:
            db.session.rollback()
            assert exc.code == "sold_out", f"placing refused with {exc.code}: {exc.message}"
            assert model < rooms, (
                f"{rooms} room(s) of {rt_id} {check_in}..{check_out} refused as sold out, "
                f"yet {model} free (search shows {shown})"
            )
            return multiple()
        assert created
        assert model >= rooms, (
            f"{rooms} room(s) of {rt_id} {check_in}..{check_out} sold with only {model} free "
            f"(search showed {shown})"
        )
        self.stays[booking.id] = (rt_id, check_in, check_out, rooms)
        return booking.id

    @rule(booking_id=placed)
    def cancel_as_tourist(self, booking_id):
        booking = self._booking(booking_id)
        before = booking.status
        try:
            bookings.cancel(booking, reason="plans changed", now=self.clock)
        except ServiceError as exc:
            db.session.rollback()
            assert exc.code == "not_cancellable", exc.code
            assert before not in (BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED), before
            return
        assert self._booking(booking_id).status == BookingStatus.CANCELLED

    @rule(booking_id=placed)
    def cancel_as_host(self, booking_id):
        booking = self._booking(booking_id)
        try:
            bookings.cancel(booking, actor=self._host(), by_host=True, now=self.clock)
        except ServiceError as exc:
            db.session.rollback()
            assert exc.code == "not_cancellable", exc.code

    # --- card payments through the emulator and its webhook events ----------------------------

    @rule(target=checkouts, booking_id=placed)
    def start_card_payment(self, booking_id):
        booking = self._booking(booking_id)
        try:
            started = payments.start_payment(booking, "stripe", now=self.clock, **URLS)
        except ServiceError as exc:
            db.session.rollback()
            assert exc.code in ("not_payable", "hold_expired", "payment_unavailable"), exc.code
            return multiple()
        return started.session_id

    @rule(session_id=checkouts)
    def pay_on_checkout_page(self, session_id):
        with self.stripe.transaction():
            session = self.stripe.objects.get(session_id)
            if session and session["status"] == "open":
                self.emulator_module.complete_session(self.stripe, session)

    @precondition(lambda self: self.ready and self._new_stripe_events())
    @rule(data=st.data())
    def deliver_stripe_event(self, data):
        """Stripe delivers an event: any one, in any order, possibly again."""
        event_id = data.draw(st.sampled_from(self._new_stripe_events()), label="event")
        with self.stripe.lock:
            event = deepcopy(self.stripe.events[event_id]["event"])
        self._fresh()
        payment_events.handle_stripe_event(event, now=self.clock)

    # --- money by hand --------------------------------------------------------------------------

    @rule(booking_id=placed)
    def transfer_received(self, booking_id):
        booking = self._booking(booking_id)
        try:
            payments.mark_transfer_received(booking, self._host(), now=self.clock)
        except ServiceError as exc:
            db.session.rollback()
            assert exc.code == "already_paid", exc.code

    @rule(booking_id=placed)
    def ask_to_pay_at_arrival(self, booking_id):
        booking = self._booking(booking_id)
        try:
            payments.start_payment(booking, "pay_at_arrival", now=self.clock)
        except ServiceError as exc:
            db.session.rollback()
            assert exc.code in ("not_payable", "hold_expired"), exc.code

    @rule(booking_id=placed)
    def accept_pay_at_arrival(self, booking_id):
        booking = self._booking(booking_id)
        try:
            payments.accept_pay_at_arrival(booking, self._host(), now=self.clock)
        except ServiceError as exc:
            db.session.rollback()
            assert exc.code in ("no_request", "sold_out"), exc.code

    @rule(booking_id=placed)
    def cash_received(self, booking_id):
        booking = self._booking(booking_id)
        amount = payments.due(booking) or booking.total
        try:
            payments.record_cash(booking, self._host(), amount, now=self.clock)
        except ServiceError as exc:
            db.session.rollback()
            assert exc.code in ("already_paid", "not_payable"), exc.code

    # --- time -----------------------------------------------------------------------------------

    @rule(minutes=st.sampled_from([1, 10, 29, 31, 60, 240]))
    def time_passes(self, minutes):
        self.clock += timedelta(minutes=minutes)

    @rule()
    def expire_holds(self):
        self._fresh()
        bookings.expire_holds(now=self.clock)

    # --- the host's calendar --------------------------------------------------------------------

    @rule(which=st.integers(0, 1), offset=st.integers(0, 4), nights=st.integers(1, 2))
    def block_nights(self, which, offset, nights):
        self._fresh()
        rt_id = self.room_type_ids[which % len(self.room_type_ids)]
        first = self.today + timedelta(days=offset)
        wanted = _nights(first, first + timedelta(days=nights))
        listings.block_nights(db.session.get(RoomType, rt_id), self._host(), wanted)
        self.blocked |= {(rt_id, night) for night in wanted}

    @rule(which=st.integers(0, 1), offset=st.integers(0, 4))
    def free_night(self, which, offset):
        self._fresh()
        rt_id = self.room_type_ids[which % len(self.room_type_ids)]
        night = self.today + timedelta(days=offset)
        listings.free_nights(db.session.get(RoomType, rt_id), self._host(), [night])
        self.blocked.discard((rt_id, night))

    # --- arrival --------------------------------------------------------------------------------

    @rule(booking_id=placed, by_reference=st.booleans())
    def check_in(self, booking_id, by_reference):
        booking = self._booking(booking_id)
        tickets = [item.ticket for item in booking.items if item.ticket is not None]
        if not by_reference and not tickets:
            return
        code = booking.reference if by_reference else tickets[0].secret
        ticket = tickets[0] if tickets else None
        admissible = (
            booking.status == BookingStatus.CONFIRMED
            and ticket is not None
            and ticket.status == TicketStatus.VALID
            and ticket.checkin is None
            and ticket.valid_from <= self.today <= ticket.valid_until
        )
        before = booking.status
        result = checkin.perform_checkin(code, self._host(), now=self.clock)
        assert (result.result == checkin.OK) == admissible, (
            f"check-in of a {before} booking answered {result.result}"
        )
        if admissible:
            assert self._booking(booking_id).status == BookingStatus.CHECKED_IN

    # --- what must always hold ------------------------------------------------------------------

    @invariant()
    def availability_is_one_answer(self):
        if not self.ready:
            return
        self._fresh()
        model = self._model_free()
        first, last = self.today, max(night for _rt, night in model)
        room_types = [db.session.get(RoomType, rt_id) for rt_id in self.room_type_ids]
        counted = availability.free_units_by_night(room_types, first, last, self.clock)
        listing = room_types[0].listing
        grid, public = {}, {}
        for month in sorted({first.replace(day=1), last.replace(day=1)}):
            for rt_id, weeks in calendars.month_grid(listing, month, now=self.clock).items():
                for week in weeks:
                    for cell in week:
                        if cell.state != "outside":
                            grid[(rt_id, cell.night)] = cell
            for week in availability.month_view(listing, month, 1, now=self.clock):
                for day in week:
                    if day is not None:
                        public[day[0]] = day[1]
        for (rt_id, night), free in model.items():
            where = f"room type {rt_id}, night {night} (clock {self.clock:%Y-%m-%d %H:%M})"
            assert counted[rt_id][night] == free, (
                f"free_units_by_night says {counted[rt_id][night]}, the bookings say {free}: {where}"
            )
            cell = grid[(rt_id, night)]
            assert cell.free == free, f"host calendar shows {cell.free} free, expected {free}: {where}"
            assert (cell.state == "blocked") == ((rt_id, night) in self.blocked), (
                f"host calendar shows {cell.state}: {where}"
            )
            assert (cell.state in ("free", "partly")) == (free > 0), (
                f"host calendar shows {cell.state} with {free} free: {where}"
            )
        for night in {night for _rt, night in model}:
            anything = any(model[(rt_id, night)] > 0 for rt_id in self.room_type_ids)
            assert public[night] == ("free" if anything else "full"), (
                f"listing calendar shows {public[night]} on {night}"
            )
        for offset in PROBE_OFFSETS:
            for nights in PROBE_NIGHTS:
                check_in = first + timedelta(days=offset)
                check_out = check_in + timedelta(days=nights)
                expected = {
                    rt_id: min(model[(rt_id, n)] for n in _nights(check_in, check_out))
                    for rt_id in self.room_type_ids
                }
                shown = self._search_available(check_in, check_out)
                if any(expected.values()):
                    assert shown == expected, (
                        f"search for {check_in}..{check_out} shows {shown}, expected {expected}"
                    )
                else:
                    assert shown is None, (
                        f"search for {check_in}..{check_out} lists {shown}, nothing is free"
                    )

    @invariant()
    def claims_follow_status(self):
        if not self.ready:
            return
        self._fresh()
        taken: dict[tuple[int, date], int] = {}
        for booking in db.session.scalars(select(Booking)):
            holding = self._holding(booking)
            for item in booking.items:
                for night in item.nights:
                    claimed = night.claimed_until > self.clock
                    assert claimed == holding, (
                        f"{booking.reference} is {booking.status} "
                        f"(hold until {booking.hold_expires_at}) but its night {night.night} is "
                        f"claimed until {night.claimed_until} (clock {self.clock})"
                    )
                    if claimed:
                        key = (night.room_type_id, night.night)
                        taken[key] = taken.get(key, 0) + night.rooms
        for (rt_id, night), rooms in taken.items():
            assert rooms <= self.units[rt_id], f"{rooms} rooms of {rt_id} sold for {night}"

    @invariant()
    def ledger_matches_money(self):
        if not self.ready:
            return
        self._fresh()
        for booking in db.session.scalars(select(Booking)):
            paid = sum(p.amount for p in booking.payments if p.status == PaymentStatus.SUCCEEDED)
            refunds = list(db.session.scalars(select(Refund).where(Refund.booking_id == booking.id)))
            refunded = sum(r.amount for r in refunds if r.status != RefundStatus.FAILED)
            entries = db.session.scalars(
                select(LedgerEntry.amount).where(
                    LedgerEntry.booking_id == booking.id, LedgerEntry.kind == LedgerKind.SHARE
                )
            ).all()
            assert sum(entries) == paid - refunded, (
                f"{booking.reference} ({booking.status}): ledger {sum(entries)}, "
                f"paid {paid}, refunded {refunded}"
            )
            for payment in booking.payments:
                given_back = sum(r.amount for r in payment.refunds if r.status != RefundStatus.FAILED)
                assert payment.amount_refunded == given_back, (
                    f"{booking.reference}: payment {payment.id} says {payment.amount_refunded} "
                    f"refunded, its refunds say {given_back}"
                )
                assert given_back <= (payment.amount if payment.status == PaymentStatus.SUCCEEDED else 0), (
                    f"{booking.reference}: payment {payment.id} ({payment.status}, "
                    f"{payment.amount}) refunded {given_back}"
                )

    @invariant()
    def tickets_follow_status(self):
        if not self.ready:
            return
        self._fresh()
        for booking in db.session.scalars(select(Booking)):
            valid = [
                item.ticket
                for item in booking.items
                if item.ticket is not None and item.ticket.status == TicketStatus.VALID
            ]
            if booking.status in (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN):
                assert len(valid) == len(booking.items), (
                    f"{booking.reference} is {booking.status} with {len(valid)} valid tickets"
                )
            else:
                assert not valid, f"{booking.reference} is {booking.status} with a valid ticket"


def test_booking_rules_hold_whatever_happens(app, emulator):
    run_state_machine_as_test(lambda: BookingMachine(emulator), settings=SETTINGS)
