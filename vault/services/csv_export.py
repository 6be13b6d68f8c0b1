"""Lists as CSV files for spreadsheets: the register's lists, the alarm history.

UTF-8 with a byte-order mark (so Excel reads the Chinese), CRLF lines, streamed in pieces, and
every cell a spreadsheet would run as a formula written after an "'" (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO

# A cell starting with one of these is a formula to Excel and LibreOffice: written after an "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Column = str | tuple[str, str]  # a row key, or (row key, column heading)


def csv_chunks(rows: Iterable[dict], columns: Sequence[Column]) -> Iterator[bytes]:
    """A CSV file in pieces: UTF-8 with a byte-order mark (so Excel reads the Chinese), CRLF
    lines, and every cell that a spreadsheet would run as a formula written after an "'"."""
    keys = [c if isinstance(c, str) else c[0] for c in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_cell(c if isinstance(c, str) else c[1]) for c in columns])
    yield b"\xef\xbb\xbf"
    for n, row in enumerate(rows, start=1):
        writer.writerow([_cell(row.get(key)) for key in keys])
        if n % 500 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_csv(rows: Iterable[dict], columns: Sequence[Column], out: BinaryIO) -> int:
    """Write `rows` to the binary stream `out` as CSV (see `csv_chunks`); return how many."""
    counted = 0

    def counting() -> Iterator[dict]:
        nonlocal counted
        for row in rows:
            counted += 1
            yield row

    for chunk in csv_chunks(counting(), columns):
        out.write(chunk)
    return counted


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets an apostrophe."""
    return _cell(value)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
