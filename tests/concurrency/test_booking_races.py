"""Every race on an existing booking ends in the state a person would call correct.

Two requests act on one booking at the same instant, each in a thread with its own connection
(see `racing.race`): a tourist's cancel and the card webhook, the expiry job and a late payment,
a double click, cash at the door and a card paid on a page left open... Each race is run several
rounds, since a race lost only sometimes is still lost. After each round the books must hold
(`racing.book_violations`): money paid = money kept + money refunded, the ledger says the same,
no cancelled or expired booking keeps money or a valid ticket, and no side raised anything but an
expected ServiceError (a StaleDataError means a service wrote without holding the lock).

Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
"""

import json
from copy import deepcopy
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import (
    BankTransfer,
    BookingItem,
    BookingStatus,
    Departure,
    ListingKind,
    Payment,
    PaymentMethod,
    PaymentStatus,
    RefundStatus,
    Role,
    TransferOutcome,
    User,
)
from marketplace.services.backoffice import closures
from marketplace.services.catalogue import availability
from marketplace.services.checkin import checkin
from marketplace.services.payments import (
    bank_transfers,
    cancellations,
    host_payments,
    payment_events,
    payments,
)
from tests import stripe_support
from tests.concurrency.racing import (
    Side,
    book_violations,
    books_of,
    fresh_view,
    load_booking,
    make_racing_app,
    race,
)
from tests.factories import (
    make_booking,
    make_departure,
    make_held_booking,
    make_listing,
    make_user,
)

# fixtures: the app over HTTP and the Stripe emulator
app_server = stripe_support.app_server
stripe_server = stripe_support.stripe_server

ROUNDS = 8
URLS = {"success_url": "http://shop.test/ok", "cancel_url": "http://shop.test/back"}


@pytest.fixture
def emulator(stripe_server):
    """The emulator, sending no webhooks while we race: real Stripe answers a refund call at once
    and delivers its events later from elsewhere, whereas the emulator would hold the refund call
    until our own webhook endpoint had answered. The tests hand the events to the service."""
    state = stripe_server.app.extensions["stripe_emulator"]
    saved = state.webhook_url
    stripe_server.set_webhook_url(None)
    with state.lock:
        # ids start again in each test's tables: a refund key ("refund-full-<payment id>-...")
        # met in an earlier test must not be answered from the emulator's idempotency memory
        state.replays.clear()
    yield stripe_server
    stripe_server.set_webhook_url(saved)


@pytest.fixture
def racing_app(app, emulator):
    racer = make_racing_app(app)  # made after the emulator: its settings point at it
    yield racer
    with racer.app_context():
        db.engine.dispose()


def pay_on_stripe(server, session_id: str) -> dict:
    """The tourist pays on the emulator's page; returns the checkout.session.completed event
    (with a real PaymentIntent, so refunds work), as the webhook would have carried it."""
    from marketplace.devtools.stripe_emulator import complete_session

    state = server.app.extensions["stripe_emulator"]
    with state.lock:
        state.outbox = []  # ours alone: nothing delivers it
        complete_session(state, state.objects[session_id])
        event_id = state.outbox[-1]
        state.outbox = []
        event = deepcopy(state.events[event_id]["event"])
    assert event["type"] == "checkout.session.completed"
    return json.loads(json.dumps(event))  # as the webhook view parses the body


def stripe_disagrees(server, booking_id: int) -> list[str]:
    """Card refunds we recorded that Stripe did not make, or made twice (after the race, every
    refund decided has been sent: tests deliver the outbox at once)."""
    state = server.app.extensions["stripe_emulator"]
    problems = []
    card = db.session.scalars(
        select(Payment).where(
            Payment.booking_id == booking_id,
            Payment.method == PaymentMethod.STRIPE,
            Payment.provider_payment_id.is_not(None),
        )
    )
    for payment in card:
        with state.lock:
            intent = state.objects.get(payment.provider_payment_id) or {}
            charge = state.objects.get(intent.get("latest_charge") or "") or {}
            at_stripe = charge.get("amount_refunded", 0)
        ours = sum(r.amount for r in payment.refunds if r.status != RefundStatus.FAILED)
        if at_stripe != ours:
            states = [f"{r.amount} {r.status.value}" for r in payment.refunds]
            problems.append(
                f"card payment {payment.id}: Stripe refunded {at_stripe}, we recorded {ours} "
                f"({', '.join(states) or 'no refund'})"
            )
    return problems


def host_of(booking_id: int) -> User:
    booking = load_booking(booking_id)
    return db.session.get(User, booking.items[0].listing.host_id)


def unexpected(result, allowed: dict[str, set[str]]) -> list[str]:
    return [
        f"{o.name} -> {o.code} {o.detail}".strip()
        for o in result.outcomes
        if o.code not in allowed[o.name]
    ]


def run_rounds(one_round, rounds: int = ROUNDS) -> None:
    """Play the race `rounds` times; fail with every round that went wrong."""
    failures = []
    for n in range(rounds):
        problems = one_round(n)
        fresh_view()
        if problems:
            failures.append(f"round {n + 1}:\n  " + "\n  ".join(problems))
    assert not failures, f"{len(failures)} of {rounds} rounds went wrong:\n" + "\n".join(failures)


def winners(result) -> list[str]:
    return sorted(o.name for o in result.outcomes if o.code == "ok")


# --- 1. a tourist cancels while the card payment comes in ------------------------------------


def test_cancel_racing_the_card_webhook_ends_cancelled_and_refunded(racing_app, emulator):
    def one_round(n):
        booking = make_held_booking(email=f"cancel-card-{n}@example.test")
        started = payments.start_payment(booking, "stripe", **URLS)
        event = pay_on_stripe(emulator, started.session_id)
        booking_id = booking.id
        fresh_view()

        result = race(
            racing_app,
            Side(
                "cancel",
                lambda b: cancellations.cancel(b, reason="changed plans"),
                lambda: load_booking(booking_id),
            ),
            Side("webhook", lambda _: payment_events.handle_stripe_event(event)),
            round_no=n,
        )

        problems = unexpected(result, {"cancel": {"ok"}, "webhook": {"ok"}})
        fresh_view()
        problems += book_violations(booking_id)
        problems += stripe_disagrees(emulator, booking_id)
        books = books_of(booking_id)
        if books.booking.status != BookingStatus.CANCELLED:
            problems.append(f"told the tourist 'cancelled', ended {books.booking.status.value}")
        if books.paid != books.booking.total:
            problems.append(f"the card payment of {books.booking.total} recorded as {books.paid}")
        return problems

    run_rounds(one_round)


# --- 2. the expiry job runs while a late card payment comes in --------------------------------


def test_expiry_racing_a_late_card_payment_confirms_a_room_still_free(racing_app, emulator):
    def one_round(n):
        booking = make_held_booking(email=f"expire-card-{n}@example.test")
        started = payments.start_payment(booking, "stripe", **URLS)
        event = pay_on_stripe(emulator, started.session_id)
        booking_id, later = booking.id, booking.hold_expires_at + timedelta(minutes=1)
        fresh_view()

        result = race(
            racing_app,
            # the job runs again and again while the payment is being recorded
            Side("expire", lambda _: cancellations.expire_holds(now=later), repeat=True),
            Side("webhook", lambda _: payment_events.handle_stripe_event(event, now=later)),
            round_no=n,
        )

        problems = unexpected(result, {"expire": {"ok"}, "webhook": {"ok"}})
        fresh_view()
        problems += book_violations(booking_id)
        problems += stripe_disagrees(emulator, booking_id)
        books = books_of(booking_id)
        # expired first or not, the money came while the room was still free: it is confirmed
        if books.booking.status != BookingStatus.CONFIRMED or books.kept != books.booking.total:
            problems.append(
                f"ended {books.booking.status.value} keeping {books.kept} of "
                f"{books.booking.total} (paid {books.paid}, refunded {books.refunded})"
            )
        return problems

    run_rounds(one_round)


# --- 3. two cancels of a booking paid by bank transfer ----------------------------------------


def test_two_cancels_of_a_transfer_paid_booking_refund_once(racing_app, emulator):
    def one_round(n):
        listing = make_listing()
        booking = make_held_booking(listing, email=f"cancel-twice-{n}@example.test")
        host_payments.mark_transfer_received(booking, listing.host)
        booking_id = booking.id
        fresh_view()
        assert books_of(booking_id).booking.status == BookingStatus.CONFIRMED

        def cancel(b):
            return cancellations.cancel(b, reason="changed plans")

        result = race(
            racing_app,
            Side("cancel-1", cancel, lambda: load_booking(booking_id)),
            Side("cancel-2", cancel, lambda: load_booking(booking_id)),
            round_no=n,
        )

        # the second may refuse (not_cancellable) or answer as a repeat: either way, one refund
        either = {"ok", "not_cancellable"}
        problems = unexpected(result, {"cancel-1": either, "cancel-2": either})
        if not winners(result):
            problems.append("neither cancel went through")
        fresh_view()
        problems += book_violations(booking_id)
        books = books_of(booking_id)
        if books.refund_rows != 1 or books.refunded != books.paid:
            problems.append(
                f"{books.refund_rows} refund(s) of {books.refunded} for {books.paid} paid"
            )
        return problems

    run_rounds(one_round)


# --- 4. "transfer received", clicked twice ---------------------------------------------------


def test_transfer_received_clicked_twice_records_the_money_once(racing_app, emulator):
    def one_round(n):
        listing = make_listing()
        booking = make_held_booking(listing, email=f"double-click-{n}@example.test")
        payments.start_payment(booking, "vietqr")
        booking_id = booking.id
        fresh_view()

        def prepare():
            return load_booking(booking_id), host_of(booking_id)

        def click(prepared):
            booking, host = prepared
            return host_payments.mark_transfer_received(booking, host)

        result = race(
            racing_app, Side("click-1", click, prepare), Side("click-2", click, prepare), round_no=n
        )

        either = {"ok", "already_paid"}
        problems = unexpected(result, {"click-1": either, "click-2": either})
        if len(winners(result)) != 1:
            problems.append(f"{len(winners(result))} clicks recorded the transfer")
        fresh_view()
        problems += book_violations(booking_id)
        books = books_of(booking_id)
        if books.booking.status != BookingStatus.CONFIRMED:
            problems.append(f"ended {books.booking.status.value}")
        if books.succeeded_payments != 1 or books.kept != books.booking.total:
            problems.append(
                f"{books.succeeded_payments} payment(s), {books.ledger} in the ledger, "
                f"for a total of {books.booking.total}"
            )
        return problems

    run_rounds(one_round)


# --- 5. cash at the door, recorded twice -----------------------------------------------------


def test_cash_collected_twice_at_the_door_is_recorded_once(racing_app, emulator):
    def one_round(n):
        listing = make_listing()
        booking = make_held_booking(listing, email=f"cash-twice-{n}@example.test")
        payments.start_payment(booking, "pay_at_arrival")
        host_payments.accept_pay_at_arrival(booking, listing.host)
        booking_id, reference, total = booking.id, booking.reference, booking.total
        fresh_view()
        assert checkin.amount_due(books_of(booking_id).booking) == total

        def prepare():
            booking = load_booking(booking_id)
            checkin.amount_due(booking)  # the scanner showed what is due
            return host_of(booking_id)

        def collect(host):
            return checkin.collect_cash(reference, host, total)

        result = race(
            racing_app,
            Side("cash-1", collect, prepare),
            Side("cash-2", collect, prepare),
            round_no=n,
        )

        either = {"ok", "already_paid"}
        problems = unexpected(result, {"cash-1": either, "cash-2": either})
        if len(winners(result)) != 1:
            problems.append(f"{len(winners(result))} cash collections recorded")
        fresh_view()
        problems += book_violations(booking_id)
        books = books_of(booking_id)
        if books.succeeded_payments != 1 or books.kept != total or books.ledger != total:
            problems.append(
                f"{books.succeeded_payments} payment(s) keeping {books.kept}, "
                f"{books.ledger} in the ledger, for a total of {total}"
            )
        return problems

    run_rounds(one_round)


# --- 6. card and bank transfer for the same booking ------------------------------------------


def test_card_and_bank_transfer_together_keep_one_and_give_the_other_back(racing_app, emulator):
    def one_round(n):
        booking = make_held_booking(email=f"card-and-bank-{n}@example.test")
        started = payments.start_payment(booking, "stripe", **URLS)
        event = pay_on_stripe(emulator, started.session_id)
        booking_id, reference, total = booking.id, booking.reference, booking.total
        fresh_view()
        notification = {
            "id": f"FT{booking_id:08d}",
            "transferAmount": total,
            "content": f"MBVCB.3278907687.{reference}.CT tu NGUYEN VAN AN",
            "transferType": "in",
        }

        result = race(
            racing_app,
            Side("webhook", lambda _: payment_events.handle_stripe_event(event)),
            Side("transfer", lambda _: bank_transfers.receive_notification(notification)),
            round_no=n,
        )

        problems = unexpected(result, {"webhook": {"ok"}, "transfer": {"ok"}})
        fresh_view()
        problems += book_violations(booking_id)
        problems += stripe_disagrees(emulator, booking_id)
        books = books_of(booking_id)
        if books.booking.status != BookingStatus.CONFIRMED or books.kept != total:
            problems.append(
                f"ended {books.booking.status.value} keeping {books.kept} of {total} "
                f"(paid {books.paid}, refunded {books.refunded})"
            )
        received = [
            p
            for p in db.session.scalars(select(Payment).where(Payment.booking_id == booking_id))
            if p.status == PaymentStatus.SUCCEEDED
        ]
        kept_payments = [p for p in received if p.amount > p.amount_refunded]
        transfer = db.session.scalar(
            select(BankTransfer).where(BankTransfer.transfer_id == notification["id"])
        )
        bank_recorded = any(p.method == PaymentMethod.VIETQR for p in received)
        if len(kept_payments) != 1:
            problems.append(f"{len(kept_payments)} payments kept")
        if transfer is None:
            problems.append("the bank transfer left no trace")
        elif transfer.outcome == TransferOutcome.MATCHED and not bank_recorded:
            # the transfer must be recorded (and given back) or wait in the queue for a person
            problems.append("the transfer was taken as matched but recorded nowhere")
        return problems

    run_rounds(one_round)


# --- 7. a move to another departure accepted while the refund is asked for -------------------


def test_accepting_a_move_racing_a_refusal_ends_one_way(racing_app, emulator):
    def one_round(n):
        tour = make_listing(ListingKind.TOUR)
        coop = make_user(Role.COOP, community=tour.community)
        first_day = business_today() + timedelta(days=7)
        cancelled = make_departure(tour, day=first_day, capacity=10)
        other = make_departure(tour, day=first_day + timedelta(days=2), capacity=10)
        booking = make_booking(
            departure=cancelled, participants=2, status=BookingStatus.PENDING_PAYMENT
        )
        host_payments.mark_transfer_received(booking, tour.host)
        outcome = closures.cancel_departure(cancelled, coop, "Flooded road")
        assert outcome.offered == [booking.reference]
        booking_id, other_id, total = booking.id, other.id, booking.total
        fresh_view()

        result = race(
            racing_app,
            Side(
                "accept",
                lambda b: closures.accept_move(b, other_id),
                lambda: load_booking(booking_id),
            ),
            Side("refuse", lambda b: closures.refuse_move(b), lambda: load_booking(booking_id)),
            round_no=n,
        )

        either = {"ok", "offer_closed"}
        problems = unexpected(result, {"accept": either, "refuse": either})
        if len(winners(result)) != 1:
            problems.append(f"both answers were taken: {result.codes()}")
        fresh_view()
        problems += book_violations(booking_id)
        books = books_of(booking_id)
        item = db.session.scalar(select(BookingItem).where(BookingItem.booking_id == booking_id))
        other_seats = availability.seats_left([db.session.get(Departure, other_id)])[other_id]
        status = books.booking.status
        if status == BookingStatus.CONFIRMED:
            if item.departure_id != other_id or books.kept != total or books.valid_tickets != 1:
                problems.append(
                    f"confirmed on departure {item.departure_id} (moved to {other_id}?) keeping "
                    f"{books.kept} of {total} with {books.valid_tickets} valid ticket(s)"
                )
            if other_seats != 8:
                problems.append(f"moved, but {other_seats} seats left of 10 on the new departure")
        elif status == BookingStatus.CANCELLED:
            if other_seats != 10:
                problems.append(f"cancelled, but holds seats: {other_seats} left of 10")
        else:
            problems.append(f"ended {status.value}")
        if "ok" in result.codes().get("accept", "") and status != BookingStatus.CONFIRMED:
            problems.append(f"told the tourist 'moved', ended {status.value}")
        if "ok" in result.codes().get("refuse", "") and status != BookingStatus.CANCELLED:
            problems.append(f"told the tourist 'refunded', ended {status.value}")
        return problems

    run_rounds(one_round)


# --- 8. cash at check-in while a card payment left open comes in -----------------------------


def test_cash_at_check_in_racing_a_card_payment_keeps_one(racing_app, emulator):
    def one_round(n):
        listing = make_listing()
        booking = make_held_booking(listing, email=f"cash-card-{n}@example.test")
        started = payments.start_payment(booking, "stripe", **URLS)  # the page stays open
        payments.start_payment(booking, "pay_at_arrival")
        host_payments.accept_pay_at_arrival(booking, listing.host)
        event = pay_on_stripe(emulator, started.session_id)
        booking_id, reference, total = booking.id, booking.reference, booking.total
        fresh_view()

        def prepare():
            booking = load_booking(booking_id)
            checkin.amount_due(booking)
            return host_of(booking_id)

        result = race(
            racing_app,
            Side("cash", lambda host: checkin.collect_cash(reference, host, total), prepare),
            Side("webhook", lambda _: payment_events.handle_stripe_event(event)),
            round_no=n,
        )

        problems = unexpected(result, {"cash": {"ok", "already_paid"}, "webhook": {"ok"}})
        fresh_view()
        problems += book_violations(booking_id)
        problems += stripe_disagrees(emulator, booking_id)
        books = books_of(booking_id)
        if books.booking.status != BookingStatus.CONFIRMED or books.kept != total:
            problems.append(
                f"ended {books.booking.status.value} keeping {books.kept} of {total} "
                f"(paid {books.paid}, refunded {books.refunded})"
            )
        if result.codes()["cash"] == "ok" and books.paid == books.kept and books.paid != total:
            problems.append("cash recorded and the card kept too")
        return problems

    run_rounds(one_round)
