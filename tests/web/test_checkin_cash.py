"""Cash at check-in: the scanner's green result shows what to collect and records it."""

from marketplace.extensions import db
from marketplace.models import Booking, PaymentMethod, PaymentStatus, Role
from marketplace.services.payments import host_payments, money_rules, payments
from tests.factories import login, make_community, make_held_booking, make_listing, make_user


def _arriving(start_in_days: int = 0):
    """A pay-at-arrival booking from today, accepted by its host."""
    community = make_community()
    host = make_user(Role.HOST, community=community)
    listing = make_listing(community=community, host=host, units=2)
    booking = make_held_booking(listing, start_in_days=start_in_days)
    payments.start_payment(booking, "pay_at_arrival")
    host_payments.accept_pay_at_arrival(booking, host)
    return booking, host, community


def _csrf(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/checkin").get_data(as_text=True)
    return {"X-CSRFToken": page.split('name="csrf-token" content="')[1].split('"')[0]}


def test_the_host_scans_sees_what_to_collect_and_records_the_cash(app, client):
    booking, host, _ = _arriving()
    login(client, host)
    page = client.get("/checkin?lang=en").get_data(as_text=True)
    assert 'id="cash-received"' in page and 'data-cash="/checkin/cash"' in page
    headers = _csrf(app, client)
    try:
        scan = client.post("/api/v1/checkins", json={"secret": booking.reference}, headers=headers)
        assert scan.get_json()["result"] == "ok"
        due = scan.get_json()["booking"]["amount_due"]
        assert due == booking.total > 0

        refused = client.post("/checkin/cash", json={"reference": booking.reference, "amount": due})
        assert refused.status_code == 400  # no CSRF token: nothing recorded
        response = client.post(
            "/checkin/cash", json={"reference": booking.reference, "amount": due}, headers=headers
        )
        assert response.status_code == 200 and response.get_json() == {"amount_due": 0}
        again = client.post(
            "/checkin/cash", json={"reference": booking.reference, "amount": due}, headers=headers
        )
        assert again.status_code == 409
        assert again.get_json()["error"]["code"] == "already_paid"
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    db.session.expire_all()
    booking = db.session.get(Booking, booking.id)
    cash = [p for p in booking.payments if p.method == PaymentMethod.PAY_AT_ARRIVAL]
    assert [(p.status, p.amount) for p in cash] == [(PaymentStatus.SUCCEEDED, due)]
    assert money_rules.due(booking) == 0


def test_a_wrong_amount_is_refused_naming_the_field(client):
    booking, host, _ = _arriving()
    login(client, host)
    for amount in ("lots", booking.total + 1):
        response = client.post(
            "/checkin/cash", json={"reference": booking.reference, "amount": amount}
        )
        assert response.status_code == 400
        assert response.get_json()["error"]["field"] == "amount"
    db.session.expire_all()
    assert money_rules.due(db.session.get(Booking, booking.id)) == booking.total


def test_only_the_hosts_and_the_cooperative_take_money(client):
    booking, _host, community = _arriving()
    login(client, make_user(Role.GUIDE, community=community))
    # a guide's scanner offers no cash button at all
    assert 'data-cash=""' in client.get("/checkin").get_data(as_text=True)
    response = client.post(
        "/checkin/cash", json={"reference": booking.reference, "amount": booking.total}
    )
    assert response.status_code == 403
    assert (
        client.post("/checkin/cash", json={"reference": "ZZ-NOTHERE", "amount": 1}).status_code
        == 404
    )
    client.post("/account/logout")
    login(client, make_user(Role.TOURIST))
    assert client.post("/checkin/cash", json={"reference": booking.reference}).status_code == 403
