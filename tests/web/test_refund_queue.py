"""The refund queue through HTTP: the traveller gives an account, staff record the transfer."""

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.models import AuditEntry, Refund, RefundStatus, Role
from marketplace.services.payments import refund_queue
from marketplace.web.booking_access import booking_key
from tests.factories import login, make_community, make_user
from tests.services.test_refund_queue import ACCOUNT, bank_paid_then_cancelled


def _owned_refund():
    booking, refund, coop = bank_paid_then_cancelled()
    tourist = make_user(Role.TOURIST)
    booking.tourist_id = tourist.id
    db.session.commit()
    return booking, refund, coop, tourist


def _status(refund_id):
    db.session.expire_all()
    return db.session.get(Refund, refund_id).status


def test_the_traveller_gives_an_account_and_sees_the_refund_sent(client):
    booking, refund, coop, tourist = _owned_refund()
    login(client, tourist)
    page = client.get(f"/trips/{booking.reference}?lang=en").get_data(as_text=True)
    assert "waiting for your bank details" in page and 'name="account_number"' in page
    wrong = client.post(
        f"/trips/{booking.reference}/refund-account", data={**ACCOUNT, "account_number": "12"}
    )
    assert wrong.status_code == 400
    assert 'id="account_number-error"' in wrong.get_data(as_text=True)
    done = client.post(f"/trips/{booking.reference}/refund-account", data=ACCOUNT)
    assert done.status_code == 302
    page = client.get(f"/trips/{booking.reference}?lang=en").get_data(as_text=True)
    assert "to be sent to your account" in page and "NGUYEN VAN DUC" in page
    client.post("/account/logout")

    login(client, coop)
    queue = client.get("/admin/refunds?lang=en").get_data(as_text=True)
    assert booking.reference in queue and "0123456789" in queue and "Vietcombank" in queue
    first = client.post(f"/admin/refunds/{refund.id}/sent", data={"bank_reference": "FT26061"})
    second = client.post(f"/admin/refunds/{refund.id}/sent", data={"bank_reference": "FT26061"})
    assert first.status_code == second.status_code == 302
    assert _status(refund.id) == RefundStatus.SUCCEEDED
    sent = select(func.count(AuditEntry.id)).where(
        AuditEntry.subject_type == "refund", AuditEntry.to_state == "succeeded"
    )
    assert db.session.scalar(sent) == 1
    assert booking.reference not in client.get("/admin/refunds").get_data(as_text=True)
    client.post("/account/logout")

    login(client, tourist)
    page = client.get(f"/trips/{booking.reference}?lang=en").get_data(as_text=True)
    assert "bank reference FT26061" in page and 'name="account_number"' not in page


def test_a_guest_with_the_link_gives_the_account(app, client):
    booking, refund, _coop = bank_paid_then_cancelled()
    with app.test_request_context():
        key = booking_key(booking)
    response = client.post(f"/trips/{booking.reference}/refund-account?key={key}", data=ACCOUNT)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Refund, refund.id).booking_id == booking.id
    assert refund_queue.refund_account(booking.id).account_holder == "NGUYEN VAN DUC"


def test_staff_see_a_clear_error_when_the_account_is_missing_or_the_reference_empty(client):
    booking, refund, coop, _tourist = _owned_refund()
    login(client, coop)
    missing = client.post(
        f"/admin/refunds/{refund.id}/sent?lang=en", data={"bank_reference": "FT1"}
    )
    assert missing.status_code == 409
    assert "has not given a bank account" in missing.get_data(as_text=True)
    empty = client.post(f"/admin/refunds/{refund.id}/sent", data={"bank_reference": " "})
    assert empty.status_code == 400
    assert _status(refund.id) == RefundStatus.PENDING


@pytest.mark.parametrize(
    ("who", "queue_status", "sees", "send_status"),
    [
        ("admin", 200, True, 302),
        ("coop", 200, True, 302),
        ("other_coop", 200, False, 404),
        ("host", 403, False, 403),
        ("tourist", 403, False, 403),
    ],
)
def test_who_may_see_and_send_refunds(client, who, queue_status, sees, send_status):
    booking, refund, coop, tourist = _owned_refund()
    refund_queue.set_refund_account(booking, **ACCOUNT)
    user = {
        "admin": lambda: make_user(Role.ADMIN),
        "coop": lambda: coop,
        "other_coop": lambda: make_user(Role.COOP, community=make_community()),
        "host": lambda: booking.items[0].listing.host,
        "tourist": lambda: tourist,
    }[who]()
    login(client, user)
    queue = client.get("/admin/refunds")
    assert queue.status_code == queue_status
    assert (booking.reference in queue.get_data(as_text=True)) is sees
    response = client.post(f"/admin/refunds/{refund.id}/sent", data={"bank_reference": "FT9"})
    assert response.status_code == send_status
    expected = RefundStatus.SUCCEEDED if send_status == 302 else RefundStatus.PENDING
    assert _status(refund.id) == expected


@pytest.mark.parametrize("who", ["other_tourist", "host", "coop"])
def test_only_the_traveller_sets_the_account(client, who):
    booking, _refund, coop, _tourist = _owned_refund()
    user = {
        "other_tourist": lambda: make_user(Role.TOURIST),
        "host": lambda: booking.items[0].listing.host,
        "coop": lambda: coop,
    }[who]()
    login(client, user)
    response = client.post(f"/trips/{booking.reference}/refund-account", data=ACCOUNT)
    assert response.status_code == (404 if who == "other_tourist" else 302)
    assert refund_queue.refund_account(booking.id) is None


def test_an_anonymous_visitor_without_the_link_gets_nothing(client):
    booking, _refund, _coop, _tourist = _owned_refund()
    response = client.post(f"/trips/{booking.reference}/refund-account", data=ACCOUNT)
    assert response.status_code == 404
    assert client.get("/admin/refunds").status_code == 302  # to the login page
