"""Tickets: issued on confirmation, voided on cancellation, signed tokens that resist tampering."""

import base64
from datetime import date, timedelta

import pytest
import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from marketplace.clock import business_today
from marketplace.models import ListingKind, TicketStatus
from marketplace.services import bookings, ticket_tokens, tickets
from marketplace.services.ticket_tokens import InvalidTicketToken, TicketClaims
from tests.factories import make_departure, make_listing, make_ticketed_booking

CLAIMS = TicketClaims(
    ticket_id=4213, valid_from=date(2026, 12, 20), valid_until=date(2026, 12, 21), admits=3
)


def test_a_token_round_trips():
    key = Ed25519PrivateKey.generate()
    token = ticket_tokens.sign_ticket(CLAIMS, key)
    assert ticket_tokens.verify_ticket(token, key.public_key()) == CLAIMS


@pytest.mark.parametrize("bit", [0, 7, 8 * 5 + 3, 8 * 9, 8 * 40, 8 * 73 + 7])
def test_one_flipped_bit_is_rejected(bit):
    key = Ed25519PrivateKey.generate()
    raw = bytearray(base64.urlsafe_b64decode(ticket_tokens.sign_ticket(CLAIMS, key) + "=="))
    raw[bit // 8] ^= 1 << (bit % 8)
    tampered = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    with pytest.raises(InvalidTicketToken):
        ticket_tokens.verify_ticket(tampered, key.public_key())


def test_another_key_is_rejected():
    token = ticket_tokens.sign_ticket(CLAIMS, Ed25519PrivateKey.generate())
    with pytest.raises(InvalidTicketToken):
        ticket_tokens.verify_ticket(token, Ed25519PrivateKey.generate().public_key())


@pytest.mark.parametrize("change", ["truncate", "extend", "empty", "garbage", "padded"])
def test_truncated_oversized_and_garbage_tokens_are_rejected(change):
    key = Ed25519PrivateKey.generate()
    token = ticket_tokens.sign_ticket(CLAIMS, key)
    bad = {
        "truncate": token[:-4],
        "extend": token + "AAAA",
        "empty": "",
        "garbage": "!" * len(token),
        "padded": token + "==",
    }[change]
    with pytest.raises(InvalidTicketToken):
        ticket_tokens.verify_ticket(bad, key.public_key())


def test_a_typical_token_fits_qr_version_6_at_ecc_m():
    key = Ed25519PrivateKey.generate()
    token = ticket_tokens.sign_ticket(CLAIMS, key)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(token)
    code.make(fit=True)
    assert code.version == 6


def test_confirmation_issues_one_ticket_per_item_admitting_the_party(app):
    start = business_today() + timedelta(days=5)
    booking = make_ticketed_booking(check_in=start, nights=3, guests=3)
    departure = make_departure(make_listing(ListingKind.TOUR), day=start + timedelta(days=1))
    tour = make_ticketed_booking(departure=departure, guests=4)
    (stay_ticket,) = tickets.tickets_of(booking)
    (tour_ticket,) = tickets.tickets_of(tour)
    assert (stay_ticket.admits, stay_ticket.valid_from, stay_ticket.valid_until) == (
        3,
        start,
        start + timedelta(days=2),  # the last night, not the morning of departure
    )
    assert (tour_ticket.admits, tour_ticket.valid_from, tour_ticket.valid_until) == (
        4,
        start + timedelta(days=1),
        start + timedelta(days=1),
    )
    claims = ticket_tokens.verify_ticket(stay_ticket.secret, tickets.verifying_key())
    assert claims.ticket_id == stay_ticket.id and claims.admits == 3


def test_no_ticket_before_confirmation_and_void_after_cancellation():
    booking = make_ticketed_booking(confirm=False)
    assert tickets.tickets_of(booking) == []
    bookings.confirm(booking)
    assert len(tickets.tickets_of(booking)) == 1
    bookings.cancel(booking, reason="plans changed")
    assert tickets.tickets_of(booking)[0].status == TicketStatus.VOID


def test_the_development_key_is_kept_and_reused(app, tmp_path):
    first = ticket_tokens.load_private_key(None, str(tmp_path))
    second = ticket_tokens.load_private_key(None, str(tmp_path))
    assert ticket_tokens.public_key_b64(first) == ticket_tokens.public_key_b64(second)
    assert len(base64.urlsafe_b64decode(ticket_tokens.public_key_b64(first) + "=")) == 32
