"""Money: payments by card, transfer and at arrival, refunds, the ledger, payouts, bank statements.

The modules named in `__all__` are the package's public surface, the ones other packages may
import (tests/test_layers.py holds every import to it); the others are its own.
"""

__all__ = [
    "bank_matching",
    "bank_statements",
    "bank_transfers",
    "cancellations",
    "host_payments",
    "ledger",
    "money_rules",
    "money_settings",
    "payment_events",
    "payment_status",
    "payments",
    "payouts",
    "refund_check",
    "refund_queue",
    "stripe_reconcile",
    "transfer_details",
]
