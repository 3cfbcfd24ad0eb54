"""Exports of lists: XLSX workbooks streamed from rows (openpyxl's write-only mode).

Every list page offers its rows as XLSX through `xlsx_response`: the same query the page
shows (already scoped to the user), headers in the user's language, dates as dd/mm/yyyy.
"""

import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

__all__ = ["XLSX_CONTENT_TYPE", "xlsx_bytes", "xlsx_response"]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DATE_FORMAT = "dd/mm/yyyy"
_DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# Excel's sheet titles: at most 31 characters, none of these.
_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def _cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, Decimal):
        value = float(value)
    elif isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        value = timezone.localtime(value).replace(tzinfo=None)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.datetime):
        cell.number_format = _DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = _DATE_FORMAT
    return cell


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Return a one-sheet workbook: a bold header row, then `rows` (str, numbers, dates)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(title).translate(_TITLE_FORBIDDEN)[:31] or "Sheet")
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """Return an XLSX download of `rows` named `filename` (without extension)."""
    response = HttpResponse(xlsx_bytes(title, headers, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
