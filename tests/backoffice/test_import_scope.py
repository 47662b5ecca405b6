"""A cooperative's statement import and reconciliation queue reach only its own community."""

import io

from marketplace.extensions import db
from marketplace.models import (
    BankTransfer,
    Booking,
    BookingStatus,
    Payment,
    Role,
    TransferOutcome,
)
from tests.factories import login, make_community, make_held_booking, make_listing, make_user


def _upload(client, csv: str):
    return client.post(
        "/admin/reconciliation",
        data={"statement": (io.BytesIO(csv.encode()), "statement.csv")},
        content_type="multipart/form-data",
    )


def test_coop_b_statement_line_for_coop_a_booking_changes_nothing_of_a(app, client):
    a, b = make_community(), make_community()
    booking = make_held_booking(make_listing(community=a))
    coop_a = make_user(Role.COOP, community=a)
    coop_b = make_user(Role.COOP, community=b)
    login(client, coop_b)
    response = _upload(
        client,
        "transfer_id,date,amount,memo\n"
        f"B1,2026-11-20,{booking.total},{booking.reference} thanh toan\n",
    )
    assert response.status_code == 200 and "outcome-no_match" in response.get_data(as_text=True)
    db.session.expire_all()
    booking = db.session.get(Booking, booking.id)
    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert db.session.query(Payment).filter_by(booking_id=booking.id).count() == 0
    line = db.session.query(BankTransfer).filter_by(transfer_id="B1").one()
    assert line.outcome == TransferOutcome.NO_MATCH and line.booking_id is None
    assert line.community_id == b.id  # in B's queue, not A's
    assert "thanh toan" in client.get("/admin/reconciliation").get_data(as_text=True)

    client.post("/account/logout")
    login(client, coop_a)
    page = client.get("/admin/reconciliation").get_data(as_text=True)
    assert "thanh toan" not in page
    # A cannot take B's line off B's queue
    response = client.post("/admin/reconciliation/resolve", data={"transfer_id": str(line.id)})
    assert response.status_code == 404
    # A's own import of A's booking still matches
    response = _upload(
        client,
        "transfer_id,date,amount,memo\n"
        f"A1,2026-11-20,{booking.total},{booking.reference} tien phong\n",
    )
    assert "outcome-matched" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.CONFIRMED


def test_admins_see_every_line_and_lines_of_no_community(app, client):
    a, b = make_community(), make_community()
    booking = make_held_booking(make_listing(community=a))
    coop_b = make_user(Role.COOP, community=b)
    admin = make_user(Role.ADMIN)
    db.session.add(
        BankTransfer(
            source="notification",
            transfer_id="N1",
            amount=5000,
            memo="tien ai do",
            outcome=TransferOutcome.NO_MATCH,
        )
    )
    db.session.commit()
    login(client, coop_b)
    _upload(client, f"transfer_id,amount,memo\nB2,{booking.total},{booking.reference} tu B\n")
    page = client.get("/admin/reconciliation").get_data(as_text=True)
    assert "tu B" in page and "tien ai do" not in page
    client.post("/account/logout")
    login(client, admin)
    page = client.get("/admin/reconciliation").get_data(as_text=True)
    assert "tu B" in page and "tien ai do" in page
    assert (
        client.post("/admin/reconciliation/resolve", data={"transfer_id": "9" * 30}).status_code
        == 404
    )
