"""A table report, as one value that the web page, the CSV file and the PDF file all read.

Stocktakes, destruction certificates, custody histories and alarm statistics are all a title,
a few lines saying what and when, a table and a few closing lines (totals, signatures).
Describing a report once and handing it to `vault.web.report_view.send_report` means each
feature writes only its query, and the three forms of it cannot drift apart.

`rows` may be a generator: a stocktake of a whole warehouse has a million rows, and every
writer reads them once, in order, without keeping them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime


@dataclass
class Report:
    title: str  # e.g. "Custody history of WC-TJ-2002-0137" (reader's language, or English)
    lines: Sequence[str] = ()  # lines under the title: scope, when produced, by whom
    columns: Sequence[tuple[str, str]] = ()  # (row key, column heading)
    rows: Iterable[dict] = ()  # dicts keyed by the column keys: str/int/None/date/datetime
    footer: Sequence[str] = ()  # after the table: totals, "Supervisor: ____"
    name: str = "report"  # file name stem for downloads, ASCII


def cell_text(value: object) -> str:
    """A cell as every form of a report shows it: nothing for None, times to the second."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
