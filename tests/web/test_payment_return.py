"""Coming back from the card page without paying: a declined card or a page left unpaid."""

import urllib.error
import urllib.parse
import urllib.request

from marketplace.extensions import db
from marketplace.models import BookingStatus
from marketplace.web.booking_access import booking_key
from tests import stripe_support
from tests.factories import make_held_booking, make_listing

# fixtures: the app over HTTP for webhooks, and the emulator
app_server = stripe_support.app_server
stripe_server = stripe_support.stripe_server

NOT_CHARGED = "Your card was not charged. You can try again or choose another way to pay."


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def decline_on_checkout_page(checkout_url: str) -> str:
    """Press Decline on the emulator's page as a browser would; returns where it sends the payer."""
    with urllib.request.urlopen(checkout_url) as response:
        parser = stripe_support._Forms()
        parser.feed(response.read().decode())
    [form] = [f for f in parser.forms if any(b.get("value") == "decline" for b in f["buttons"])]
    data = {**form["fields"], "action": "decline"}
    target = urllib.parse.urljoin(checkout_url, form["action"] or checkout_url)
    request = urllib.request.Request(target, data=urllib.parse.urlencode(data).encode())
    try:
        urllib.request.build_opener(_Stay).open(request)
    except urllib.error.HTTPError as exc:
        return exc.headers["Location"]
    raise AssertionError("the checkout page did not send the payer back")


def _start_card_payment(app, client, booking) -> str:
    with app.test_request_context():
        key = booking_key(booking)
    response = client.post(f"/trips/{booking.reference}/pay?key={key}", data={"method": "stripe"})
    assert response.status_code == 303
    return response.headers["Location"]


def test_a_declined_card_brings_the_tourist_back_to_pay_with_a_message(app, client, stripe_server):
    booking = make_held_booking(make_listing(payment_methods=("stripe", "vietqr")))
    back = decline_on_checkout_page(_start_card_payment(app, client, booking))
    assert back.startswith("http://localhost/")
    landed = client.get(back.removeprefix("http://localhost"), headers={"Accept-Language": "en"})
    assert landed.status_code in (302, 303)
    page = client.get(landed.headers["Location"]).get_data(as_text=True)
    assert page.count(NOT_CHARGED) == 1
    assert 'name="method" value="stripe"' in page and 'value="vietqr"' in page
    db.session.expire_all()
    assert booking.status == BookingStatus.PENDING_PAYMENT
    # the message is said once: a reload does not repeat it
    again = client.get(landed.headers["Location"]).get_data(as_text=True)
    assert NOT_CHARGED not in again


def test_the_way_back_opens_only_the_visitors_own_booking(app, client, stripe_server):
    booking = make_held_booking()
    assert client.get(f"/trips/{booking.reference}/pay/cancelled").status_code == 404
