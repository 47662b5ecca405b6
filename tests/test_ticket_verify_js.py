"""static/js/ticket-verify.js against tokens from the Python signer, run in Node.

Both Ed25519 paths are exercised: WebCrypto, and the vendored @noble/ed25519 fallback
(forced by making WebCrypto refuse Ed25519, as older browsers do).
"""

import base64
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from marketplace.services.booking.ticket_tokens import (
    TicketClaims,
    encode_claims,
    public_key_b64,
    sign_ticket,
)

ROOT = Path(__file__).resolve().parents[1]
MODULE_URL = (ROOT / "static" / "js" / "ticket-verify.js").as_uri()
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

# Reads {"forceFallback": bool, "publicKey": str, "tokens": [...]} on stdin and prints, per
# token, the decoded claims (or the decode error) and what verifyTicket answered.
DRIVER = """
import { readFileSync } from "node:fs";
const input = JSON.parse(readFileSync(0, "utf8"));
let refused = 0;
if (input.forceFallback) {
  const original = crypto.subtle.importKey.bind(crypto.subtle);
  crypto.subtle.importKey = async (format, key, algorithm, ...rest) => {
    if ((algorithm?.name ?? algorithm) === "Ed25519") {
      refused += 1;
      throw new DOMException("Ed25519 is not supported", "NotSupportedError");
    }
    return original(format, key, algorithm, ...rest);
  };
}
const { decodeTicket, verifyTicket } = await import(process.env.MODULE_URL);
const plain = (c) => c && {
  version: c.version, ticketId: c.ticketId, validFrom: c.validFrom, validUntil: c.validUntil,
  admits: c.admits, payload: Buffer.from(c.payload).toString("hex"),
  signatureLength: c.signature.length,
};
const results = [];
for (const token of input.tokens) {
  let decoded;
  try { decoded = plain(decodeTicket(token)); } catch (e) { decoded = { error: e.message }; }
  results.push({ decoded, verified: plain(await verifyTicket(token, input.publicKey)) });
}
let keyError = null;
try { await verifyTicket(input.tokens[0], "not-a-key"); } catch (e) { keyError = e.message; }
console.log(JSON.stringify({ results, refused, keyError }));
"""

KEY = Ed25519PrivateKey.generate()
CLAIMS = [
    TicketClaims(123_456, date(2025, 7, 1), date(2025, 7, 3), 4),
    TicketClaims(1, date(2020, 1, 1), date(2020, 1, 1), 1),
    TicketClaims(2**32 - 1, date(2024, 2, 29), date(2199, 6, 6), 255),
]


def _text(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _raw(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + "==")


def _expected(claims: TicketClaims) -> dict:
    return {
        "version": 1,
        "ticketId": claims.ticket_id,
        "validFrom": claims.valid_from.isoformat(),
        "validUntil": claims.valid_until.isoformat(),
        "admits": claims.admits,
        "payload": encode_claims(claims).hex(),
        "signatureLength": 64,
    }


def _run(tokens: list, *, force_fallback: bool = False, public_key: str | None = None) -> dict:
    completed = subprocess.run(
        [NODE, "--input-type=module", "-e", DRIVER],
        input=json.dumps(
            {
                "forceFallback": force_fallback,
                "publicKey": public_key or public_key_b64(KEY),
                "tokens": tokens,
            }
        ),
        capture_output=True,
        text=True,
        timeout=120,
        env={"MODULE_URL": MODULE_URL, "PATH": str(Path(NODE).parent)},
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _bit_flips(token: str) -> list[str]:
    raw = _raw(token)
    flipped = []
    for index in range(len(raw)):
        for bit in range(8):
            tampered = bytearray(raw)
            tampered[index] ^= 1 << bit
            flipped.append(_text(bytes(tampered)))
    return flipped


@pytest.mark.parametrize("force_fallback", [False, True], ids=["webcrypto", "noble"])
def test_genuine_tokens_give_the_same_claims(force_fallback):
    tokens = [sign_ticket(c, KEY) for c in CLAIMS]
    tokens.append(f"  {tokens[0]}\n")  # scanners may add whitespace
    out = _run(tokens, force_fallback=force_fallback)
    expected = [_expected(c) for c in CLAIMS] + [_expected(CLAIMS[0])]
    assert [r["decoded"] for r in out["results"]] == expected
    assert [r["verified"] for r in out["results"]] == expected
    assert out["refused"] == (1 if force_fallback else 0)
    assert out["keyError"] == "public key must be 32 bytes of base64url"


@pytest.mark.parametrize("force_fallback", [False, True], ids=["webcrypto", "noble"])
def test_tampered_tokens_give_null(force_fallback):
    genuine = sign_ticket(CLAIMS[0], KEY)
    tampered = _bit_flips(genuine)  # all 608 single-bit flips
    tampered.append(sign_ticket(CLAIMS[0], Ed25519PrivateKey.generate()))  # another key
    out = _run([genuine, *tampered], force_fallback=force_fallback)
    assert out["results"][0]["verified"] == _expected(CLAIMS[0])
    assert all(r["verified"] is None for r in out["results"][1:])


def test_wrong_public_key_gives_null():
    token = sign_ticket(CLAIMS[0], KEY)
    other = public_key_b64(Ed25519PrivateKey.generate())
    out = _run([token], public_key=other)
    assert out["results"][0]["decoded"] == _expected(CLAIMS[0])
    assert out["results"][0]["verified"] is None


def test_decode_errors_match_the_python_reasons():
    genuine = sign_ticket(CLAIMS[0], KEY)
    raw = _raw(genuine)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

    version_2 = b"\x02" + raw[1:12]
    reserved = raw[:10] + b"\x00\x01"
    cases = {
        "": "malformed",
        "hello": "malformed",
        "not a ticket, not even close": "malformed",
        genuine[:-1]: "malformed",
        genuine + "A": "malformed",
        genuine + "==": "malformed",
        "!" * 102: "malformed",
        # same bytes, but an unused low bit of the last character set
        genuine[:-1] + alphabet[alphabet.index(genuine[-1]) | 1]: "malformed",
        _text(version_2 + KEY.sign(version_2)): "unknown_version",
        _text(reserved + KEY.sign(reserved)): "malformed",
    }
    out = _run(list(cases))
    for (token, reason), result in zip(cases.items(), out["results"], strict=True):
        assert result["decoded"] == {"error": reason}, token
        assert result["verified"] is None
