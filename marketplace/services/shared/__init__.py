"""What every domain leans on: error types, row locks, the outbox, the audit trail, mail delivery.

The modules named in `__all__` are the package's public surface, the ones other packages may
import (tests/test_layers.py holds every import to it); the others are its own.
"""

__all__ = [
    "audit",
    "errors",
    "locks",
    "mail_delivery",
    "outbox",
    "references",
    "values",
]
