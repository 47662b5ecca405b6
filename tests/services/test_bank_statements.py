"""Bank statement exports (title rows, Vietnamese columns, debit lines), the preview, matching a
stray line by hand, and the bank's line confirming a transfer a host recorded."""

import io

import pytest
from babel.numbers import format_decimal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from marketplace.extensions import db
from marketplace.models import (
    AuditEntry,
    BankTransfer,
    BookingStatus,
    Payment,
    PaymentStatus,
    Role,
    TransferOutcome,
)
from marketplace.services.payments import (
    bank_matching,
    bank_statements,
    bank_transfers,
    host_payments,
    money_rules,
    payments,
)
from marketplace.services.shared.errors import Conflict, NotFound, ServiceError
from tests.factories import make_community, make_held_booking, make_listing, make_user


def vietcombank_csv(*credits, debit=True) -> str:
    """A Vietcombank-like export: title rows, a bilingual header, a debit line, a balance row."""
    rows = [
        "NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM,,,,,",
        "SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT,,,,,",
        "Số tài khoản: 0011004455667,,,,,",
        "Từ ngày 01/11/2026 đến ngày 30/11/2026,,,,,",
        ",,,,,",
        "Ngày giao dịch/Transaction date,Số tham chiếu/Reference No.,Số tiền ghi nợ/Debit,"
        "Số tiền ghi có/Credit,Số dư/Balance,Nội dung chi tiết/Description",
    ]
    for ref, amount, memo in credits:
        rows.append(f'20/11/2026,{ref},,"{amount}","12.000.000",{memo}')
    if debit:
        rows.append('21/11/2026,5289DEBIT,"55.000",,"11.945.000",PHI QUAN LY TAI KHOAN')
    rows.append(',,"55.000","1.700.000",,Tổng cộng')
    return "\n".join(rows) + "\n"


def bidv_xlsx(*credits) -> bytes:
    """A BIDV-like workbook: a title block, "Ghi nợ"/"Ghi có"/"Mô tả", numbers as numbers."""
    book = Workbook()
    sheet = book.active
    sheet.append(["NGÂN HÀNG TMCP ĐẦU TƯ VÀ PHÁT TRIỂN VIỆT NAM"])
    sheet.append(["SAO KÊ TÀI KHOẢN"])
    sheet.append([])
    sheet.append(["STT", "Ngày hiệu lực", "Số GD", "Ghi nợ", "Ghi có", "Số dư", "Mô tả"])
    for n, (ref, amount, memo) in enumerate(credits, start=1):
        sheet.append([n, "20/11/2026", ref, None, amount, 9_000_000, memo])
    sheet.append([99, "21/11/2026", "DEBIT1", 200_000, None, 8_800_000, "RUT TIEN ATM"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.500.000", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1.500.000,00", 1_500_000),
        ("1,500,000.00", 1_500_000),
        ("1500000", 1_500_000),
        ("-50.000 VND", -50_000),
        ("2.000.000 đ", 2_000_000),
        (1_700_000, 1_700_000),
        (1_700_000.0, 1_700_000),
        ("", None),
    ],
)
def test_amounts_with_dots_or_commas_are_whole_dong(text, expected):
    assert bank_statements.parse_amount(text) == expected


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.integers(0, bank_statements.MAX_TRANSFER),
    st.sampled_from(["vi", "en"]),
    st.booleans(),
)
def test_any_amount_a_bank_writes_reads_back_as_the_same_dong(amount, locale, decimals):
    text = format_decimal(amount, format="#,##0.00" if decimals else "#,##0", locale=locale)
    assert bank_statements.parse_amount(text) == amount


@pytest.mark.parametrize("text", ["1.500,5", "abc", "1,5"])
def test_an_amount_with_a_fraction_or_no_number_is_refused(text):
    with pytest.raises(Exception):  # noqa: B017 (Babel's error or ValueError, both refused)
        bank_statements.parse_amount(text)


def test_a_vietcombank_export_with_title_rows_and_a_debit_line_is_read():
    parsed = bank_statements.parse_upload(
        "sao-ke.csv", vietcombank_csv(("FT1", "1.500.000", "MBVCB.1.HL7K3Q9X.CT tu AN")).encode()
    )
    assert parsed.header_row == 6
    [line] = parsed.lines
    assert (line.transfer_id, line.amount, line.line) == ("FT1", 1_500_000, 7)
    assert line.memo == "MBVCB.1.HL7K3Q9X.CT tu AN" and line.occurred_at.day == 20
    assert parsed.debits_skipped == 1 and parsed.other_skipped == 1  # the total row


def test_a_bidv_workbook_is_read_with_its_numbers():
    parsed = bank_statements.parse_upload("sao-ke.xlsx", bidv_xlsx(("GD77", 800_000, "tien phong")))
    [line] = parsed.lines
    assert (line.transfer_id, line.amount, line.memo) == ("GD77", 800_000, "tien phong")
    assert parsed.debits_skipped == 1


def test_a_file_with_no_header_or_a_broken_amount_is_refused_before_anything_is_written():
    with pytest.raises(ServiceError) as excinfo:
        bank_statements.parse_upload("x.csv", b"a,b,c\n1,2,3\n")
    assert excinfo.value.code == "invalid_statement" and excinfo.value.field == "file"
    with pytest.raises(ServiceError) as excinfo:
        bank_statements.parse_upload("x.csv", vietcombank_csv(("FT1", "1.5x", "memo")).encode())
    assert "7" in excinfo.value.message
    with pytest.raises(ServiceError):
        bank_statements.parse_upload("x.xlsx", b"PK\x03\x04 not a workbook")
    assert db.session.query(BankTransfer).count() == 0


def test_a_statement_without_bank_references_gets_stable_ids_and_imports_once():
    text = "Ngày,Có,Nợ,Diễn giải\n20/11/2026,300.000,,tien an\n20/11/2026,300.000,,tien an\n"
    first = bank_statements.parse_upload("agribank.csv", text.encode())
    again = bank_statements.parse_upload("agribank.csv", text.encode())
    assert len({line.transfer_id for line in first.lines}) == 2
    assert [line.transfer_id for line in first.lines] == [line.transfer_id for line in again.lines]
    bank_transfers.import_lines(first)
    assert [r.new for r in bank_transfers.import_lines(again)] == [False, False]


def test_the_preview_says_what_would_happen_and_writes_nothing():
    booking = make_held_booking()
    stray = ("FT2", "200.000", "chuyen khoan")
    parsed = bank_statements.parse_upload(
        "s.csv", vietcombank_csv(("FT1", booking.total, booking.reference), stray).encode()
    )
    preview = bank_matching.preview(parsed)
    assert [(p.outcome, p.booking and p.booking.id) for p in preview.lines] == [
        (TransferOutcome.MATCHED, booking.id),
        (TransferOutcome.NO_MATCH, None),
    ]
    assert preview.debits_skipped == 1 and preview.new_lines == 2
    assert db.session.query(BankTransfer).count() == 0
    db.session.expire_all()
    assert booking.status == BookingStatus.PENDING_PAYMENT
    bank_transfers.import_lines(parsed)
    assert [p.seen for p in bank_matching.preview(parsed).lines] == [True, True]


def _host_booking():
    community = make_community()
    host = make_user(Role.HOST, community=community)
    booking = make_held_booking(make_listing(community=community, host=host))
    payments.start_payment(booking, "vietqr")
    return booking, host, community


def test_the_bank_line_after_a_host_click_confirms_that_payment():
    booking, host, _community = _host_booking()
    assert host_payments.mark_transfer_received(booking, host) == "confirmed"
    [line] = bank_transfers.import_statement(
        vietcombank_csv(("FT5", booking.total, f"IBFT {booking.reference}"))
    )
    assert line.transfer.outcome == TransferOutcome.CONFIRMED
    db.session.expire_all()
    [payment] = booking.payments
    assert payment.provider_ref == "statement:FT5" and payment.amount == booking.total
    assert not payment.refunds and money_rules.due(booking) == 0
    assert line.transfer.booking_id == booking.id and line.transfer not in bank_transfers.queue()
    assert db.session.query(AuditEntry).filter_by(action="bank_confirmed").count() == 1
    # a second line of that amount is a second payment: a duplicate, given back
    [again] = bank_transfers.import_statement(
        vietcombank_csv(("FT6", booking.total, booking.reference))
    )
    assert again.transfer.outcome == TransferOutcome.DUPLICATE


def test_a_host_click_after_the_bank_line_finds_the_booking_paid():
    booking, host, _community = _host_booking()
    [line] = bank_transfers.import_statement(
        vietcombank_csv(("FT7", booking.total, booking.reference))
    )
    assert line.transfer.outcome == TransferOutcome.MATCHED
    with pytest.raises(Conflict) as excinfo:
        host_payments.mark_transfer_received(booking, host)
    assert excinfo.value.code == "already_paid"
    db.session.expire_all()
    assert len(booking.payments) == 1 and booking.status == BookingStatus.CONFIRMED


def test_a_stray_line_matched_by_hand_pays_the_booking_and_a_second_is_a_duplicate():
    community = make_community()
    coop = make_user(Role.COOP, community=community)
    booking = make_held_booking(make_listing(community=community))
    scope = {community.id}
    results = bank_transfers.import_statement(
        vietcombank_csv(
            ("FT8", booking.total, "chuyen tien phong"), ("FT9", booking.total, "tien phong lan 2")
        ),
        scope=scope,
    )
    first, second = (r.transfer for r in results)
    assert first.outcome == TransferOutcome.NO_MATCH and first in bank_transfers.queue(scope)
    assert bank_matching.find_bookings(booking.reference.replace("-", "")[:5].lower(), scope=scope)
    matched = bank_matching.match_by_hand(first.id, booking.reference.lower(), coop, scope=scope)
    assert matched.outcome == TransferOutcome.MATCHED and matched.resolved_by_id == coop.id
    db.session.expire_all()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.payments[0].provider_ref == "statement:FT8"
    with pytest.raises(Conflict) as excinfo:
        bank_matching.match_by_hand(first.id, booking.reference, coop, scope=scope)
    assert excinfo.value.code == "already_matched"
    duplicate = bank_matching.match_by_hand(second.id, booking.reference, coop, scope=scope)
    assert duplicate.outcome == TransferOutcome.DUPLICATE
    db.session.expire_all()
    paid_twice = db.session.query(Payment).filter_by(provider_ref="statement:FT9").one()
    assert paid_twice.status == PaymentStatus.SUCCEEDED
    assert [r.amount for r in paid_twice.refunds] == [booking.total]
    assert bank_transfers.queue(scope) == []


def test_matching_by_hand_reaches_only_the_clerks_own_bookings():
    mine, theirs = make_community(), make_community()
    coop = make_user(Role.COOP, community=mine)
    other = make_held_booking(make_listing(community=theirs))
    [line] = bank_transfers.import_statement(
        vietcombank_csv(("FT10", other.total, "tien")), scope={mine.id}
    )
    with pytest.raises(NotFound) as excinfo:
        bank_matching.match_by_hand(line.transfer.id, other.reference, coop, scope={mine.id})
    assert excinfo.value.code == "booking_not_found" and excinfo.value.field == "reference"
    assert bank_matching.find_bookings(other.reference, scope={mine.id}) == []
