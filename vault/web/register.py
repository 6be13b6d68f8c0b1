"""The register's pages: the folder search, a folder's page, the folders out and overdue.

Each route reads the query, calls `vault.services.search` and renders; the lists are paged by
folder code (the service's `next_after`), the timeline by event id (`next_before`), never by
offset. `?format=csv` on any list streams the whole list through `every_row` and `csv_chunks`
(UTF-8 with a byte-order mark, formula cells defused), so a large export never sits in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import bottle

from vault.config import Config
from vault.domain import access
from vault.domain.model import Classification, FolderState
from vault.services import clock, search
from vault.services.csv_export import csv_chunks
from vault.services.errors import VaultError
from vault.web import i18n
from vault.web.auth import current_visitor
from vault.web.pages import render_page
from vault.web.render import language

PAGE_SIZE = 50
FILTERS = ("code", "title", "classification", "location", "state")
COLUMNS = (
    ("code", "folder"),
    ("title", "title"),
    ("year", "year"),
    ("classification", "classification"),
    ("marking", "marking"),
    ("location", "location"),
    ("state", "state"),
    ("holder", "holder"),
)
OUTSIDE_COLUMNS = (*COLUMNS, ("last_at", "last read at"), ("last_station", "last station"),
                   ("last_kind", "last event"))  # fmt: skip
OVERDUE_COLUMNS = (*OUTSIDE_COLUMNS, ("valid_until", "request valid until"), ("reason", "why"))


def register(app: bottle.Bottle, config: Config) -> None:
    @app.get("/register", name="register_search")
    def search_page() -> object:
        filters = _filters()
        error, page = "", search.Page([], None)
        try:  # a bad filter is refused before any CSV header is sent
            page = search.search_folders(**filters, limit=PAGE_SIZE, after=_after())
        except VaultError as e:
            error = str(e)
        if _wants_csv() and not error:
            return _csv(search.every_row(search.search_folders, **filters), COLUMNS, "register")
        return render_page(
            config,
            "register",
            page=page,
            filters=filters,
            error=error,
            classifications=[c.value for c in Classification],
            states=[s.value for s in FolderState],
        )

    @app.get("/register/outside", name="register_outside")
    def outside_page() -> object:
        return _folder_list(config, "outside", search.outside_now, OUTSIDE_COLUMNS)

    @app.get("/register/overdue", name="register_overdue")
    def overdue_page() -> object:
        return _folder_list(config, "overdue", search.overdue, OVERDUE_COLUMNS, today=clock.today())

    @app.get("/folders/<code:path>", name="folder")
    def folder_page(code: str) -> str:
        _ = i18n.gettext(language())
        before = bottle.request.query.get("before", "")
        mark = (int(before) if before.isdigit() else -1) if before else None  # -1: no such event
        try:
            detail = search.folder_detail(code, PAGE_SIZE, mark)
        except VaultError:
            if mark is not None:
                bottle.abort(404, _("That page of the timeline is not this folder's."))
            bottle.abort(404, _("No folder with the code {code} is in the register.", code=code))
        role = current_visitor().role
        return render_page(
            config,
            "folder",
            code=code,
            can_search=access.allowed(role, "register_search"),
            **detail,
        )


def _folder_list(
    config: Config, kind: str, list_function: Callable[..., search.Page], columns, **arguments
) -> object:
    """Outside now and overdue: one template, one page at a time, or all of it as CSV."""
    if _wants_csv():
        return _csv(search.every_row(list_function, **arguments), columns, kind)
    page = list_function(**arguments, limit=PAGE_SIZE, after=_after())
    return render_page(config, "folder_list", kind=kind, page=page, path=bottle.request.path)


def _filters() -> dict[str, str]:
    """The search form's fields as sent, trimmed; empty ones left out (the links repeat these)."""
    query = bottle.request.query
    found = {name: (query.getunicode(name, "") or "").strip() for name in FILTERS}
    return {name: value for name, value in found.items() if value}


def _after() -> str | None:
    return bottle.request.query.getunicode("after", "") or None


def _wants_csv() -> bool:
    return bottle.request.query.get("format") == "csv"


def _csv(rows: Iterator[dict], columns, name: str) -> Iterator[bytes]:
    """The whole list as a file, streamed in pieces as the pages are read."""
    bottle.response.content_type = "text/csv; charset=utf-8"
    bottle.response.set_header(
        "Content-Disposition", f'attachment; filename="vault-{name}-{clock.today()}.csv"'
    )
    return csv_chunks(rows, columns)
