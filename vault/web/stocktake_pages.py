"""The stocktake pages: open a count, scan at the desk, read the reconciliation, explain, close.

`/stocktakes/<id>` is where the archivist counts at the desk: its scan field takes a keyboard
scanner's code and Enter (the form posts, the page comes back with the field focused again),
and its text area takes many codes pasted at once, one per line. Shelf labels in either work
as on the handheld: they set the shelf for the codes after them. The handheld's own reads come
through the bridge and show here on reload. The same page with `?format=csv|pdf` is the whole
reconciliation as a file (`vault.web.report_view.send_report`); the page itself shows the
totals and the first lines of each result, so a count of a million folders stays a quick page.
"""

from __future__ import annotations

import bottle

from vault.config import Config
from vault.db.models import Stocktake
from vault.domain import access
from vault.domain import stocktake as domain
from vault.services import stocktake as service
from vault.services import stocktake_page as page_queries
from vault.services import stocktake_report
from vault.services.errors import VaultError
from vault.services.stocktake_results import scope_of
from vault.web import i18n
from vault.web.auth import current_visitor
from vault.web.pages import render_page
from vault.web.render import language
from vault.web.report_view import FORMATS, send_report

SHOWN_LINES = 200  # of each result on the page; the CSV and PDF files have every line
SCOPES = (  # what the open form offers, as the archivist reads it
    ("room", "A room"),
    ("shelves", "A range of shelves"),
    ("classified", "Every three secrets folder"),
    ("all", "The whole warehouse"),
)
HEADINGS = {  # each result's heading on the page
    domain.Category.MISSING: "Missing",
    domain.Category.MISPLACED: "Misplaced",
    domain.Category.ISSUED: "Issued at the time of the count",
    domain.Category.UNREGISTERED: "Unregistered codes",
    domain.Category.FOUND: "Found",
}
_CATEGORIES = {c.name.lower(): c for c in domain.Category}  # ?category=missing
READ_AS = {"shelf": "shelf label", "folder": "a folder", "unregistered": "not in the register"}


def register(app: bottle.Bottle, config: Config) -> None:
    @app.get("/stocktakes", name="stocktakes")
    def stocktakes_page() -> str:
        return _list(config)

    @app.post("/stocktakes", name="stocktake_open")
    def open_stocktake() -> str:
        sent = _form("scope", "value")
        try:
            opened = service.open_stocktake(sent["scope"], sent["value"], _who())
        except VaultError as e:
            return _list(config, error=str(e), sent=sent)
        bottle.redirect(f"/stocktakes/{opened.id}", 303)

    @app.get("/stocktakes/<stocktake_id:int>", name="stocktake")
    def stocktake_page(stocktake_id: int) -> object:
        stocktake = _stocktake(stocktake_id)
        fmt = bottle.request.query.get("format", "")
        if fmt in FORMATS:
            return send_report(
                config, stocktake_report.report(stocktake, i18n.gettext(language())), fmt
            )
        return _page(config, stocktake, bottle.request.query.getunicode("error", "") or "")

    @app.post("/stocktakes/<stocktake_id:int>/scan", name="stocktake_scan")
    def stocktake_scan(stocktake_id: int) -> object:
        stocktake = _stocktake(stocktake_id)
        body = bottle.request.json if "json" in (bottle.request.content_type or "") else None
        if isinstance(body, dict):
            return _scan_json(stocktake, body)
        codes = (_form("code")["code"] + "\n" + _form("codes")["codes"]).splitlines()
        try:
            service.scan(stocktake.id, codes, _source())
        except VaultError as e:
            _back(stocktake, str(e))
        _back(stocktake)

    @app.post("/stocktakes/<stocktake_id:int>/explain", name="stocktake_explain")
    def stocktake_explain(stocktake_id: int) -> None:
        stocktake = _stocktake(stocktake_id)
        sent = _form("code", "note")
        try:
            service.explain(stocktake.id, sent["code"], sent["note"], _who())
        except VaultError as e:
            _back(stocktake, str(e), "#missing")
        _back(stocktake, anchor="#missing")

    @app.post("/stocktakes/<stocktake_id:int>/close", name="stocktake_close")
    def stocktake_close(stocktake_id: int) -> None:
        stocktake = _stocktake(stocktake_id)
        try:
            service.close(stocktake.id, _who())
        except VaultError as e:
            _back(stocktake, str(e))
        _back(stocktake)


def _list(config: Config, error: str = "", sent: dict | None = None) -> str:
    return render_page(
        config,
        "stocktakes",
        stocktakes=page_queries.listing(),
        scopes=SCOPES,
        can_open=access.allowed(current_visitor().role, "stocktake_open"),
        error=error,
        sent=sent or {},
    )


def _page(config: Config, stocktake: Stocktake, error: str) -> str:
    """The totals and the first lines of each result, from indexed queries: a count of a whole
    warehouse reads a few hundred rows here (`?category=missing&after=CODE` pages on)."""
    _ = i18n.gettext(language())
    query = bottle.request.query
    category = _CATEGORIES.get(query.get("category", ""))
    shown = page_queries.page(stocktake, SHOWN_LINES, category, query.getunicode("after", "") or "")
    scope = scope_of(stocktake)
    role = current_visitor().role
    is_open = stocktake.closed_at is None
    return render_page(
        config,
        "stocktake",
        stocktake=stocktake,
        headline=stocktake_report.headline(stocktake, _),
        totals=stocktake_report.totals_line(shown.counts, shown.expected, _),
        shown=shown,
        categories=list(domain.Category),
        headings=HEADINGS,
        rows=lambda category: [
            stocktake_report.row_of(line, _) | {"needs": domain.must_be_explained(line, scope)}
            for line in shown.lines[category]
        ],
        more_link=lambda category: (
            f"/stocktakes/{stocktake.id}?"
            + bottle.urlencode({"category": category.name.lower(), "after": shown.more[category]})
            + f"#{category.name.lower()}"
        ),
        shown_lines=SHOWN_LINES,
        latest=service.latest_scans(stocktake),
        read_as=READ_AS,
        shelf=service.current_shelf(stocktake.id, _source()),
        can_scan=is_open and access.allowed(role, "stocktake_scan"),
        can_explain=is_open and access.allowed(role, "stocktake_explain"),
        can_close=is_open and access.allowed(role, "stocktake_close"),
        error=error,
    )


def _scan_json(stocktake: Stocktake, body: dict) -> dict:
    """A scan from a script: {"code": "…"} or {"codes": ["…", …]}; the answer says what each
    code was and the shelf now in force, in the reader's language too."""
    codes = body.get("codes") if isinstance(body.get("codes"), list) else [body.get("code")]
    codes = [str(code) for code in codes if isinstance(code, str | int)]
    try:
        results = service.scan(stocktake.id, codes, _source())
    except VaultError as e:
        message = str(e)
        shown = i18n.translate(message, language())
        return {"accepted": False, "message": message, "message_shown": shown}
    return {
        "accepted": True,
        "results": [{"code": r.code, "kind": r.kind, "shelf": r.shelf} for r in results],
        "shelf": results[-1].shelf,
    }


def _stocktake(stocktake_id: int) -> Stocktake:
    try:
        return service.get(stocktake_id)
    except VaultError as e:
        bottle.abort(404, str(e))


def _back(stocktake: Stocktake, error: str = "", anchor: str = "") -> None:
    """Back to the count's page (a reload then posts nothing again), with any refusal. No
    fragment after a scan: a page opened at a fragment does not autofocus its scan field."""
    query = "?" + bottle.urlencode({"error": error}) if error else ""
    bottle.redirect(f"/stocktakes/{stocktake.id}{query}{anchor}", 303)


def _form(*names: str) -> dict[str, str]:
    forms = bottle.request.forms
    return {name: forms.getunicode(name, "") or "" for name in names}


def _who() -> str:
    return current_visitor().username


def _source() -> str:
    """Whose reads these are: each archivist's desk keeps its own current shelf."""
    return f"desk:{current_visitor().username}"
