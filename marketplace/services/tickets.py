"""Tickets: issued when a booking is confirmed, voided when it is cancelled."""

from datetime import datetime


def issue_for_booking(booking, *, now: datetime | None = None) -> None:
    """Create one ticket per booking item (in the caller's transaction)."""


def void_for_booking(booking) -> None:
    """Void the booking's tickets (in the caller's transaction)."""
