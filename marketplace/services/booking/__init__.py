"""Booking: placing, changing and cancelling bookings, and who may see or act on one.

The modules named in `__all__` are the package's public surface, the ones other packages may
import (tests/test_layers.py holds every import to it); the others are its own.
"""

__all__ = [
    "booking_access",
    "booking_events",
    "booking_lifecycle",
    "booking_queries",
    "booking_requests",
    "bookings",
    "cancellation_policy",
    "messages",
    "ticket_tokens",
    "tickets",
]
