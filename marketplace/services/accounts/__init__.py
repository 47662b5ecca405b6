"""Accounts: sign-up, sign-in tokens, API tokens, two-factor.

The modules named in `__all__` are the package's public surface, the ones other packages may
import (tests/test_layers.py holds every import to it); the others are its own.
"""

__all__ = [
    "account_tokens",
    "accounts",
    "api_tokens",
    "two_factor",
]
