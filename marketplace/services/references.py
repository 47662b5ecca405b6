"""Booking references: a community prefix and characters that cannot be misread aloud."""

import secrets

from sqlalchemy import select

from ..extensions import db
from ..models import Booking

#: no 0/O, 1/I/L: a reference is read over the phone and typed into a bank memo
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 6


def new_reference(prefix: str) -> str:
    """A fresh, unused reference such as HL-7K3Q9X."""
    while True:
        reference = f"{prefix}-{''.join(secrets.choice(ALPHABET) for _ in range(LENGTH))}"
        if db.session.scalar(select(Booking.id).where(Booking.reference == reference)) is None:
            return reference


def normalize_reference(text: str) -> str:
    """What a person typed, read as a reference: upper case, look-alikes mapped, dash restored."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(cleaned) == 2 + LENGTH:
        return f"{cleaned[:2]}-{cleaned[2:]}"
    return (text or "").strip().upper()
