"""A bank line matched by hand twice at once, and a host's "transfer received" racing the bank's
line for the same money: either way the money is recorded once. Real separate connections
(see `racing.race`); SQLite, and PostgreSQL when TEST_DATABASE_URL is set."""

from marketplace.extensions import db
from marketplace.models import BankTransfer, BookingStatus, Role, TransferOutcome, User
from marketplace.services.payments import bank_matching, bank_transfers, host_payments, payments
from tests.concurrency.racing import (
    Side,
    book_violations,
    books_of,
    fresh_view,
    load_booking,
    race,
)
from tests.factories import make_community, make_held_booking, make_listing, make_user

ROUNDS = 6
STATEMENT = "Số tham chiếu,Ngày giao dịch,Số tiền ghi có,Nội dung chi tiết\n{ref},20/11/2026,{amount},{memo}\n"


def run_rounds(one_round) -> None:
    failures = []
    for n in range(ROUNDS):
        problems = one_round(n)
        fresh_view()
        if problems:
            failures.append(f"round {n + 1}: " + "; ".join(problems))
    assert not failures, "\n".join(failures)


def _problems(result, allowed):
    return [
        f"{o.name} -> {o.code} {o.detail}".strip()
        for o in result.outcomes
        if o.code not in allowed[o.name]
    ]


def test_two_clerks_matching_one_line_record_it_once(racing_app):
    def one_round(n):
        community = make_community()
        clerk_ids = [make_user(Role.COOP, community=community).id for _ in range(2)]
        listing = make_listing(community=community, units=2)
        bookings = [make_held_booking(listing, email=f"m{n}-{i}@example.test") for i in range(2)]
        [line] = bank_transfers.import_statement(
            STATEMENT.format(ref=f"R{n}", amount=bookings[0].total, memo="tien phong"),
            scope={community.id},
        )
        line_id, scope = line.transfer.id, {community.id}
        refs = [b.reference for b in bookings]
        fresh_view()

        def side(i):
            def act(_prepared):
                clerk = db.session.get(User, clerk_ids[i])
                return bank_matching.match_by_hand(line_id, refs[i], clerk, scope=scope).outcome

            return Side(f"clerk-{i}", act)

        result = race(racing_app, side(0), side(1), round_no=n)
        allowed = {"ok", "already_matched"}
        problems = _problems(result, {"clerk-0": allowed, "clerk-1": allowed})
        if sorted(o.code for o in result.outcomes) != ["already_matched", "ok"]:
            problems.append(f"outcomes {result.codes()}")
        fresh_view()
        paid = [books_of(b.id) for b in bookings]
        if sum(b.succeeded_payments for b in paid) != 1:
            problems.append("the line was recorded more than once, or never")
        for b in bookings:
            problems += book_violations(b.id)
        if db.session.get(BankTransfer, line_id).outcome != TransferOutcome.MATCHED:
            problems.append("the line did not end matched")
        return problems

    run_rounds(one_round)


def test_transfer_received_racing_the_bank_line_keeps_the_money_once(racing_app):
    def one_round(n):
        community = make_community()
        host = make_user(Role.HOST, community=community)
        booking = make_held_booking(make_listing(community=community, host=host))
        payments.start_payment(booking, "vietqr")
        booking_id, host_id, total, ref = booking.id, host.id, booking.total, booking.reference
        fresh_view()

        def click(prepared):
            return host_payments.mark_transfer_received(prepared, db.session.get(User, host_id))

        def line(_prepared):
            text = STATEMENT.format(ref=f"L{n}", amount=total, memo=f"IBFT {ref}")
            return bank_transfers.import_statement(text)[0].transfer.outcome

        result = race(
            racing_app,
            Side("click", click, lambda: load_booking(booking_id)),
            Side("line", line),
            round_no=n,
        )
        problems = _problems(result, {"click": {"ok", "already_paid"}, "line": {"ok"}})
        by_name = {o.name: o for o in result.outcomes}
        click_won = by_name["click"].code == "ok"
        expected = TransferOutcome.CONFIRMED if click_won else TransferOutcome.MATCHED
        if by_name["line"].value != expected:
            problems.append(f"click {by_name['click'].code}, line {by_name['line'].value}")
        fresh_view()
        books = books_of(booking_id)
        problems += book_violations(booking_id)
        if books.succeeded_payments != 1 or books.refund_rows != 0 or books.kept != total:
            problems.append(f"{books.succeeded_payments} payments, {books.refund_rows} refunds")
        if books.booking.status != BookingStatus.CONFIRMED:
            problems.append(f"ended {books.booking.status.value}")
        return problems

    run_rounds(one_round)
