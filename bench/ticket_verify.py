"""Cost of checking one ticket token on the server: `.venv/bin/python bench/ticket_verify.py`.

Prints microseconds per `verify_ticket` call (base64url decode, field checks, Ed25519
verify) over N genuine tokens, plus the signing cost for comparison.
"""

import sys
import time
from datetime import date, timedelta
from pathlib import Path

# run as a script from anywhere: the project root holds config.py and the package
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from marketplace.services.booking.ticket_tokens import (  # noqa: E402
    TicketClaims,
    sign_ticket,
    verify_ticket,
)

N = 5000


def main() -> None:
    key = Ed25519PrivateKey.generate()
    public_key = key.public_key()
    start = date(2025, 7, 1)
    claims = [
        TicketClaims(
            ticket_id=i + 1, valid_from=start, valid_until=start + timedelta(days=2), admits=2
        )
        for i in range(N)
    ]

    began = time.perf_counter()
    tokens = [sign_ticket(c, key) for c in claims]
    sign_seconds = time.perf_counter() - began

    for token in tokens[:100]:  # warm-up
        verify_ticket(token, public_key)
    began = time.perf_counter()
    for token in tokens:
        verify_ticket(token, public_key)
    verify_seconds = time.perf_counter() - began

    print(f"tokens: {N}, {len(tokens[0])} characters each")
    print(f"sign:   {sign_seconds / N * 1e6:8.1f} µs per token")
    print(
        f"verify: {verify_seconds / N * 1e6:8.1f} µs per token ({N / verify_seconds:,.0f} per second)"
    )


if __name__ == "__main__":
    main()
