"""The alarm history: acknowledged alarms, searchable, a page at a time, and as a CSV file.

Alarms are never deleted, so the history grows for years; pages go by keyset (`before`, the
last alarm id shown) rather than by offset. The export is streamed in batches and written for
spreadsheets: UTF-8 with a byte-order mark (so Excel reads the Chinese), and any cell a
spreadsheet would take as a formula starts with an apostrophe.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

import bottle

from vault.config import Config
from vault.services import alarms
from vault.services.alarms import HistoryQuery
from vault.services.csv_export import csv_chunks
from vault.web.pages import render_page

PAGE_SIZE = 50
COLUMNS = (
    ("id", "alarm"),
    ("at", "raised at"),
    ("rule", "rule"),
    ("severity", "severity"),
    ("code", "folder"),
    ("title", "title"),
    ("classification", "classification"),
    ("station", "station"),
    ("holder", "last holder"),
    ("reason", "why"),
    ("acknowledged_at", "acknowledged at"),
    ("acknowledged_by", "acknowledged by"),
    ("note", "note"),
)


def register(app: bottle.Bottle, config: Config) -> None:
    @app.get("/alarms/history", name="alarm_history")
    def alarm_history() -> object:
        params = bottle.request.query
        error = ""
        try:
            query = HistoryQuery(
                params.getunicode("q", "") or "",
                params.getunicode("rule", "") or "",
                _day(params.get("from", "")),
                _day(params.get("to", "")),
            )
        except ValueError:
            query, error = HistoryQuery(), "dates are written as 2024-05-31"
        if params.get("format") == "csv" and not error:
            return _csv_response(alarms.history_all(query))
        before = params.get("before", "")
        page = alarms.history_page(query, int(before) if before.isdigit() else None, PAGE_SIZE)
        return render_page(
            config,
            "history",
            rows=page.rows,
            next_before=page.next_before,
            searched_to=page.searched_to,
            query=query,
            rules=alarms.alarm_rules(),
            error=error,
            filters=_filters(query),
        )


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _filters(query: HistoryQuery) -> dict[str, str]:
    """The query as the page's links repeat it (next page, export)."""
    found = {
        "q": query.text,
        "rule": query.rule,
        "from": query.start.isoformat() if query.start else "",
        "to": query.end.isoformat() if query.end else "",
    }
    return {k: v for k, v in found.items() if v}


def _csv_response(rows: Iterable[dict]) -> Iterator[bytes]:
    bottle.response.content_type = "text/csv; charset=utf-8"
    bottle.response.set_header(
        "Content-Disposition", 'attachment; filename="vault-alarm-history.csv"'
    )
    return csv_chunks(rows, COLUMNS)
