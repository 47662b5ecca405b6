"""Phone numbers as people type them, kept in E.164 ("+84912345678") whenever the country is known."""

import re

import phonenumbers

#: numbers written without a country code are Vietnamese ones
DEFAULT_REGION = "VN"
#: what a number may be written with: digits, a leading +, spaces, brackets, dots and dashes
_SHAPE_RE = re.compile(r"^\+?[0-9 ().-]{8,20}$")
_MIN_DIGITS = 8


def parse_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """The number in E.164, read as `region`'s when it has no country code.

    A number written in another country's own national way ("0151 23456789") is no possible
    number of `region`, and cannot be told apart from a wrong one: it is kept as typed, since
    the host can still call it.

    Raises ValueError for text that is no phone number.
    """
    text = (text or "").strip()
    if not _SHAPE_RE.match(text) or sum(ch.isdigit() for ch in text) < _MIN_DIGITS:
        raise ValueError(text)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if text.startswith("+"):
        raise ValueError(text)  # a country code followed by too few or too many digits
    return text
