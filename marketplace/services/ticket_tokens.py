"""Signed ticket tokens: a compact binary payload and its Ed25519 signature, base64url.

Layout (74 bytes before base64url, 99 characters after): version (1), ticket id (uint32),
first valid day and last valid day (uint16 days since 2020-01-01 each), admits (uint8), then the
64-byte signature over those 10 bytes. Small enough for QR version 6 at error correction M.
"""

import base64
import struct
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

VERSION = 1
EPOCH = date(2020, 1, 1)
_PAYLOAD = struct.Struct(">BIHHB")
SIGNATURE_BYTES = 64
TOKEN_BYTES = _PAYLOAD.size + SIGNATURE_BYTES
DEV_KEY_FILE = "ticket_signing_key.pem"


class InvalidTicketToken(ValueError):
    """Forged, tampered, truncated, oversized or otherwise unreadable."""


@dataclass(frozen=True)
class TicketClaims:
    ticket_id: int
    valid_from: date
    valid_until: date
    admits: int


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_ticket(claims: TicketClaims, private_key: Ed25519PrivateKey) -> str:
    payload = _PAYLOAD.pack(
        VERSION,
        claims.ticket_id,
        (claims.valid_from - EPOCH).days,
        (claims.valid_until - EPOCH).days,
        claims.admits,
    )
    return _b64encode(payload + private_key.sign(payload))


def verify_ticket(token: str, public_key: Ed25519PublicKey) -> TicketClaims:
    """The claims of a genuine token. Raises InvalidTicketToken for anything else."""
    if not isinstance(token, str) or len(token) != (TOKEN_BYTES * 4 + 2) // 3:
        raise InvalidTicketToken("wrong length")
    try:
        raw = _b64decode(token)
    except (ValueError, TypeError) as exc:
        raise InvalidTicketToken("not base64url") from exc
    if len(raw) != TOKEN_BYTES or _b64encode(raw) != token:
        raise InvalidTicketToken("wrong length")
    payload, signature = raw[: _PAYLOAD.size], raw[_PAYLOAD.size :]
    try:
        public_key.verify(signature, payload)
    except InvalidSignature as exc:
        raise InvalidTicketToken("bad signature") from exc
    version, ticket_id, first, last, admits = _PAYLOAD.unpack(payload)
    if version != VERSION:
        raise InvalidTicketToken("unknown version")
    return TicketClaims(
        ticket_id, EPOCH + timedelta(days=first), EPOCH + timedelta(days=last), admits
    )


def load_private_key(value: str | None, instance_path: str) -> Ed25519PrivateKey:
    """The key from `value` (PEM, or 32 raw bytes as base64url); else a development key kept
    under `instance_path` (made on first use)."""
    if value:
        value = value.strip()
        if value.startswith("-----BEGIN"):
            return serialization.load_pem_private_key(value.encode(), password=None)
        return Ed25519PrivateKey.from_private_bytes(_b64decode(value))
    path = Path(instance_path) / DEV_KEY_FILE
    if path.exists():
        return serialization.load_pem_private_key(path.read_bytes(), password=None)
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    return key


def public_key_b64(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return _b64encode(raw)
