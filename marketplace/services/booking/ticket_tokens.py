"""Signed ticket tokens: what a ticket's QR code holds, checkable offline by a scanner.

A scanner at a homestay or on a tour boat often has no signal, so the token carries its
own claims and an Ed25519 signature; the scanner only needs the public key.

Token layout, version 1 (76 bytes, base64url without padding: exactly 102 characters):

    offset  size  field
    0       1     version, 1
    1       4     ticket id, unsigned big endian, 1 .. 2**32 - 1
    5       2     valid_from, days since 2020-01-01, unsigned big endian
    7       2     valid_until, same encoding, >= valid_from
    9       1     admits (people), 1 .. 255
    10      2     reserved, zero (room for a key id when keys rotate)
    12      64    Ed25519 signature over bytes 0-11

`static/js/ticket-verify.js` decodes the same layout in the browser: change both together,
with a new version byte.

Checks run in this order, in both implementations: length and base64url alphabet, canonical
encoding (unused low bits of the last character zero) -> "malformed"; version byte ->
"unknown_version"; reserved bytes, zero ids/admits, valid_until before valid_from ->
"malformed"; signature -> "bad_signature". A token from a later version with another length
is therefore "malformed" to this code.
"""

import base64
import binascii
import os
import re
import struct
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

VERSION = 1
EPOCH = date(2020, 1, 1)
PAYLOAD_LENGTH = 12
SIGNATURE_LENGTH = 64
TOKEN_BYTES = PAYLOAD_LENGTH + SIGNATURE_LENGTH
#: 76 bytes in base64url without padding
TOKEN_LENGTH = 102
KEY_FILE_NAME = "ticket_signing_key"

MAX_TICKET_ID = 2**32 - 1
MAX_ADMITS = 255
LAST_DAY = EPOCH + timedelta(days=2**16 - 1)

_PAYLOAD = struct.Struct(">BIHHBH")
_TOKEN_RE = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")
_B64URL_RE = re.compile(r"[A-Za-z0-9_-]*={0,2}")
_HEX_KEY_RE = re.compile(r"[0-9a-fA-F]{64}")


class InvalidTicketToken(Exception):
    """A token that must not admit anyone; `reason` is one of the REASONS."""

    REASONS = ("malformed", "bad_signature", "unknown_version")

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TicketClaims:
    """What a ticket grants: `admits` people, any day from valid_from to valid_until inclusive."""

    ticket_id: int
    valid_from: date
    valid_until: date
    admits: int

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_until


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    """Strict base64url, padding optional. Raises ValueError."""
    if not _B64URL_RE.fullmatch(text):
        raise ValueError("not base64url")
    bare = text.rstrip("=")
    try:
        raw = base64.b64decode(bare + "=" * (-len(bare) % 4), altchars=b"-_", validate=True)
    except binascii.Error as exc:
        raise ValueError("not base64url") from exc
    if _b64encode(raw) != bare:
        # unused low bits set: another spelling of the same bytes
        raise ValueError("not canonical base64url")
    return raw


def _day_number(day: date, name: str) -> int:
    # datetime is a date subclass whose time part would be dropped without a word
    if isinstance(day, datetime) or not isinstance(day, date):
        raise ValueError(f"{name} must be a date, got {type(day).__name__}")
    if not EPOCH <= day <= LAST_DAY:
        raise ValueError(f"{name} must be between {EPOCH} and {LAST_DAY}, got {day}")
    return (day - EPOCH).days


def _check_int(value: int, name: str, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an int, got {type(value).__name__}")
    if not 1 <= value <= high:
        raise ValueError(f"{name} must be between 1 and {high}, got {value}")
    return value


def encode_claims(claims: TicketClaims) -> bytes:
    """The 12 signed bytes for `claims`.

    Raises ValueError for a ticket id outside 1..2**32-1, admits outside 1..255, dates that
    are not plain dates within 2020-01-01 + 65535 days, or valid_until before valid_from.
    """
    ticket_id = _check_int(claims.ticket_id, "ticket_id", MAX_TICKET_ID)
    admits = _check_int(claims.admits, "admits", MAX_ADMITS)
    start = _day_number(claims.valid_from, "valid_from")
    end = _day_number(claims.valid_until, "valid_until")
    if end < start:
        raise ValueError(
            f"valid_until {claims.valid_until} is before valid_from {claims.valid_from}"
        )
    return _PAYLOAD.pack(VERSION, ticket_id, start, end, admits, 0)


def sign_ticket(claims: TicketClaims, private_key: Ed25519PrivateKey) -> str:
    """The 102-character token for `claims`, signed with `private_key`.

    Raises ValueError for claims that do not fit the layout (see `encode_claims`).
    """
    payload = encode_claims(claims)
    return _b64encode(payload + private_key.sign(payload))


def _decode_claims(payload: bytes) -> TicketClaims:
    """Structural checks on the unsigned bytes. Raises InvalidTicketToken."""
    version, ticket_id, start, end, admits, reserved = _PAYLOAD.unpack(payload)
    if version != VERSION:
        raise InvalidTicketToken("unknown_version")
    if reserved != 0 or ticket_id == 0 or admits == 0 or end < start:
        raise InvalidTicketToken("malformed")
    return TicketClaims(
        ticket_id=ticket_id,
        valid_from=EPOCH + timedelta(days=start),
        valid_until=EPOCH + timedelta(days=end),
        admits=admits,
    )


def verify_ticket(token: str, public_key: Ed25519PublicKey | Ed25519PrivateKey) -> TicketClaims:
    """The claims of a genuine token; surrounding whitespace is ignored.

    Validity dates are not compared with today: that is the caller's rule
    (`TicketClaims.is_valid_on`). A private key is accepted for server-side checks.

    Raises InvalidTicketToken, and nothing else, for any token that is not genuine:
    reason "malformed" (not text, wrong length, not canonical base64url, bad fields),
    "unknown_version", or "bad_signature". Raises TypeError for a key that is not Ed25519.
    """
    if isinstance(public_key, Ed25519PrivateKey):
        public_key = public_key.public_key()
    if not isinstance(public_key, Ed25519PublicKey):
        raise TypeError("verify_ticket needs an Ed25519 key")
    if not isinstance(token, str):
        raise InvalidTicketToken("malformed")
    token = token.strip()
    if not _TOKEN_RE.fullmatch(token):
        raise InvalidTicketToken("malformed")
    try:
        raw = _b64decode(token)
    except ValueError:
        raise InvalidTicketToken("malformed") from None
    payload, signature = raw[:PAYLOAD_LENGTH], raw[PAYLOAD_LENGTH:]
    claims = _decode_claims(payload)
    try:
        public_key.verify(signature, payload)
    except InvalidSignature:
        raise InvalidTicketToken("bad_signature") from None
    return claims


def _private_key_from_text(text: str) -> Ed25519PrivateKey:
    """Raw 32-byte key as base64url (padding optional) or 64 hex digits. Raises ValueError."""
    text = text.strip()
    # the key itself is never put in an error message
    try:
        raw = bytes.fromhex(text) if _HEX_KEY_RE.fullmatch(text) else _b64decode(text)
    except ValueError:
        raise ValueError("ticket signing key is neither base64url nor hex") from None
    if len(raw) != 32:
        raise ValueError(f"ticket signing key must be 32 raw bytes, got {len(raw)}")
    return Ed25519PrivateKey.from_private_bytes(raw)


def _create_key_file(path: Path) -> None:
    """Write a new key to `path` (mode 0600) unless another process got there first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file 0600; link() publishes it whole and never overwrites
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".ticket_key.")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(generate_private_key_text() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp_name, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp_name)


def load_private_key(value: str | None, instance_path: str) -> Ed25519PrivateKey:
    """The ticket signing key: from `value` (configuration), else from the instance folder.

    With `value` None the key is read from `instance_path/ticket_signing_key`, which is
    created (mode 0600) on first use so a development key survives restarts. Production
    sets the key in configuration so every worker and host shares it.

    Raises ValueError for a value or file that is not a 32-byte key in base64url or hex,
    OSError when the key file cannot be read or created.
    """
    if value is not None:
        return _private_key_from_text(value)
    path = Path(instance_path) / KEY_FILE_NAME
    if not path.exists():
        _create_key_file(path)
    return _private_key_from_text(path.read_text(encoding="ascii"))


def generate_private_key_text() -> str:
    """A fresh private key as base64url (43 characters), for configuration or the key file."""
    return _b64encode(Ed25519PrivateKey.generate().private_bytes_raw())


def public_key_b64(private_key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The raw 32-byte public key, base64url without padding: what scanners are given."""
    if isinstance(private_key, Ed25519PrivateKey):
        private_key = private_key.public_key()
    return _b64encode(private_key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def load_public_key(text: str) -> Ed25519PublicKey:
    """The public key from `public_key_b64` output.

    Raises ValueError when `text` is not 32 bytes of base64url.
    """
    try:
        raw = _b64decode(text.strip())
    except ValueError:
        raise ValueError("public key is not base64url") from None
    if len(raw) != 32:
        raise ValueError(f"public key must be 32 raw bytes, got {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)
