"""The reports: an index with a small form for each, and each report as a page, a CSV file and
a PDF file (`?format=csv|pdf`, see `vault.web.report_view.send_report`).

Each route reads its query, asks a service in `vault.services.reports*` or
`vault.services.closing` for the `Report`, and sends it with its fixed-word cells (event kinds,
states, rules) in the visitor's language. A report that cannot be made (no such folder, a date
that is not a date) shows the index again with the reason and the values asked for.
"""

from __future__ import annotations

from collections.abc import Callable

import bottle

from vault.config import Config
from vault.services import clock, closing, reports, reports_classified, reports_statistics
from vault.services.errors import VaultError
from vault.services.report import Report
from vault.web.i18n import translate
from vault.web.pages import render_page
from vault.web.render import language
from vault.web.report_view import send_report


def register(app: bottle.Bottle, config: Config) -> None:
    @app.get("/reports", name="reports")
    def index() -> str:
        return _index(config, "")

    @app.get("/reports/folder", name="report_folder")
    def folder() -> object:
        return _send(config, lambda: reports.folder_history(_needed("code", "a folder code")))

    @app.get("/reports/person", name="report_person")
    def person() -> object:
        return _send(config, lambda: reports.person_history(_needed("name", "a person's name")))

    @app.get("/reports/day", name="report_day")
    def day() -> object:
        return _send(config, lambda: reports.day_history(_day("day")))

    @app.get("/reports/classified-holders", name="report_classified_holders")
    def classified_holders() -> object:
        return _send(config, reports_classified.classified_holders)

    @app.get("/reports/classified-places", name="report_classified_places")
    def classified_places() -> object:
        return _send(config, reports_classified.classified_places)

    @app.get("/reports/statistics", name="report_statistics")
    def statistics() -> object:
        return _send(
            config,
            lambda: reports_statistics.statistics(_day("from", None), _day("until", None)),
        )

    @app.get("/reports/closing", name="report_closing")
    def closing_summary() -> object:
        return _send(config, lambda: closing.summary(_day("day")))


def _send(config: Config, build: Callable[[], Report]) -> object:
    try:
        report = build()
    except VaultError as e:
        bottle.response.status = 400
        return _index(config, str(e))
    lang = language()
    fmt = bottle.request.query.get("format", "")
    return send_report(config, reports.in_words(report, lambda v: translate(v, lang)), fmt)


def _index(config: Config, error: str) -> str:
    values = {k: v for k, v in bottle.request.query.decode().items() if k != "format"}
    return render_page(
        config, "reports", error=error, values=values, today=clock.today().isoformat()
    )


def _needed(key: str, what: str) -> str:
    value = (bottle.request.query.getunicode(key, "") or "").strip()
    if not value:
        raise VaultError(f"write {what} to make this report")
    return value


_TODAY = object()


def _day(key: str, default: object = _TODAY):
    """The date in the query; today when absent (or `default`); refused when not a date."""
    text = (bottle.request.query.getunicode(key, "") or "").strip()
    if not text:
        return clock.today() if default is _TODAY else default
    return reports.parse_day(text)
