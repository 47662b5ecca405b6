"""Ticket tokens: exact layout, tamper resistance, key handling, QR size."""

import base64
import os
import stat
from datetime import date, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from marketplace.gateways.qr import qr_version
from marketplace.services.booking.ticket_tokens import (
    KEY_FILE_NAME,
    TOKEN_LENGTH,
    InvalidTicketToken,
    TicketClaims,
    encode_claims,
    generate_private_key_text,
    load_private_key,
    load_public_key,
    public_key_b64,
    sign_ticket,
    verify_ticket,
)

#: RFC 8032 section 7.1, test 1: a fixed key makes the tokens reproducible
RFC8032_SECRET_HEX = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
RFC8032_PUBLIC_HEX = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"

KEY = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(RFC8032_SECRET_HEX))
CLAIMS = TicketClaims(
    ticket_id=123_456, valid_from=date(2025, 7, 1), valid_until=date(2025, 7, 3), admits=4
)


def _raw(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + "==")


def _text(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _reason(token, key=None) -> str:
    with pytest.raises(InvalidTicketToken) as caught:
        verify_ticket(token, key or KEY.public_key())
    return caught.value.reason


def test_payload_layout_is_exact():
    # 2025-07-01 is day 2008 after 2020-01-01 (0x07D8), 2025-07-03 day 2010 (0x07DA)
    assert encode_claims(CLAIMS) == bytes.fromhex("01 0001e240 07d8 07da 04 0000")


def test_round_trip():
    token = sign_ticket(CLAIMS, KEY)
    assert len(token) == TOKEN_LENGTH == 102
    assert len(_raw(token)) == 76
    assert "=" not in token
    assert verify_ticket(token, KEY.public_key()) == CLAIMS


def test_token_is_deterministic_for_a_fixed_key():
    # Ed25519 signatures are deterministic: same key and claims, same token
    assert sign_ticket(CLAIMS, KEY) == sign_ticket(CLAIMS, KEY)


def test_surrounding_whitespace_is_ignored():
    token = sign_ticket(CLAIMS, KEY)
    assert verify_ticket(f"  {token}\r\n", KEY.public_key()) == CLAIMS


def test_private_key_accepted_for_server_side_checks():
    assert verify_ticket(sign_ticket(CLAIMS, KEY), KEY) == CLAIMS


def test_extreme_claims_round_trip():
    claims = TicketClaims(
        ticket_id=2**32 - 1, valid_from=date(2020, 1, 1), valid_until=date(2199, 6, 6), admits=255
    )
    assert verify_ticket(sign_ticket(claims, KEY), KEY.public_key()) == claims


def test_every_single_bit_flip_is_rejected():
    raw = _raw(sign_ticket(CLAIMS, KEY))
    reasons = set()
    for index in range(len(raw)):
        for bit in range(8):
            tampered = bytearray(raw)
            tampered[index] ^= 1 << bit
            reasons.add(_reason(_text(bytes(tampered))))
    assert reasons <= {"malformed", "bad_signature", "unknown_version"}
    assert "bad_signature" in reasons
    assert "unknown_version" in reasons  # bits of the version byte


def test_another_key_is_rejected():
    other = Ed25519PrivateKey.generate()
    assert _reason(sign_ticket(CLAIMS, other)) == "bad_signature"
    assert _reason(sign_ticket(CLAIMS, KEY), other.public_key()) == "bad_signature"


def test_truncated_and_oversized_tokens_are_rejected():
    token = sign_ticket(CLAIMS, KEY)
    for bad in (token[:-1], token[:-4], token[: TOKEN_LENGTH // 2], token + "A", token + "AAAA"):
        assert _reason(bad) == "malformed"
    raw = _raw(token)
    assert _reason(_text(raw[:-1])) == "malformed"
    assert _reason(_text(raw + b"\x00")) == "malformed"


def test_padded_or_non_canonical_spelling_is_rejected():
    token = sign_ticket(CLAIMS, KEY)
    assert _reason(token + "==") == "malformed"
    # the last character carries 4 unused bits; setting one spells the same bytes differently
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    sloppy = token[:-1] + alphabet[alphabet.index(token[-1]) | 1]
    assert _raw(sloppy) == _raw(token)
    assert _reason(sloppy) == "malformed"


@pytest.mark.parametrize(
    "garbage",
    ["", "hello", "not a ticket at all", "!" * 102, "A" * 101 + "+", None, 42, b"bytes"],
)
def test_garbage_is_malformed(garbage):
    assert _reason(garbage) == "malformed"


def test_signed_unknown_version_is_reported():
    raw = bytearray(_raw(sign_ticket(CLAIMS, KEY)))
    raw[0] = 2
    payload = bytes(raw[:12])
    assert _reason(_text(payload + KEY.sign(payload))) == "unknown_version"


def test_signed_nonzero_reserved_is_malformed():
    payload = encode_claims(CLAIMS)[:10] + b"\x00\x01"
    assert _reason(_text(payload + KEY.sign(payload))) == "malformed"


@pytest.mark.parametrize(
    "claims",
    [
        TicketClaims(0, date(2025, 1, 1), date(2025, 1, 1), 1),
        TicketClaims(2**32, date(2025, 1, 1), date(2025, 1, 1), 1),
        TicketClaims(True, date(2025, 1, 1), date(2025, 1, 1), 1),
        TicketClaims(1, date(2025, 1, 1), date(2025, 1, 1), 0),
        TicketClaims(1, date(2025, 1, 1), date(2025, 1, 1), 256),
        TicketClaims(1, date(2025, 1, 1), date(2025, 1, 1), 2.0),
        TicketClaims(1, date(2025, 1, 2), date(2025, 1, 1), 1),
        TicketClaims(1, date(2019, 12, 31), date(2025, 1, 1), 1),
        TicketClaims(1, date(2025, 1, 1), date(2200, 1, 1), 1),
        TicketClaims(1, datetime(2025, 1, 1, 8, 0), date(2025, 1, 1), 1),
        TicketClaims(1, "2025-01-01", date(2025, 1, 1), 1),
    ],
)
def test_bad_claims_refused_on_signing(claims):
    with pytest.raises(ValueError):
        sign_ticket(claims, KEY)


def test_is_valid_on():
    assert not CLAIMS.is_valid_on(date(2025, 6, 30))
    assert CLAIMS.is_valid_on(date(2025, 7, 1))
    assert CLAIMS.is_valid_on(date(2025, 7, 3))
    assert not CLAIMS.is_valid_on(date(2025, 7, 4))


def test_typical_token_is_qr_version_6_at_ecc_m():
    """102 characters in byte mode need version 6 at ECC M (capacity 106; version 5 holds 84)."""
    assert qr_version(sign_ticket(CLAIMS, KEY)) == 6
    for ticket_id in (1, 99_999, 2**32 - 1):
        claims = TicketClaims(ticket_id, date(2026, 2, 14), date(2026, 2, 20), 2)
        assert qr_version(sign_ticket(claims, Ed25519PrivateKey.generate())) == 6


def test_key_from_value_in_base64url_or_hex():
    from_hex = load_private_key(RFC8032_SECRET_HEX, "/nonexistent")
    b64 = _text(bytes.fromhex(RFC8032_SECRET_HEX))
    from_b64 = load_private_key(b64, "/nonexistent")
    padded = load_private_key(b64 + "=", "/nonexistent")
    for key in (from_hex, from_b64, padded):
        assert key.public_key().public_bytes_raw().hex() == RFC8032_PUBLIC_HEX


@pytest.mark.parametrize("value", ["", "short", "!" * 43, "ab" * 31, _text(b"\x01" * 31)])
def test_bad_key_value_refused_without_echo(value):
    with pytest.raises(ValueError) as caught:
        load_private_key(value, "/nonexistent")
    if len(value) > 3:
        assert value not in str(caught.value)


def test_key_file_created_with_mode_0600_and_reloaded(tmp_path):
    instance = tmp_path / "instance"  # created on demand
    first = load_private_key(None, str(instance))
    key_file = instance / KEY_FILE_NAME
    assert key_file.is_file()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert [p.name for p in instance.iterdir()] == [KEY_FILE_NAME]  # no temporary left behind
    second = load_private_key(None, str(instance))
    assert public_key_b64(second) == public_key_b64(first)
    token = sign_ticket(CLAIMS, first)
    assert verify_ticket(token, second.public_key()) == CLAIMS


def test_existing_key_file_is_used(tmp_path):
    (tmp_path / KEY_FILE_NAME).write_text(RFC8032_SECRET_HEX + "\n")
    key = load_private_key(None, str(tmp_path))
    assert key.public_key().public_bytes_raw().hex() == RFC8032_PUBLIC_HEX


def test_public_key_text_for_scanners():
    text = public_key_b64(KEY)
    assert len(text) == 43
    assert bytes.fromhex(RFC8032_PUBLIC_HEX) == _raw(text)
    assert public_key_b64(KEY.public_key()) == text
    assert verify_ticket(sign_ticket(CLAIMS, KEY), load_public_key(text)) == CLAIMS
    with pytest.raises(ValueError):
        load_public_key(text[:-2])


def test_generated_key_text_loads():
    text = generate_private_key_text()
    assert len(text) == 43
    assert generate_private_key_text() != text
    key = load_private_key(text, "/nonexistent")
    assert verify_ticket(sign_ticket(CLAIMS, key), key.public_key()) == CLAIMS
