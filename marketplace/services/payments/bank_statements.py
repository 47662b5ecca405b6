"""Reading the statement exports of Vietnamese banks (CSV or XLSX) into credit lines.

Banks put title rows above the table, name columns in Vietnamese, English or both, split money
into debit and credit columns and write thousands with dots or commas. So the header row is
found by its column names, debit lines are skipped and counted, amounts are parsed with Babel
into whole dong. Nothing is written here: `bank_transfers` imports the lines.
"""

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from babel.numbers import NumberFormatError
from flask_babel import gettext as _

from ...clock import BUSINESS_TZ
from ...money import parse_vnd
from ..shared.errors import ServiceError

#: the largest amount a transfer line may carry (the amount column is a PostgreSQL integer)
MAX_TRANSFER = 2**31 - 1
#: how far down a title block may push the header row
HEADER_SEARCH_ROWS = 40
#: the largest statement read (rows), so a huge upload is refused rather than read for minutes
MAX_ROWS = 20_000

#: column names as banks write them, without accents (see `_plain`), most specific first
COLUMNS = {
    "transfer_id": tuple(
        (
            "so tham chieu|ma gd|ma giao dich|so giao dich|so gd|so but toan|"
            "so chung tu|so ct|transfer id|transaction id|transaction no|"
            "reference number|reference no|ref no|reference|id"
        ).split("|")
    ),
    "credit": tuple(
        (
            "so tien ghi co|ghi co|so tien co|phat sinh co|co tktt|tien gui vao|"
            "gui vao|co|credit|credit amount"
        ).split("|")
    ),
    "debit": tuple(
        (
            "so tien ghi no|ghi no|so tien no|phat sinh no|no tktt|tien rut ra|"
            "rut ra|no|debit|debit amount"
        ).split("|")
    ),
    #: one signed column instead of debit and credit (negative: money out)
    "amount": tuple("so tien|amount|transferamount|so tien giao dich".split("|")),
    "memo": tuple(
        (
            "noi dung chi tiet|noi dung giao dich|noi dung|mo ta giao dich|mo ta|"
            "dien giai|chi tiet giao dich|memo|description|transaction description|"
            "content|details"
        ).split("|")
    ),
    "occurred_at": tuple(
        (
            "ngay giao dich|ngay gd|ngay hieu luc|ngay hach toan|"
            "thoi gian giao dich|thoi gian|ngay|transaction date|effective date|"
            "date|occurred at|when"
        ).split("|")
    ),
}


@dataclass
class StatementLine:
    """One credit line: money in, to be matched to a booking."""

    line: int
    transfer_id: str
    amount: int
    memo: str
    occurred_at: datetime | None
    raw: dict = field(default_factory=dict)


@dataclass
class ParsedStatement:
    lines: list[StatementLine]
    #: money going out of the account: not ours to match
    debits_skipped: int = 0
    #: rows with no money in them (balances, totals, blank separators)
    other_skipped: int = 0
    header_row: int = 1

    def to_dict(self) -> dict:
        """Plain data, to carry a previewed statement to its confirmation."""
        return {
            "lines": [
                [
                    line.line,
                    line.transfer_id,
                    line.amount,
                    line.memo,
                    line.occurred_at.isoformat() if line.occurred_at else None,
                    line.raw,
                ]
                for line in self.lines
            ],
            "debits": self.debits_skipped,
            "other": self.other_skipped,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ParsedStatement":
        """The statement `to_dict` gave; ServiceError `invalid_statement` when it is not one."""
        try:
            lines = [
                StatementLine(
                    int(n),
                    str(tid)[:80],
                    int(amount),
                    str(memo),
                    datetime.fromisoformat(when) if when else None,
                    dict(raw),
                )
                for n, tid, amount, memo, when, raw in data["lines"]
            ]
            if any(not 0 < line.amount <= MAX_TRANSFER or not line.transfer_id for line in lines):
                raise ValueError("amount")
            return cls(lines, int(data["debits"]), int(data["other"]))
        except (KeyError, TypeError, ValueError):
            raise ServiceError(
                _("The preview could not be read: upload the statement again."),
                "invalid_statement",
                "file",
            ) from None


def _plain(text) -> str:
    """Lowercase, accents and "đ" removed, spaces collapsed: "Số tiền ghi có" → "so tien ghi co"."""
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "d")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[\s_]+", " ", re.sub(r"[().:*]", " ", text)).strip()


def _names_of(cell) -> list[str]:
    """A header cell's names: bilingual cells ("Có/Credit", two lines) give each part."""
    whole = _plain(cell)
    parts = [_plain(p) for p in re.split(r"[/\n]", str(cell or ""))]
    return [whole, *[p for p in parts if p and p != whole]]


def _column_index(header: list) -> dict[str, int | None]:
    """Each known column's position in `header`; a cell serves one column only."""
    names = [_names_of(cell) for cell in header]
    index: dict[str, int | None] = {}
    taken: set[int] = set()
    for column, aliases in COLUMNS.items():
        index[column] = None
        for alias in aliases:  # the most specific alias first
            found = next(
                (i for i, cell in enumerate(names) if i not in taken and _names(cell, alias)),
                None,
            )
            if found is not None:
                index[column] = found
                taken.add(found)
                break
    return index


def _names(names: list[str], alias: str) -> bool:
    """A cell is named `alias`, or a longer name starting with it ("noi dung ck")."""
    return any(n == alias or (len(alias) > 4 and n.startswith(alias + " ")) for n in names)


def _usable(index: dict[str, int | None]) -> bool:
    money = index["credit"] is not None or index["amount"] is not None
    return money and index["memo"] is not None


def _find_header(rows: list[list]) -> tuple[int, dict[str, int | None]]:
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        index = _column_index(row)
        if _usable(index):
            return number, index
    raise ServiceError(
        _(
            "No header row with the columns of a statement was found: it needs the credit "
            "amount (Số tiền ghi có / Có / Amount) and the description (Nội dung / Mô tả)."
        ),
        "invalid_statement",
        "file",
    )


def parse_amount(value) -> int | None:
    """Whole dong from a cell ("1.500.000", "1,500,000.00", "-50.000 VND"); None when empty,
    ValueError for a value that is no amount."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        number = Decimal(str(value))
    else:
        text = re.sub(r"(?i)vnd|đ|d$|\s", "", str(value))
        negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
        text = text.strip("-+()")
        if not text:
            return None
        number = Decimal(parse_vnd(text, _locale_of(text)))  # one reading of typed amounts
        number = -number if negative else number
    if number != number.to_integral_value():
        raise ValueError(value)  # dong have no decimals: a misread column
    return int(number)


def _locale_of(text: str) -> str:
    """Which way the thousands are separated: "vi" writes 1.500.000,00, "en" 1,500,000.00.

    Dong have no fractional part, so one separator followed by three digits groups thousands.
    """
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        return "vi" if text.rfind(",") > text.rfind(".") else "en"
    if dots:
        return "vi" if dots > 1 or re.search(r"\.\d{3}$", text) else "en"
    if commas:
        return "en" if commas > 1 or re.search(r",\d{3}$", text) else "vi"
    return "en"


def parse_when(value: str) -> datetime | None:
    """The one reading of a bank's date, for statement files and bank notifications alike."""
    value = (value or "").strip()
    for pattern in (
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y",
        "%d-%m-%Y",
    ):
        try:
            return datetime.strptime(value[:19], pattern).replace(tzinfo=BUSINESS_TZ)
        except ValueError:
            continue
    return None


def _when(value) -> datetime | None:
    if isinstance(value, datetime):
        return parse_when(value.strftime("%Y-%m-%d %H:%M:%S"))
    if isinstance(value, date):
        return parse_when(value.isoformat())
    return parse_when(str(value or "").strip())


def _cell(row: list, i: int | None):
    return row[i] if i is not None and i < len(row) else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _bad_line(number: int):
    return ServiceError(
        _("Line %(line)s has an amount that cannot be read.", line=number),
        "invalid_statement",
        "file",
    )


def parse_rows(rows: list[list]) -> ParsedStatement:
    """Credit lines of a statement given as rows of cells (title rows allowed above the header).

    Raises ServiceError `invalid_statement` (field file) when no header is found or an amount
    cannot be read; nothing has been written then.
    """
    if len(rows) > MAX_ROWS:
        raise ServiceError(
            _("The statement has more than %(count)s rows.", count=MAX_ROWS),
            "invalid_statement",
            "file",
        )
    start, index = _find_header(rows)
    header = [_text(h) for h in rows[start]]
    parsed = ParsedStatement(lines=[], header_row=start + 1)
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        if not any(_text(c) for c in row):
            continue
        try:
            credit = parse_amount(_cell(row, index["credit"]))
            debit = parse_amount(_cell(row, index["debit"]))
            signed = parse_amount(_cell(row, index["amount"]))
        except (ValueError, NumberFormatError, ArithmeticError):
            raise _bad_line(number) from None
        if credit is None and signed is not None:
            credit, debit = (signed, debit) if signed >= 0 else (None, -signed)
        if not credit:
            if debit:
                parsed.debits_skipped += 1
            else:
                parsed.other_skipped += 1
            continue
        if credit < 0 or credit > MAX_TRANSFER:
            raise _bad_line(number)
        memo = _text(_cell(row, index["memo"]))
        when_cell = _cell(row, index["occurred_at"])
        transfer_id = _text(_cell(row, index["transfer_id"]))[:80]
        if not transfer_id:
            if not _text(when_cell):  # no reference and no date: a total row, not a transfer
                parsed.other_skipped += 1
                continue
            transfer_id = _fingerprint(when_cell, credit, memo, seen)
        parsed.lines.append(
            StatementLine(
                line=number,
                transfer_id=transfer_id,
                amount=credit,
                memo=memo,
                occurred_at=_when(when_cell),
                raw={
                    h or str(i): _text(v) for i, (h, v) in enumerate(zip(header, row, strict=False))
                },
            )
        )
    return parsed


def _fingerprint(when, amount: int, memo: str, seen: dict[str, int]) -> str:
    """A stable id for a bank that prints no reference: importing the file again finds it."""
    key = f"{_text(when)}|{amount}|{memo}"
    seen[key] = seen.get(key, 0) + 1
    return "h:" + hashlib.sha256(f"{key}|{seen[key]}".encode()).hexdigest()[:24]


def read_csv(text: str) -> list[list]:
    """Rows of a CSV export, split by the separator (comma, semicolon, tab) that yields a header."""
    text = text.lstrip("\ufeff")
    first = None
    for delimiter in ",;\t":
        rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
        first = first if first is not None else rows
        if any(_usable(_column_index(r)) for r in rows[:HEADER_SEARCH_ROWS]):
            return rows
    return first


def read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is no workbook
        raise ServiceError(
            _("The file is not a readable Excel workbook (.xlsx)."), "invalid_statement", "file"
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS:
                break
        return rows
    finally:
        book.close()


def decode(raw: bytes) -> str:
    """Text of a CSV export: UTF-8 (with or without BOM), else the Windows Vietnamese code page."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1258", errors="replace")


def parse_upload(filename: str, raw: bytes) -> ParsedStatement:
    """A statement file as uploaded: XLSX by its name or its zip signature, else CSV."""
    if not raw.strip():
        raise ServiceError(_("The statement is empty."), "invalid_statement", "file")
    if filename.lower().endswith((".xlsx", ".xlsm")) or raw[:2] == b"PK":
        return parse_rows(read_xlsx(raw))
    if filename.lower().endswith(".xls"):
        raise ServiceError(
            _("Save the statement as .xlsx or .csv: the old .xls format cannot be read."),
            "invalid_statement",
            "file",
        )
    return parse_rows(read_csv(decode(raw)))
