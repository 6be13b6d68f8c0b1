"""Any report (`vault.services.report.Report`) as the page, the CSV file or the PDF file.

A feature's route builds its Report and returns `send_report(config, report, fmt)` with the
request's `?format=`: "csv" and "pdf" are downloads of every row, anything else the page,
whose links ask for the same report (same query) as CSV and PDF.

Rows may be a generator over a million rows, so nothing here holds them: the CSV streams out
as it is written, the PDF is written to a spooled temporary file (memory up to a few MB, disk
beyond) and sent from there, and the page shows the first SHOWN_ROWS rows only, saying so.

The report's own words (title, lines, headings, footer) are translated like any text a page
shows: as they are unless the catalog knows them; cells are data and are never translated.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Iterator
from itertools import islice
from urllib.parse import urlencode

import bottle

from vault.config import Config
from vault.services.csv_export import csv_chunks
from vault.services.report import Report, cell_text
from vault.services.report_pdf import write_pdf
from vault.web import i18n
from vault.web.pages import render_page
from vault.web.render import language

SHOWN_ROWS = 200  # a longer table makes a slow page nobody reads; the files have every row
SPOOL_BYTES = 8 * 1024 * 1024  # a PDF larger than this goes to a temporary file on disk
FORMATS = ("csv", "pdf")


def send_report(config: Config, report: Report, fmt: str) -> object:
    """The bottle route's answer: the CSV, the PDF or the page of `report`."""
    _ = i18n.gettext(language())
    if fmt in FORMATS:
        translated = dataclasses.replace(
            report,
            title=_(report.title),
            lines=[_(line) for line in report.lines],
            columns=[(key, _(heading)) for key, heading in report.columns],
            footer=[_(line) for line in report.footer],
        )
        answer = _csv(translated) if fmt == "csv" else _pdf(translated, _("page {n}"))
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", report.name).strip(".-") or "report"
        bottle.response.set_header("Content-Disposition", f'attachment; filename="{name}.{fmt}"')
        return answer
    rows = iter(report.rows)
    shown = list(islice(rows, SHOWN_ROWS + 1))
    close = getattr(rows, "close", None)
    if close is not None:
        close()  # a generator over a database cursor lets it go now
    query = [(k, v) for k, v in bottle.request.query.decode().allitems() if k != "format"]
    return render_page(
        config,
        "report",
        report=report,
        rows=shown[:SHOWN_ROWS],
        more=len(shown) > SHOWN_ROWS,
        limit=SHOWN_ROWS,
        cell=cell_text,
        links={fmt: "?" + urlencode([*query, ("format", fmt)]) for fmt in FORMATS},
    )


def _csv(report: Report) -> Iterator[bytes]:
    bottle.response.content_type = "text/csv; charset=utf-8"
    keys = [key for key, _ in report.columns]
    # Cells as the page and the PDF show them (times to the second), written as they come.
    rows = ({key: cell_text(row.get(key)) for key in keys} for row in report.rows)
    return csv_chunks(rows, report.columns)


def _pdf(report: Report, page_label: str) -> object:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (sent, then closed)
    try:
        write_pdf(report, spool, page_label=page_label)
    except BaseException:
        spool.close()
        raise
    bottle.response.content_type = "application/pdf"
    bottle.response.set_header("Content-Length", str(spool.tell()))
    spool.seek(0)
    return spool  # bottle sends a file in pieces, and closes it (deleting it) once sent
