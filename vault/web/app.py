"""Routes of the web app. Each is a few lines: read the request, call a service, render.

Every route has a name, and `vault.web.auth.AccessPlugin` checks that name against the role
table in `vault.domain.access` before the route runs. The alarm board is server-rendered (it
works with scripts off, refreshing itself) and kept live by a server-sent event stream that
pushes the open alarms whenever they change.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import bottle

from vault.config import Config
from vault.db.models import database
from vault.domain import access
from vault.services import alarms, clock, policy, stations
from vault.services.errors import VaultError
from vault.web import (
    admin,
    alarm_history,
    desk,
    destruction_pages,
    register,
    reports_pages,
    requests_pages,
    signin,
    stocktake_pages,
)
from vault.web.auth import AccessPlugin, current_visitor
from vault.web.i18n import translate
from vault.web.pages import render_page
from vault.web.render import add_language_route, language
from vault.web.security import PresignTokens, add_security_headers
from vault.web.streams import event_stream

HERE = Path(__file__).parent
TEMPLATES = [str(HERE / "templates")]
STATIC = HERE / "static"
# Pages a signed-in person can go to, in the order the front page lists them.
PAGES = (
    ("desk", "/desk", "Desk"),
    ("alarm_board", "/alarms", "Alarm board"),
    ("register_search", "/register", "Register"),
    ("register_outside", "/register/outside", "Outside the warehouse now"),
    ("register_overdue", "/register/overdue", "Overdue"),
    ("requests", "/requests", "Requests"),
    ("stocktakes", "/stocktakes", "Stocktakes"),
    ("destructions", "/destructions", "Retention and destruction"),
    ("releases", "/releases", "Data released to outside units"),
    ("reports", "/reports", "Reports"),
    ("admin", "/admin", "Administration"),
)


def create_app(config: Config) -> bottle.Bottle:
    app = bottle.Bottle()
    app.add_hook("after_request", add_security_headers)
    app.add_hook("after_request", _drop_dead_connection)
    presign = PresignTokens()
    app.install(AccessPlugin(presign))

    clock.set_zone(config.zone)  # the pages' times are the site's
    policy.set_policy(config.approvals)

    render = functools.partial(render_page, config)

    @app.get("/", name="home")
    def home() -> str:
        role = current_visitor().role
        pages = [(path, label) for name, path, label in PAGES if access.allowed(role, name)]
        if len(pages) == 1:
            bottle.redirect(pages[0][0])
        return render("home", pages=pages)

    @app.get("/static/<name:path>", name="static")
    def static(name: str) -> bottle.HTTPResponse:
        return bottle.static_file(name, root=str(STATIC))

    _add_board_routes(app, render)
    signin.add_routes(app, config, presign, render)
    desk.register(app, config)
    alarm_history.register(app, config)
    register.register(app, config)
    admin.register(app, config)
    requests_pages.register(app, config)
    stocktake_pages.register(app, config)
    destruction_pages.register(app, config)
    reports_pages.register(app, config)
    add_language_route(app)

    @app.error(403)
    @app.error(404)
    @app.error(500)
    def error_page(error: bottle.HTTPError) -> str:
        add_security_headers()
        return render("error", status=error.status_line, message=error.body)

    return app


def _add_board_routes(app: bottle.Bottle, render: Callable[..., str]) -> None:
    """The alarm board, acknowledging an alarm, and the board's data and live stream."""

    @app.get("/alarms", name="alarm_board")
    def alarm_board() -> str:
        return render(
            "alarms",
            alarms=alarms.open_alarms(),
            stations=stations.station_statuses(),
            error=bottle.request.query.getunicode("error", ""),
        )

    @app.post("/alarms/<alarm_id:int>/ack", name="alarm_ack")
    def acknowledge(alarm_id: int) -> None:
        note = bottle.request.forms.getunicode("note", "") or ""
        try:
            alarms.acknowledge(alarm_id, note, by=_acknowledger())
        except VaultError as e:
            bottle.redirect("/alarms?" + bottle.urlencode({"error": str(e)}), 303)
        bottle.redirect("/alarms", 303)

    @app.get("/api/alarms", name="api_alarms")
    def api_alarms() -> dict:
        return {"alarms": alarms.open_alarms()}

    @app.get("/api/alarms/events", name="alarm_events")
    def alarm_events() -> Iterator[str]:
        bottle.response.content_type = "text/event-stream; charset=utf-8"
        bottle.response.set_header("Cache-Control", "no-store")
        bottle.response.set_header("X-Accel-Buffering", "no")
        return _board_stream(current_visitor().token_hash, language())


def _drop_dead_connection() -> None:
    """Close this worker thread's database connection if the request found it dead (the
    database server restarted): peewee would hand the dead one to every later request on the
    thread. A live connection is kept, and telling them apart costs no query."""
    with contextlib.suppress(Exception):
        if not database.is_closed() and not database.is_connection_usable():
            database.close()


def _translated(open_alarms: list[dict], statuses: list[dict], lang: str) -> dict:
    for alarm in open_alarms:
        alarm["reason"] = translate(alarm["reason"], lang)
    for station in statuses:
        station["detail"] = translate(station["detail"], lang)
    return {"alarms": open_alarms, "stations": statuses}


def _acknowledger() -> str:
    """Who acknowledged: the signed-in person; at the guard-room screen, the name typed in the
    form and the screen's account, since the screen is shared."""
    visitor = current_visitor()
    if not visitor.kiosk:
        return visitor.username
    person = (bottle.request.forms.getunicode("by", "") or "").strip()
    if not person:
        raise VaultError("write your name: the guard-room screen is shared")
    return f"{person[:80]} (at {visitor.username})"


def _board_stream(session: str, lang: str) -> Iterator[str]:
    """Push the board (alarms and station health) now and after every change, until the
    session that opened the stream ends. The sentences (why a rule fired, what a station's
    trouble is) go out in the visitor's language, as the page first showed them."""
    last = None

    def news() -> list[str]:
        nonlocal last
        version = (alarms.board_version(), stations.status_version())
        if version == last:
            return []
        last = version
        board = _translated(alarms.open_alarms(), stations.station_statuses(), lang)
        return [f"event: board\ndata: {json.dumps(board, ensure_ascii=False)}\n\n"]

    return event_stream(session, news)
