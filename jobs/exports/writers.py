"""CSV and XLSX writers that take rows as they come and keep none of them.

Cells are plain text, numbers or dates; enums are written by value. A cell a
spreadsheet would run as a formula (starting with = + - @, tab or CR) is prefixed
with a quote, since register text is typed by clients (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO

import xlsxwriter

Cell = str | int | float | Decimal | date | datetime | enum.Enum | None
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _plain(value: Cell) -> str | float | None:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return float(value)
    return _text(value)


async def csv_chunks(
    header: Sequence[str], rows: AsyncIterator[Sequence[Cell]]
) -> AsyncIterator[str]:
    """UTF-8 CSV (RFC 4180), one chunk per row."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")

    def take(values: Sequence[object]) -> str:
        writer.writerow(values)
        chunk = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return chunk

    yield take(header)
    async for row in rows:
        cells = [_plain(v) for v in row]
        yield take(["" if c is None else (f"{c:g}" if isinstance(c, float) else c) for c in cells])


async def write_xlsx(
    out: IO[bytes], sheet: str, header: Sequence[str], rows: AsyncIterator[Sequence[Cell]]
) -> int:
    """An XLSX workbook of one sheet; constant_memory flushes each row to disk as written."""
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False})
    try:
        bold = book.add_format({"bold": True})
        ws = book.add_worksheet(sheet)
        ws.write_row(0, 0, list(header), bold)
        count = 0
        async for row in rows:
            count += 1
            for col, value in enumerate(row):
                cell = _plain(value)
                if cell is not None:
                    ws.write(count, col, cell)
    finally:
        book.close()
    return count
