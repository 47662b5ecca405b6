"""Bank statement import and notifications: matched, or queued for a person with a reason."""

from marketplace.extensions import db
from marketplace.models import BookingStatus, PaymentStatus, Role, TransferOutcome
from marketplace.services.payments import (
    bank_transfers,
    cancellations,
    host_payments,
    money_rules,
    payments,
)
from tests.factories import make_community, make_held_booking, make_listing, make_user


def _statement(*lines):
    rows = ["Ma GD,Ngay,So tien,Noi dung"]
    rows += [f'{tid},2026-11-20 10:15:00,"{amount}",{memo}' for tid, amount, memo in lines]
    return "\n".join(rows) + "\n"


def test_find_references_inside_bank_memos():
    assert bank_transfers.find_references("MBVCB.3278907687.HL7K3Q9X.CT tu 0123") == ["HL-7K3Q9X"]
    assert bank_transfers.find_references("IBFT hl-7k3q9x nguyen van an") == ["HL-7K3Q9X"]
    assert bank_transfers.find_references("thanh toan phong") == []


def test_statement_import_matches_and_lists_the_lines_left_over():
    community = make_community()
    listing = make_listing(community=community, units=5)
    exact = make_held_booking(listing)
    short = make_held_booking(listing)
    over = make_held_booking(listing)
    cancelled = make_held_booking(listing)
    cancellations.cancel(cancelled, reason="changed plans")
    ref = lambda b: b.reference.replace("-", "")  # noqa: E731  (banks drop the dash)
    text = _statement(
        ("FT001", f"{exact.total:,}".replace(",", "."), f"MBVCB.111.{ref(exact)}.CT tu AN"),
        ("FT002", short.total - 50_000, f"{short.reference} chuyen tien"),
        ("FT003", over.total + 10_000, f"IBFT {ref(over)}"),
        ("FT004", 200_000, "tien phong thang 11"),
        ("FT005", cancelled.total, f"{cancelled.reference}"),
    )
    results = bank_transfers.import_statement(text)
    outcomes = {r.transfer.transfer_id: r.transfer.outcome for r in results}
    assert outcomes == {
        "FT001": TransferOutcome.MATCHED,
        "FT002": TransferOutcome.PARTIAL,
        "FT003": TransferOutcome.OVERPAID,
        "FT004": TransferOutcome.NO_MATCH,
        "FT005": TransferOutcome.ERROR,
    }
    db.session.expire_all()
    assert exact.status == BookingStatus.CONFIRMED
    assert exact.payments[-1].status == PaymentStatus.SUCCEEDED
    assert short.status == BookingStatus.PENDING_PAYMENT
    queued = {t.transfer_id for t in bank_transfers.queue()}
    # money for a cancelled booking is taken and given back: it waits in the refund queue
    assert queued == {"FT002", "FT003", "FT004"}
    assert [(r.amount, r.status.value) for r in cancelled.payments[-1].refunds] == [
        (cancelled.total, "pending")
    ]

    # the same statement again: nothing changes, every line reported as already seen
    again = bank_transfers.import_statement(text)
    assert [r.new for r in again] == [False] * 5
    db.session.expire_all()
    assert len(exact.payments) == 1 and money_rules.due(exact) == 0
    assert {t.transfer_id for t in bank_transfers.queue()} == queued


def test_a_transfer_already_paid_by_notification_is_a_duplicate_on_the_statement():
    booking = make_held_booking()
    transfer, new = bank_transfers.receive_notification(
        {
            "id": 9001,
            "transferType": "in",
            "transferAmount": booking.total,
            "content": f"NHAN TU 0123 {booking.reference} GD 123",
            "transactionDate": "2026-11-20 10:00:00",
        }
    )
    assert new and transfer.outcome == TransferOutcome.MATCHED
    results = bank_transfers.import_statement(_statement(("FT9", booking.total, booking.reference)))
    assert results[0].transfer.outcome == TransferOutcome.DUPLICATE


def test_a_statement_without_the_needed_columns_is_refused_with_the_field():
    import pytest

    from marketplace.services.shared.errors import ServiceError

    with pytest.raises(ServiceError) as excinfo:
        bank_transfers.import_statement("date,amount\n2026-11-20,100000\n")
    assert excinfo.value.code == "invalid_statement" and excinfo.value.field == "file"


def test_the_host_marks_a_transfer_received():
    community = make_community()
    host = make_user(Role.HOST, community=community)
    booking = make_held_booking(make_listing(community=community, host=host))
    payments.start_payment(booking, "vietqr")
    assert host_payments.mark_transfer_received(booking, host) == "confirmed"
    db.session.expire_all()
    assert booking.status == BookingStatus.CONFIRMED
    assert money_rules.due(booking) == 0
