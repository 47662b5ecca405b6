"""XLSX downloads: the temporary-residence declaration and the bank's batch-transfer file."""

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ...services.backoffice.declaration import HEADERS, DeclarationLine
from .csv_files import payout_cell

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DECLARATION_SHEET = "Khai báo tạm trú"
DECLARATION_WIDTHS = (28, 9, 12, 18, 16, 12, 15, 48)
BATCH_SHEET = "ChuyenTienTheoLo"
BATCH_WIDTHS = (6, 22, 30, 24, 16, 50)


def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def declaration_xlsx(declaration: list[DeclarationLine]) -> bytes:
    """The declaration as the portal takes it: one bold header row, one row per guest, text."""
    book = Workbook()
    sheet = book.active
    sheet.title = DECLARATION_SHEET
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in declaration:
        sheet.append([None] * len(HEADERS))
        for column, value in enumerate(line.cells(), start=1):
            cell = sheet.cell(row=sheet.max_row, column=column)
            # always text: a name or number starting with "=" must never become a formula
            cell.value = value
            cell.data_type = "s"
    for column, width in enumerate(DECLARATION_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    return _saved(book)


def batch_transfer_xlsx(header: Iterable[str], rows: Iterable[Iterable]) -> bytes:
    """The month's payouts as the bank's batch-transfer screen imports them: one sheet, the
    header row, then one transfer a row (No., account number, name, bank, amount, content)."""
    book = Workbook()
    sheet = book.active
    sheet.title = BATCH_SHEET
    sheet.append(tuple(header))
    for row in rows:
        sheet.append([payout_cell(v) for v in row])
    for cell in sheet["B"][1:]:  # account numbers keep their leading zeros as text
        cell.number_format = "@"
    for column, width in zip("ABCDEF", BATCH_WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    return _saved(book)
