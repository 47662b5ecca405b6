"""Link bookings made without an account to the account later made with the same email.

Only once that email is confirmed: the rule lives in `accounts.attach_guest_bookings`.
"""

from ..accounts.accounts import attach_booking, attach_guest_bookings

__all__ = ["attach_booking", "attach_guest_bookings"]
