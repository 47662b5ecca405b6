"""Booking references: the one format, e.g. HL-7K3Q9X.

Two letters of the community (`Community.reference_prefix`), a dash, six characters that cannot
be misread aloud. Everything that makes, reads or recognises a reference uses what is here:
placing a booking (`new_reference`), the pages and the scanner's typed entry
(`normalize_reference`, `is_reference`), bank memos (`find_references`, `MEMO_RE`), and the
scanner's offline check, which receives `scanner_rule()` with every manifest.
"""

import re
import secrets

from sqlalchemy.exc import IntegrityError

#: no 0/O, 1/I/L: a reference is read over the phone and typed into a bank memo
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 6
#: the community's letters
PREFIX_LENGTH = 2
#: longest text worth reading as a typed reference (spaces and dashes included)
MAX_TYPED = 16

#: a whole reference, as stored (also valid as a JavaScript regular expression)
PATTERN = rf"^[A-Z]{{{PREFIX_LENGTH}}}-[{ALPHABET}]{{{LENGTH}}}$"
REFERENCE_RE = re.compile(PATTERN)
#: a reference inside a bank memo: an optional dash or space, not part of a longer word
MEMO_RE = re.compile(
    rf"(?<![A-Z0-9])([A-Z]{{{PREFIX_LENGTH}}})[- ]?([{ALPHABET}]{{{LENGTH}}})(?![A-Z0-9])"
)


def format_reference(prefix: str, code: str) -> str:
    return f"{prefix.upper()}-{code.upper()}"


def new_reference(prefix: str) -> str:
    """A random reference such as HL-7K3Q9X. It is not looked up first: the booking's UNIQUE
    reference refuses the rare clash (`reference_taken`), and the booking is placed again."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return format_reference(prefix, code)


def reference_taken(error: IntegrityError) -> bool:
    """Whether an INSERT was refused because its booking reference exists (PostgreSQL names the
    constraint, SQLite the column)."""
    message = str(error.orig)
    return "uq_booking_reference" in message or "booking.reference" in message


def normalize_reference(text: str) -> str:
    """What a person typed, read as a reference: upper case, spaces and dashes dropped, the dash
    put back after the prefix. Text of another length is only stripped and upper-cased."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isascii() and ch.isalnum())
    if len(cleaned) == PREFIX_LENGTH + LENGTH:
        return format_reference(cleaned[:PREFIX_LENGTH], cleaned[PREFIX_LENGTH:])
    return (text or "").strip().upper()


def is_reference(text: str) -> bool:
    """Whether `text`, as typed, names a booking reference (rather than a QR token)."""
    text = text or ""
    if len(text.strip()) > MAX_TYPED:
        return False
    return REFERENCE_RE.match(normalize_reference(text)) is not None


def find_references(memo: str) -> list[str]:
    """References written in a memo (upper or lower case, dash or not), in order of appearance."""
    return [format_reference(p, c) for p, c in MEMO_RE.findall((memo or "").upper())]


def scanner_rule() -> dict:
    """The format as the scanner downloads it with the manifest: it normalises typed text the
    same way (upper case, keep letters and digits, dash after `prefix_length` when there are
    `prefix_length + length` of them) and tests `pattern`."""
    return {
        "pattern": PATTERN,
        "prefix_length": PREFIX_LENGTH,
        "length": LENGTH,
        "max_length": MAX_TYPED,
    }
