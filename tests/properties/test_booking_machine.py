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
Set HYPOTHESIS_BOOKING_EXAMPLES and HYPOTHESIS_BOOKING_STEPS to explore more (the defaults, 25
examples of up to 20 steps, keep the run under a minute); `pytest -s` prints what the steps did.
"""

import os
from collections import Counter
from copy import deepcopy
from datetime import date, timedelta

import pytest
from flask import current_app
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
from sqlalchemy import select

from marketplace.clock import business_today, utcnow
from marketplace.extensions import db
from marketplace.http import checkout_origin
from marketplace.models import (
    Booking,
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
from marketplace.services.booking import bookings
from marketplace.services.booking.booking_requests import Contact, StayRequest
from marketplace.services.catalogue import availability, calendars, listings, search
from marketplace.services.checkin import checkin
from marketplace.services.payments import (
    cancellations,
    host_payments,
    money_rules,
    payment_events,
    payments,
)
from marketplace.services.shared.errors import ServiceError
from tests.factories import make_community, make_listing, make_user

#: the nights probed after every step: arrivals today to today + 3, one or two nights
PROBE_OFFSETS = range(4)
PROBE_NIGHTS = (1, 2)
URLS = {"success_url": "http://shop.test/ok", "cancel_url": "http://shop.test/back"}

SETTINGS = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_BOOKING_EXAMPLES", "25")),
    stateful_step_count=int(os.environ.get("HYPOTHESIS_BOOKING_STEPS", "20")),
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


#: what the runs did (rule outcomes), printed with `pytest -s` to see the machine explores
OUTCOMES: Counter = Counter()


def _note(outcome: str) -> None:
    OUTCOMES[outcome] += 1


def _empty_tables() -> None:
    """Empty every table between two examples of the one test (tests/conftest.py does it after
    the test). DELETE, not TRUNCATE: on PostgreSQL it is several times faster for a few rows."""
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


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
        self.stays: dict[int, list[tuple[int, date, date, int]]] = {}
        #: (room type id, night) closed by the host
        self.blocked: set[tuple[int, date]] = set()
        self.units: dict[int, int] = {}
        self.searches = 0
        self.delivered: set[str] = set()  # Stripe events delivered at least once

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
        for booking_id, stays in self.stays.items():
            if not self._holding(db.session.get(Booking, booking_id)):
                continue
            for rt_id, check_in, check_out, rooms in stays:
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

    def _stripe_events(self) -> list[str]:
        with self.stripe.lock:
            return list(self.stripe.events)

    # --- setting up ---------------------------------------------------------------------------

    @initialize(
        units=st.lists(st.integers(1, 2), min_size=1, max_size=2),
        policy=st.sampled_from(list(CancellationPolicy)),
        hours_ahead=st.integers(0, 20),
    )
    def setup(self, units, policy, hours_ahead):
        # any hour of the business day (Stripe's emulator takes checkouts up to a day ahead)
        self.clock += timedelta(hours=hours_ahead)
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

    def _refused_for_holds(self, exc: ServiceError, email: str) -> bool:
        """A refusal for too many unpaid holds, and only when the email really holds the cap."""
        if exc.code != "too_many_holds":
            return False
        open_holds = sum(
            1
            for b in db.session.scalars(select(Booking).where(Booking.contact_email == email))
            if b.status == BookingStatus.PENDING_PAYMENT and self._holding(b)
        )
        cap = current_app.config["MAX_OPEN_HOLDS"]
        assert open_holds >= cap, f"refused for holds with {open_holds} open, the cap is {cap}"
        return True

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
        what = f"{rooms} room(s) of room type {rt_id} for {check_in}..{check_out}"
        try:
            booking, created = bookings.place_booking(
                [StayRequest(rt_id, check_in, check_out, rooms, rooms)],
                Contact("Nguyễn Văn An", "an@example.test", "+84 912 345 678"),
                now=self.clock,
            )
        except ServiceError as exc:
            _note(f"place: {exc.code}")
            db.session.rollback()
            if self._refused_for_holds(exc, "an@example.test"):
                return multiple()
            assert exc.code == "sold_out", f"placing refused with {exc.code}: {exc.message}"
            assert shown < rooms, f"{what} refused as sold out, the search page showed {shown}"
            assert model < rooms, f"{what} refused as sold out, yet {model} are free"
            return multiple()
        _note("place: held")
        assert created
        assert shown >= rooms, f"{what} sold, the search page showed {shown} free"
        assert model >= rooms, f"{what} sold with only {model} free"
        self.stays[booking.id] = [(rt_id, check_in, check_out, rooms)]
        return booking.id

    @rule(
        target=placed,
        first=st.tuples(st.integers(0, 1), st.integers(0, 3), st.integers(1, 2)),
        second=st.tuples(st.integers(0, 1), st.integers(0, 3), st.integers(1, 2)),
    )
    def place_two_items(self, first, second):
        """One booking of two stays (the same room type or two), all or nothing."""
        self._fresh()
        model = self._model_free()
        stays, wanted = [], {}
        for which, offset, nights in (first, second):
            rt_id = self.room_type_ids[which % len(self.room_type_ids)]
            check_in = self.today + timedelta(days=offset)
            check_out = check_in + timedelta(days=nights)
            stays.append((rt_id, check_in, check_out, 1))
            for night in _nights(check_in, check_out):
                wanted[(rt_id, night)] = wanted.get((rt_id, night), 0) + 1
        fits = all(model[key] >= rooms for key, rooms in wanted.items())
        try:
            booking, _created = bookings.place_booking(
                [
                    StayRequest(rt_id, check_in, check_out, 1, 2)
                    for rt_id, check_in, check_out, _ in stays
                ],
                Contact("Trần Thị Bình", "binh@example.test", "+84 912 345 679"),
                now=self.clock,
            )
        except ServiceError as exc:
            _note(f"place two: {exc.code}")
            db.session.rollback()
            if self._refused_for_holds(exc, "binh@example.test"):
                return multiple()
            assert exc.code == "sold_out", f"placing refused with {exc.code}: {exc.message}"
            assert not fits, f"{stays} refused as sold out, yet it fits in {model}"
            return multiple()
        _note("place two: held")
        assert fits, f"{stays} sold although it does not fit in {model}"
        self.stays[booking.id] = stays
        return booking.id

    @rule(booking_id=placed, by_host=st.booleans())
    def cancel(self, booking_id, by_host):
        booking = self._booking(booking_id)
        before = booking.status
        actor = self._host() if by_host else None
        try:
            cancellations.cancel(
                booking, actor=actor, by_host=by_host, reason="plans", now=self.clock
            )
        except ServiceError as exc:
            _note(f"cancel {before}: {exc.code}")
            db.session.rollback()
            assert exc.code == "not_cancellable", exc.code
            assert before not in (BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED), before
            return
        _note(f"cancel {before}: cancelled")
        booking = self._booking(booking_id)
        assert booking.status == BookingStatus.CANCELLED
        for payment in booking.payments:
            for refund in payment.refunds:
                _note(f"cancel refund: {payment.method} {refund.status}")

    # --- card payments through the emulator and its webhook events ----------------------------

    def _start_card(self, booking_id) -> str | None:
        booking = self._booking(booking_id)
        try:
            started = payments.start_payment(booking, "stripe", now=self.clock, **URLS)
        except ServiceError as exc:
            ahead = (self.clock - utcnow()).total_seconds() // 3600
            _note(
                f"card checkout: {exc.code}"
                + (f" ({ahead:.0f} h ahead)" if "unavail" in exc.code else "")
            )
            db.session.rollback()
            assert exc.code in ("not_payable", "hold_expired", "payment_unavailable"), exc.code
            return None
        _note("card checkout: opened")
        return started.session_id

    def _deliver(self, event_id: str) -> None:
        with self.stripe.lock:
            stripe_event = deepcopy(self.stripe.events[event_id]["event"])
        self._fresh()
        self.delivered.add(event_id)
        result = payment_events.handle_stripe_event(stripe_event, now=self.clock)
        _note(f"stripe {stripe_event['type']}: {result}")

    @rule(target=checkouts, booking_id=placed)
    def open_card_checkout(self, booking_id):
        session_id = self._start_card(booking_id)
        return multiple() if session_id is None else session_id

    @rule(session_id=checkouts, pay=st.booleans())
    def on_checkout_page(self, session_id, pay):
        """The tourist pays on the page, or Stripe closes it once its expires_at has passed."""
        with self.stripe.transaction():
            session = self.stripe.objects.get(session_id)
            if not session or session["status"] != "open":
                return
            if pay:
                self.emulator_module.complete_session(self.stripe, session)
            elif session["expires_at"] <= self.clock.timestamp():
                session["status"] = "expired"
                self.stripe.emit("checkout.session.expired", session)

    @rule(booking_id=placed, webhook_now=st.booleans())
    def pay_by_card(self, booking_id, webhook_now):
        """Checkout opened and paid at once; its webhook now, or later (any order, repeated)."""
        session_id = self._start_card(booking_id)
        if session_id is None:
            return
        before = set(self._stripe_events())
        with self.stripe.transaction():
            session = self.stripe.objects[session_id]
            if session["status"] == "open":
                self.emulator_module.complete_session(self.stripe, session)
        if webhook_now:
            for event_id in self._stripe_events():
                if event_id not in before:
                    self._deliver(event_id)

    @precondition(lambda self: self.ready and self._stripe_events())
    @rule(data=st.data())
    def deliver_stripe_event(self, data):
        """Stripe delivers an event: any one, in any order, possibly again."""
        events = self._stripe_events()
        waiting = [e for e in events if e not in self.delivered]
        again = not waiting or data.draw(st.integers(0, 3), label="again") == 0
        self._deliver(data.draw(st.sampled_from(events if again else waiting), label="event"))

    # --- money by hand --------------------------------------------------------------------------

    @rule(booking_id=placed, how=st.sampled_from(["transfer", "cash", "cash at the door"]))
    def paid_by_hand(self, booking_id, how):
        """The host sees a bank transfer arrive, or takes cash (booking page or the scanner)."""
        booking = self._booking(booking_id)
        before, host = booking.status, self._host()
        try:
            if how == "transfer":
                outcome = host_payments.mark_transfer_received(booking, host, now=self.clock)
            elif how == "cash":
                host_payments.record_cash(
                    booking, host, money_rules.due(booking) or 1, now=self.clock
                )
                outcome = "recorded"
            else:
                due = checkin.amount_due(booking)
                checkin.collect_cash(booking.reference, host, due or 1, now=self.clock)
                outcome = "recorded"
        except ServiceError as exc:
            _note(f"{how} {before}: {exc.code}")
            db.session.rollback()
            assert exc.code in ("already_paid", "not_payable"), exc.code
            return
        _note(f"{how} {before}: {outcome}")

    @rule(booking_id=placed, step=st.sampled_from(["ask", "accept", "decline"]))
    def pay_at_arrival(self, booking_id, step):
        """The tourist asks to pay at arrival; the host accepts or declines."""
        booking = self._booking(booking_id)
        before, host = booking.status, self._host()
        try:
            if step == "ask":
                payments.start_payment(booking, "pay_at_arrival", now=self.clock)
            elif step == "accept":
                host_payments.accept_pay_at_arrival(booking, host, now=self.clock)
            else:
                host_payments.decline_pay_at_arrival(booking, host, "no rooms", now=self.clock)
        except ServiceError as exc:
            _note(f"pay at arrival {step} {before}: {exc.code}")
            db.session.rollback()
            assert exc.code in ("not_payable", "hold_expired", "no_request", "sold_out"), exc.code
            return
        _note(f"pay at arrival {step} {before}: done")

    # --- time -----------------------------------------------------------------------------------

    @rule(minutes=st.sampled_from([0, 1, 10, 29, 31, 60, 240]), run_expiry_job=st.booleans())
    def time_passes(self, minutes, run_expiry_job):
        self.clock += timedelta(minutes=minutes)
        if run_expiry_job:
            self._fresh()
            _note(f"expired {cancellations.expire_holds(now=self.clock)}")

    # --- the host's calendar --------------------------------------------------------------------

    @rule(
        which=st.integers(0, 1),
        offset=st.integers(0, 4),
        nights=st.integers(1, 2),
        close=st.booleans(),
    )
    def host_calendar(self, which, offset, nights, close):
        """The host blocks nights, or opens nights they had blocked."""
        self._fresh()
        rt_id = self.room_type_ids[which % len(self.room_type_ids)]
        first = self.today + timedelta(days=offset)
        chosen = _nights(first, first + timedelta(days=nights))
        room_type = db.session.get(RoomType, rt_id)
        if close:
            listings.block_nights(room_type, self._host(), chosen)
            self.blocked |= {(rt_id, night) for night in chosen}
        else:
            listings.free_nights(room_type, self._host(), chosen)
            self.blocked -= {(rt_id, night) for night in chosen}

    # --- arrival --------------------------------------------------------------------------------

    @rule(booking_id=placed, by_reference=st.booleans(), which=st.integers(0, 1))
    def check_in(self, booking_id, by_reference, which):
        """The host scans a ticket's QR code, or types the booking's reference."""
        booking = self._booking(booking_id)
        tickets = [item.ticket for item in booking.items if item.ticket is not None]
        if by_reference:
            # the scanner takes the first ticket not checked in yet, else the first one
            code = booking.reference
            ticket = next(
                (t for t in tickets if t.checkin is None), tickets[0] if tickets else None
            )
        elif tickets:
            ticket = tickets[which % len(tickets)]
            code = ticket.secret
        else:
            return
        admissible = (
            booking.status in (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)
            and ticket is not None
            and ticket.status == TicketStatus.VALID
            and ticket.checkin is None
            and ticket.valid_from <= self.today <= ticket.valid_until
        )
        before = booking.status
        result = checkin.perform_checkin(code, self._host(), now=self.clock)
        _note(f"check-in {before}: {result.result}")
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
            assert cell.free == free, (
                f"host calendar shows {cell.free} free, expected {free}: {where}"
            )
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
        # the search page costs a dozen queries: two of the ranges after each step, in turn
        ranges = [(offset, nights) for offset in PROBE_OFFSETS for nights in PROBE_NIGHTS]
        self.searches += 1
        for n in (2 * self.searches, 2 * self.searches + 1):
            offset, nights = ranges[n % len(ranges)]
            check_in = first + timedelta(days=offset)
            check_out = check_in + timedelta(days=nights)
            expected = {
                rt_id: min(model[(rt_id, night)] for night in _nights(check_in, check_out))
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
            refunds = list(
                db.session.scalars(select(Refund).where(Refund.booking_id == booking.id))
            )
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
                given_back = sum(
                    r.amount for r in payment.refunds if r.status != RefundStatus.FAILED
                )
                assert payment.amount_refunded == given_back, (
                    f"{booking.reference}: payment {payment.id} says {payment.amount_refunded} "
                    f"refunded, its refunds say {given_back}"
                )
                assert given_back <= (
                    payment.amount if payment.status == PaymentStatus.SUCCEEDED else 0
                ), (
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
    OUTCOMES.clear()
    try:
        run_state_machine_as_test(lambda: BookingMachine(emulator), settings=SETTINGS)
    finally:
        print("\n".join(f"{n:6d}  {outcome}" for outcome, n in sorted(OUTCOMES.items())))
