"""Paying from the booking page and the API; host actions; the bank webhook; reconciliation."""

from flask import render_template_string

from marketplace.extensions import db
from marketplace.gateways import vietqr
from marketplace.models import BookingStatus, PaymentStatus, Role, TransferOutcome
from marketplace.services.accounts import accounts
from marketplace.services.payments import host_payments, money_rules, payment_status, payments
from marketplace.web.booking_access import booking_key
from tests.factories import login, make_community, make_held_booking, make_listing, make_user


def _key(app, booking):
    with app.test_request_context():
        return booking_key(booking)


def test_vietqr_from_the_booking_page_shows_exact_amount_and_reference(app, client):
    community = make_community(bank_account_name="HTX DU LICH HUU LIEN")
    booking = make_held_booking(make_listing(community=community, nightly_price=650_000))
    key = _key(app, booking)
    response = client.post(f"/trips/{booking.reference}/pay?key={key}", data={"method": "vietqr"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/trips/{booking.reference}?key=")
    db.session.expire_all()
    state = payment_status.panel_state(booking)
    fields = vietqr.parse_payload(state["vietqr"]["payload"])
    assert fields["54"] == "1300000" and fields["53"] == "704"
    assert fields["62"]["08"] == booking.reference
    assert fields["38"]["01"] == {"00": "970436", "01": "0011004455667"}

    with app.test_request_context(f"/trips/{booking.reference}"):
        html = render_template_string('{% include "payments/_panel.html" %}', booking=booking)
    assert "<svg" in html and 'style="' not in html
    assert "0011004455667" in html and "HTX DU LICH HUU LIEN" in html
    assert booking.reference in html and "Vietcombank" in html
    assert "1.300.000" in html  # the exact amount, as the banking app shows it

    svg = client.get(f"/trips/{booking.reference}/vietqr.svg?key={key}")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    stranger = app.test_client()
    assert stranger.get(f"/trips/{booking.reference}/vietqr.svg").status_code == 404


def test_card_is_refused_where_the_listing_does_not_offer_it(app, client):
    booking = make_held_booking(make_listing(payment_methods=("vietqr",)))
    tourist = make_user()
    booking.tourist_id = tourist.id
    db.session.commit()
    token = accounts.create_token(tourist)
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/bookings/{booking.reference}/payments"
    refused = client.post(url, json={"method": "pay_at_arrival"}, headers=headers)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "method_not_allowed"
    invalid = client.post(url, json={"method": "bitcoin"}, headers=headers)
    assert invalid.status_code == 400 and invalid.json["error"]["field"] == "method"
    stranger = accounts.create_token(make_user())
    other = client.post(
        url, json={"method": "vietqr"}, headers={"Authorization": f"Bearer {stranger}"}
    )
    assert other.status_code == 404
    ok = client.post(url, json={"method": "vietqr"}, headers=headers)
    assert ok.status_code == 201
    assert set(ok.json) >= {"method", "payload", "amount", "account", "qr_svg_url"}
    assert ok.json["amount"] == booking.total
    assert set(ok.json["account"]) == {"bank_bin", "account_number", "account_name"}
    assert client.get(ok.json["qr_svg_url"]).status_code == 200


def test_pay_at_arrival_waits_for_the_host_who_accepts_then_records_cash(app, client):
    community = make_community()
    host = make_user(Role.HOST, community=community)
    booking = make_held_booking(make_listing(community=community, host=host))
    hold_before = booking.hold_expires_at
    key = _key(app, booking)
    client.post(f"/trips/{booking.reference}/pay?key={key}", data={"method": "pay_at_arrival"})
    db.session.expire_all()
    assert booking.hold_expires_at - hold_before > __import__("datetime").timedelta(hours=20)
    assert payment_status.panel_state(booking)["awaiting_host"]

    login(client, host)
    page = client.get("/host/payments")
    assert booking.reference in page.get_data(as_text=True)
    client.post(f"/host/bookings/{booking.reference}/accept")
    db.session.expire_all()
    assert booking.status == BookingStatus.CONFIRMED
    client.post(f"/host/bookings/{booking.reference}/cash", data={"amount": str(booking.total)})
    db.session.expire_all()
    assert money_rules.due(booking) == 0
    assert booking.payments[-1].status == PaymentStatus.SUCCEEDED


def test_another_host_cannot_act_and_a_decline_cancels(app, client):
    community = make_community()
    host = make_user(Role.HOST, community=community)
    booking = make_held_booking(make_listing(community=community, host=host))
    payments.start_payment(booking, "pay_at_arrival")
    login(client, make_user(Role.HOST, community=community))
    assert client.post(f"/host/bookings/{booking.reference}/accept").status_code == 404
    client.post("/account/logout")
    login(client, host)
    client.post(f"/host/bookings/{booking.reference}/decline", data={"reason": "full"})
    db.session.expire_all()
    assert booking.status == BookingStatus.CANCELLED


def test_the_bank_webhook_needs_its_key_and_matches_the_transfer(app, client):
    booking = make_held_booking()
    body = {
        "id": 77,
        "transferType": "in",
        "transferAmount": booking.total,
        "content": f"CT DEN:0123 {booking.reference.replace('-', '')} chuyen khoan",
    }
    app.config["BANK_WEBHOOK_TOKEN"] = "bank-secret"
    try:
        assert client.post("/webhooks/bank", json=body).status_code == 401
        wrong = {"Authorization": "Apikey nope"}
        assert client.post("/webhooks/bank", json=body, headers=wrong).status_code == 401
        good = {"Authorization": "Apikey bank-secret"}
        first = client.post("/webhooks/bank", json=body, headers=good)
        assert first.status_code == 200 and first.json["outcome"] == "matched"
        again = client.post("/webhooks/bank", json=body, headers=good)
        assert again.json["new"] is False
        bad = client.post("/webhooks/bank", json={"id": 78}, headers=good)
        assert bad.status_code == 400 and bad.json["error"]["field"] == "transferAmount"
    finally:
        app.config["BANK_WEBHOOK_TOKEN"] = None
    db.session.expire_all()
    assert booking.status == BookingStatus.CONFIRMED


def test_the_cooperative_imports_a_statement_and_sees_what_is_left(app, client):
    community = make_community()
    booking = make_held_booking(make_listing(community=community))
    coop = make_user(Role.COOP, community=community)
    login(client, coop)
    csv = (
        "transfer_id,date,amount,memo\n"
        f"A1,2026-11-20,{booking.total},{booking.reference} thanh toan\n"
        "A2,2026-11-20,150000,chuyen tien nha\n"
    )
    import io

    response = client.post(
        "/admin/reconciliation",
        data={"statement": (io.BytesIO(csv.encode()), "statement.csv")},
        content_type="multipart/form-data",
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "outcome-matched" in text and "outcome-no_match" in text
    page = client.get("/admin/reconciliation").get_data(as_text=True)
    assert "chuyen tien nha" in page and "thanh toan" not in page
    from marketplace.models import BankTransfer

    waiting = db.session.query(BankTransfer).filter_by(transfer_id="A2").one()
    assert waiting.outcome == TransferOutcome.NO_MATCH
    client.post("/admin/reconciliation/resolve", data={"transfer_id": str(waiting.id)})
    assert "chuyen tien nha" not in client.get("/admin/reconciliation").get_data(as_text=True)


def test_form_action_allows_the_checkout_origin(app, client):
    saved = app.config.get("STRIPE_CHECKOUT_ORIGIN")
    app.config["STRIPE_CHECKOUT_ORIGIN"] = "http://127.0.0.1:12111"
    try:
        csp = client.get("/").headers["Content-Security-Policy"]
    finally:
        app.config["STRIPE_CHECKOUT_ORIGIN"] = saved
    assert "form-action 'self' https://checkout.stripe.com http://127.0.0.1:12111" in csp


def test_statements_for_the_host_and_the_village_fund_and_a_payout_run(app, client):
    community = make_community()
    host = make_user(Role.HOST, community=community)
    booking = make_held_booking(make_listing(community=community, host=host, nightly_price=400_000))
    host_payments.mark_transfer_received(booking, host)
    login(client, host)
    page = client.get("/host/statement").get_data(as_text=True)
    assert booking.reference in page and "680.000" in page
    client.post("/account/logout")
    login(client, make_user(Role.COOP, community=community))
    assert "40.000" in client.get("/admin/ledger").get_data(as_text=True)  # 5 % fund
    assert client.post("/admin/ledger/payouts").status_code == 403
    client.post("/account/logout")
    login(client, make_user(Role.ADMIN))
    # shares are paid out once the stay is over: the run for the month of the check-out
    stay_over = booking.items[0].check_out.strftime("%Y-%m")
    assert client.post("/admin/ledger/payouts", data={"month": stay_over}).status_code == 302
    from marketplace.models import Payout

    [payout] = db.session.query(Payout).all()
    assert payout.host_id == host.id and payout.amount == 680_000


def test_the_vietqr_code_downloads_as_a_png_for_the_gallery(app, client):
    from marketplace.gateways import qr

    booking = make_held_booking(make_listing(nightly_price=650_000))
    key = _key(app, booking)
    client.post(f"/trips/{booking.reference}/pay?key={key}", data={"method": "vietqr"})
    page = client.get(f"/trips/{booking.reference}?key={key}&lang=en").get_data(as_text=True)
    png_url = f"/trips/{booking.reference}/vietqr.png?key={key}"
    assert f'href="{png_url}"' in page and "Save QR to gallery" in page
    response = client.get(png_url)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="vietqr-{booking.reference}.png"'
    )
    db.session.expire_all()
    payload = payment_status.panel_state(booking)["vietqr"]["payload"]
    assert response.data == qr.render_png(payload)
    assert app.test_client().get(f"/trips/{booking.reference}/vietqr.png").status_code == 404
    # nothing due by transfer: no code to save
    other = make_held_booking()
    assert (
        client.get(f"/trips/{other.reference}/vietqr.png?key={_key(app, other)}").status_code == 404
    )
