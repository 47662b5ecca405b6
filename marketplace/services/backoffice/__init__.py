"""The cooperative's back office: approvals at a glance, statistics, registration lists.

The modules named in `__all__` are the package's public surface, the ones other packages may
import (tests/test_layers.py holds every import to it); the others are its own.
"""

__all__ = [
    "closures",
    "cooperative",
    "declaration",
    "departure_moves",
    "host_bookings",
    "registration",
    "statistics",
]
