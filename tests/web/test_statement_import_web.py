"""The reconciliation page: preview a bank export, confirm it, match a stray line by hand."""

import io
import re

import pytest

from marketplace.extensions import db
from marketplace.models import BankTransfer, Booking, BookingStatus, Role, TransferOutcome
from tests.factories import login, make_community, make_held_booking, make_listing, make_user
from tests.services.test_bank_statements import bidv_xlsx, vietcombank_csv


@pytest.fixture(autouse=True)
def _english(client):
    """These pages are read in English here (the site's default language is Vietnamese)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _upload(client, url, data: bytes, name="sao-ke.csv"):
    return client.post(
        url,
        data={"statement": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _token(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def _setup():
    community = make_community()
    coop = make_user(Role.COOP, community=community)
    booking = make_held_booking(make_listing(community=community))
    return community, coop, booking


def test_preview_then_confirm_imports_the_credit_lines(client):
    _community, coop, booking = _setup()
    login(client, coop)
    export = vietcombank_csv(
        ("FT1", f"{booking.total:,}".replace(",", "."), f"MBVCB.1.{booking.reference}.CT"),
        ("FT2", "250.000", "chuyen tien nha"),
    )
    response = _upload(client, "/admin/reconciliation/preview", export.encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "preview-matched" in page and "preview-no_match" in page
    assert "Debit lines skipped: 1" in page and booking.reference in page
    assert db.session.query(BankTransfer).count() == 0  # nothing written by the preview

    response = client.post("/admin/reconciliation/confirm", data={"token": _token(page)})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "outcome-matched" in page
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.CONFIRMED
    assert {t.transfer_id for t in db.session.query(BankTransfer)} == {"FT1", "FT2"}


def test_an_excel_export_is_previewed_too(client):
    _community, coop, booking = _setup()
    login(client, coop)
    data = bidv_xlsx(("GD1", booking.total, f"{booking.reference} thanh toan"))
    page = _upload(client, "/admin/reconciliation/preview", data, "sao-ke.xlsx").get_data(
        as_text=True
    )
    assert "preview-matched" in page and "Debit lines skipped: 1" in page


def test_bad_files_and_forged_or_foreign_previews_are_400(client):
    _community, coop, booking = _setup()
    other = make_user(Role.COOP, community=make_community())
    login(client, coop)
    assert _upload(client, "/admin/reconciliation/preview", b"x,y\n1,2\n").status_code == 400
    assert (
        _upload(client, "/admin/reconciliation/preview", b"PK\x03\x04", "s.xlsx").status_code == 400
    )
    assert client.post("/admin/reconciliation/preview", data={}).status_code == 400
    assert client.post("/admin/reconciliation/confirm", data={"token": "x.y.z"}).status_code == 400
    page = _upload(
        client,
        "/admin/reconciliation/preview",
        vietcombank_csv(("FT1", booking.total, booking.reference)).encode(),
    ).get_data(as_text=True)
    token = _token(page)
    client.post("/account/logout")
    login(client, other)  # another cooperative cannot replay this clerk's preview
    assert client.post("/admin/reconciliation/confirm", data={"token": token}).status_code == 400
    assert db.session.query(BankTransfer).count() == 0


def test_a_stray_line_is_found_by_reference_and_matched_by_hand(client):
    _community, coop, booking = _setup()
    login(client, coop)
    _upload(
        client, "/admin/reconciliation", vietcombank_csv(("FT3", booking.total, "tien")).encode()
    )
    line = db.session.query(BankTransfer).filter_by(transfer_id="FT3").one()
    short = booking.reference.replace("-", "")[2:6].lower()
    page = client.get(f"/admin/reconciliation?line={line.id}&q={short}").get_data(as_text=True)
    assert f"Match to {booking.reference}" in page
    response = client.post(
        f"/admin/reconciliation/{line.id}/match", data={"reference": "ZZ-NOPE99"}
    )
    assert response.status_code == 400 and "No booking has that reference" in response.get_data(
        as_text=True
    )
    response = client.post(
        f"/admin/reconciliation/{line.id}/match", data={"reference": booking.reference}
    )
    assert response.status_code == 302
    db.session.expire_all()
    line = db.session.get(BankTransfer, line.id)
    assert line.outcome == TransferOutcome.MATCHED and line.booking_id == booking.id
    assert db.session.get(Booking, booking.id).status == BookingStatus.CONFIRMED
    again = client.post(
        f"/admin/reconciliation/{line.id}/match", data={"reference": booking.reference}
    )
    assert again.status_code == 409
    assert client.post(
        "/admin/reconciliation/99999/match", data={"reference": "x"}
    ).status_code == (404)


def test_another_cooperative_cannot_match_a_line_it_does_not_own(client):
    _community, coop, booking = _setup()
    login(client, coop)
    _upload(
        client, "/admin/reconciliation", vietcombank_csv(("FT4", booking.total, "tien")).encode()
    )
    line = db.session.query(BankTransfer).filter_by(transfer_id="FT4").one()
    client.post("/account/logout")
    login(client, make_user(Role.COOP, community=make_community()))
    response = client.post(
        f"/admin/reconciliation/{line.id}/match", data={"reference": booking.reference}
    )
    assert response.status_code == 404


def test_the_host_click_then_the_statement_confirms_over_http(client):
    community = make_community()
    host = make_user(Role.HOST, community=community)
    coop = make_user(Role.COOP, community=community)
    booking = make_held_booking(make_listing(community=community, host=host))
    from marketplace.services.payments import host_payments, payments

    payments.start_payment(booking, "vietqr")
    host_payments.mark_transfer_received(booking, host)
    login(client, coop)
    export = vietcombank_csv(("FT11", booking.total, booking.reference)).encode()
    page = _upload(client, "/admin/reconciliation/preview", export).get_data(as_text=True)
    assert "preview-confirmed" in page
    page = client.post("/admin/reconciliation/confirm", data={"token": _token(page)}).get_data(
        as_text=True
    )
    assert "outcome-confirmed" in page
    db.session.expire_all()
    assert len(db.session.get(Booking, booking.id).payments) == 1
