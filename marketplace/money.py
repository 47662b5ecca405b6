"""VND as an integer: formatting through Babel, Stripe's zero-decimal rule in one place."""

from babel.numbers import format_currency

CURRENCY = "VND"


def ensure_vnd(amount: int) -> int:
    """Refuse anything but a whole number of dong (floats and bools included).

    Raises TypeError or ValueError.
    """
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"VND amounts are integers, got {type(amount).__name__}")
    if amount < 0:
        raise ValueError("VND amounts are not negative")
    return amount


def format_vnd(amount: int, locale: str = "vi") -> str:
    return format_currency(amount, CURRENCY, locale=locale, format_type="standard")


def to_stripe_amount(amount: int) -> int:
    """VND is zero-decimal at Stripe: the amount is the dong figure itself, never x100."""
    return ensure_vnd(amount)


def from_stripe_amount(amount: int) -> int:
    return int(amount)


def apply_percent(amount: int, percent: int) -> int:
    """`amount` changed by a whole percent, rounded half up to the dong, in integers only."""
    return (amount * (100 + percent) + 50) // 100


def share(amount: int, basis_points: int) -> int:
    """The part of `amount` at a rate in basis points, rounded half up, in integers only."""
    sign = -1 if amount < 0 else 1
    return sign * ((abs(amount) * basis_points + 5000) // 10000)
