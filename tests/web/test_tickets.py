"""The ticket page and its QR codes."""

import io

from PIL import Image

from marketplace.services.booking import tickets
from marketplace.services.payments import cancellations
from tests.factories import make_ticketed_booking


def test_the_ticket_page_shows_the_code_booking_names_and_dates(client):
    booking = make_ticketed_booking(guests=3, contact_name="Priya Sharma")
    ticket = tickets.tickets_of(booking)[0]
    response = client.get(f"/t/{ticket.secret}?lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert booking.reference in page and "Priya Sharma" in page and "3 people" in page
    assert f"/t/{ticket.secret}/qr.svg" in page
    assert response.headers["Cache-Control"] == "private, max-age=86400"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    svg = client.get(f"/t/{ticket.secret}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and svg.get_data(as_text=True).startswith("<svg")
    png = client.get(f"/t/{ticket.secret}/qr.png")
    assert Image.open(io.BytesIO(png.data)).format == "PNG"


def test_an_unknown_ticket_is_404_and_a_cancelled_one_says_so(client):
    assert client.get("/t/not-a-ticket").status_code == 404
    assert client.get("/t/not-a-ticket/qr.svg").status_code == 404
    booking = make_ticketed_booking()
    secret = tickets.tickets_of(booking)[0].secret
    cancellations.cancel(booking)
    page = client.get(f"/t/{secret}?lang=en").get_data(as_text=True)
    assert "This ticket was cancelled" in page


def test_the_ticket_opens_offline_through_its_service_worker_and_manifest(client):
    secret = tickets.tickets_of(make_ticketed_booking())[0].secret
    worker = client.get("/t/sw.js")
    assert worker.status_code == 200 and "caches" in worker.get_data(as_text=True)
    manifest = client.get(f"/t/{secret}/manifest.webmanifest").get_json(force=True)
    assert manifest["start_url"] == f"/t/{secret}"


def test_the_booking_panel_shows_the_tickets_once_confirmed(app):
    from flask import render_template

    pending = make_ticketed_booking(confirm=False)
    confirmed = make_ticketed_booking()
    with app.test_request_context("/?lang=en"):
        assert "ticket" not in render_template("tickets/_panel.html", booking=pending).lower()
        html = render_template("tickets/_panel.html", booking=confirmed)
    assert "/t/" + tickets.tickets_of(confirmed)[0].secret + "/qr.svg" in html
