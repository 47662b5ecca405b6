"""CSV downloads: UTF-8 with a byte-order mark, so spreadsheet programs read Vietnamese.

A cell a spreadsheet would run as a formula gets a leading quote (CSV injection); each export
keeps the rule its users have always had.
"""

import csv
import io
from collections.abc import Iterable

from ...services.backoffice.registration import GuestRow
from ...services.backoffice.statistics import Table

REGISTRATION_HEADER = (
    "full_name",
    "date_of_birth",
    "nationality",
    "passport_number",
    "arrival",
    "departure",
    "room",
    "booking",
    "declared",
)


def csv_text(rows: Iterable[Iterable]) -> str:
    """The rows as CSV text, byte-order mark first."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return "\ufeff" + out.getvalue()


def safe_text(value: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading quote."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def registration_csv(rows: list[GuestRow]) -> str:
    """The foreign guests to declare, one line per guest."""
    lines = [REGISTRATION_HEADER]
    for r in rows:
        lines.append(
            [
                safe_text(r.guest.full_name),
                r.guest.date_of_birth.isoformat() if r.guest.date_of_birth else "",
                r.guest.nationality,
                safe_text(r.guest.passport_number or ""),
                r.arrival.isoformat(),
                r.departure.isoformat(),
                safe_text(r.room),
                r.reference,
                "yes" if r.guest.declared_at else "no",
            ]
        )
    return csv_text(lines)


def statistics_csv(table: Table) -> str:
    """One table of the visitor figures, its headers first."""
    body = (
        ["'" + c if isinstance(c, str) and c[:1] in "=+-@" else c for c in row]
        for row in table.rows
    )
    return csv_text([table.headers, *body])


def payout_cell(value) -> str | int:
    """A payout file's cell a spreadsheet will not run as a formula; numbers stay numbers."""
    if isinstance(value, int):
        return value
    text = str(value or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def payouts_csv(rows: Iterable[Iterable]) -> str:
    """Payout lists and the batch-transfer file, every cell through `payout_cell`."""
    return csv_text([payout_cell(v) for v in row] for row in rows)
