"""Check-in: tickets, their signed codes, scans online and offline, guest lists and declarations.

The modules named in `__all__` are the package's public surface, the ones other packages may
import (tests/test_layers.py holds every import to it); the others are its own.
"""

__all__ = [
    "checkin",
    "checkin_sync",
    "checkin_undo",
    "guest_manifest",
]
