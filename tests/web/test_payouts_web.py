"""Payouts to hosts: history from the ledger, CSV exports, the bank's batch-transfer file."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from marketplace.extensions import db
from marketplace.models import PayoutAccount, Role
from marketplace.services.payments import host_payments, ledger, payouts
from tests.factories import login, make_community, make_held_booking, make_listing, make_user

T0 = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _english(client):
    """These pages are read in English here (the site's default language is Vietnamese)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _paid_out():
    """A host paid for one stay in March 2026 and settled by the run at the end of March."""
    community = make_community()
    coop = make_user(Role.COOP, community=community)
    host = make_user(Role.HOST, community=community, name="Hoàng Thị Mai")
    listing = make_listing(community=community, host=host)
    booking = make_held_booking(listing, now=T0)
    host_payments.mark_transfer_received(booking, coop, now=T0)
    _start, end = ledger.month_bounds(2026, 3)
    [payout] = ledger.run_payouts(end, now=T0 + timedelta(days=30))
    second = make_held_booking(listing, now=T0 + timedelta(days=35), start_in_days=40)
    host_payments.mark_transfer_received(second, coop, now=T0 + timedelta(days=35))
    return community, coop, host, payout


def test_a_hosts_history_shows_months_payouts_and_what_is_still_owed():
    community, _coop, host, payout = _paid_out()
    history = payouts.host_history(host.id, scope={community.id})
    assert history.paid == payout.amount > 0
    assert history.owed == ledger.unsettled_balance(host.id) > 0
    march = next(m for m in history.months if (m.year, m.month) == (2026, 3))
    assert march.total == payout.amount == march.paid_out
    [row] = payouts.hosts_overview({community.id})
    assert (row.host.id, row.paid, row.owed, row.last_payout.id) == (
        host.id,
        payout.amount,
        history.owed,
        payout.id,
    )
    assert payouts.hosts_overview({make_community().id}) == []


def test_the_coop_pages_and_csv_files(client):
    _community, coop, host, payout = _paid_out()
    login(client, coop)
    page = client.get("/admin/payouts?month=2026-03").get_data(as_text=True)
    assert host.name in page and payout.reference in page and "missing" in page
    rows = list(csv.reader(io.StringIO(client.get("/admin/payouts.csv").get_data(as_text=True))))
    assert rows[1][0] == host.name and int(rows[1][3]) == payout.amount
    response = client.get(f"/admin/payouts/{host.id}")
    assert response.status_code == 200 and payout.reference in response.get_data(as_text=True)
    history = client.get(f"/admin/payouts/{host.id}.csv").get_data(as_text=True)
    assert "2026-03" in history and payout.reference in history
    assert client.get("/admin/payouts/99999").status_code == 404


def test_the_batch_file_has_one_transfer_per_payout_with_the_account(client):
    _community, coop, host, payout = _paid_out()
    login(client, coop)
    response = client.post(
        f"/admin/payouts/{host.id}/account",
        data={"bank_name": "Vietcombank", "account_number": "12", "account_name": "x"},
    )
    assert response.status_code == 400 and "6 to 19 digits" in response.get_data(as_text=True)
    response = client.post(
        f"/admin/payouts/{host.id}/account",
        data={
            "bank_name": "Vietcombank",
            "account_number": "0071 0006 54321",
            "account_name": "Hoàng Thị Mai",
        },
    )
    assert response.status_code == 302
    account = db.session.query(PayoutAccount).filter_by(host_id=host.id).one()
    assert (account.account_number, account.account_name) == ("0071000654321", "HOANG THI MAI")

    response = client.get("/admin/payouts/batch.xlsx?month=2026-03")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == (
        "STT",
        "Số tài khoản người hưởng",
        "Tên người hưởng",
        "Ngân hàng người hưởng",
        "Số tiền",
    )
    assert rows[1][:5] == (1, "0071000654321", "HOANG THI MAI", "Vietcombank", payout.amount)
    assert payout.reference in rows[1][5] and rows[1][5].isascii()
    text = client.get("/admin/payouts/batch.csv?month=2026-03").get_data(as_text=True)
    assert "0071000654321" in text and str(payout.amount) in text
    # another month has no payouts: a header and nothing else
    sheet = load_workbook(
        io.BytesIO(client.get("/admin/payouts/batch.xlsx?month=2026-05").data)
    ).active
    assert sheet.max_row == 1


def test_other_cooperatives_and_hosts_cannot_see_a_hosts_payouts(client):
    _community, _coop, host, _payout = _paid_out()
    login(client, make_user(Role.COOP, community=make_community()))
    assert client.get(f"/admin/payouts/{host.id}").status_code == 404
    assert client.get(f"/admin/payouts/{host.id}.csv").status_code == 404
    assert (
        client.post(f"/admin/payouts/{host.id}/account", data={"bank_name": "x"}).status_code == 404
    )
    assert "0071" not in client.get("/admin/payouts/batch.csv?month=2026-03").get_data(as_text=True)
    client.post("/account/logout")
    login(client, host)
    assert client.get("/admin/payouts").status_code in (302, 403)


def test_the_host_sees_their_payouts_and_where_they_go(client):
    _community, _coop, host, payout = _paid_out()
    login(client, host)
    page = client.get("/host/statement?month=2026-03").get_data(as_text=True)
    assert payout.reference in page and "no bank account of yours" in page


def test_changing_where_a_hosts_money_goes_is_audited(client):
    from marketplace.models import AuditEntry

    _community, coop, host, _payout = _paid_out()
    login(client, coop)
    for number in ("0071000654321", "9988776655"):
        response = client.post(
            f"/admin/payouts/{host.id}/account",
            data={"bank_name": "Vietcombank", "account_number": number, "account_name": "Mai"},
        )
        assert response.status_code == 302
    entries = (
        db.session.query(AuditEntry)
        .filter_by(action="payout_account_set")
        .order_by(AuditEntry.id)
        .all()
    )
    assert [e.actor_id for e in entries] == [coop.id, coop.id]
    assert entries[0].data["before"] is None
    assert entries[1].data["before"]["number_ends"] == "4321"
    assert entries[1].data["after"]["number_ends"] == "6655"
