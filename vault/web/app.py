"""Routes of the web app. Each is a few lines: read the request, call a service, render.

The alarm board is server-rendered (it works with scripts off, refreshing itself) and kept live
by a server-sent event stream that pushes the open alarms whenever they change.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import bottle

from vault.config import Config
from vault.services import alarms, stations
from vault.services.errors import VaultError
from vault.web.security import add_security_headers, check_csrf, csrf_token

HERE = Path(__file__).parent
TEMPLATES = [str(HERE / "templates")]
STATIC = HERE / "static"
POLL_SECONDS = 0.1  # how often the event stream looks for a change
STREAM_SECONDS = 600  # streams end and browsers reconnect, so no thread is held forever
PING_SECONDS = 15


def create_app(config: Config) -> bottle.Bottle:
    app = bottle.Bottle()
    app.add_hook("after_request", add_security_headers)

    @app.get("/")
    def home() -> None:
        bottle.redirect("/alarms")

    @app.get("/alarms")
    def alarm_board() -> str:
        return bottle.template(
            "alarms",
            template_lookup=TEMPLATES,
            site=config.site_name,
            alarms=alarms.open_alarms(),
            stations=stations.station_statuses(),
            csrf=csrf_token(),
            error=bottle.request.query.get("error", ""),
        )

    @app.post("/alarms/<alarm_id:int>/ack")
    def acknowledge(alarm_id: int) -> None:
        check_csrf()
        note = bottle.request.forms.getunicode("note", "")
        try:
            alarms.acknowledge(alarm_id, note, by=bottle.request.remote_addr or "")
        except VaultError as e:
            bottle.redirect("/alarms?" + bottle.urlencode({"error": str(e)}), 303)
        bottle.redirect("/alarms", 303)

    @app.get("/api/alarms")
    def api_alarms() -> dict:
        return {"alarms": alarms.open_alarms()}

    @app.get("/api/alarms/events")
    def alarm_events() -> Iterator[str]:
        bottle.response.content_type = "text/event-stream; charset=utf-8"
        bottle.response.set_header("Cache-Control", "no-cache")
        bottle.response.set_header("X-Accel-Buffering", "no")
        return _board_stream()

    @app.get("/static/<name:path>")
    def static(name: str) -> bottle.HTTPResponse:
        return bottle.static_file(name, root=str(STATIC))

    @app.error(403)
    @app.error(404)
    @app.error(500)
    def error_page(error: bottle.HTTPError) -> str:
        add_security_headers()
        return bottle.template(
            "error", template_lookup=TEMPLATES, status=error.status_line, message=error.body
        )

    return app


def _board_stream() -> Iterator[str]:
    """Push the board (alarms and station health) now and after every change."""
    yield "retry: 1000\n\n"
    last = None
    started = last_sent = time.monotonic()
    while time.monotonic() - started < STREAM_SECONDS:
        version = (alarms.board_version(), stations.status_version())
        if version != last:
            last = version
            board = {"alarms": alarms.open_alarms(), "stations": stations.station_statuses()}
            yield f"event: board\ndata: {json.dumps(board, ensure_ascii=False)}\n\n"
            last_sent = time.monotonic()
        elif time.monotonic() - last_sent > PING_SECONDS:
            yield ": ping\n\n"
            last_sent = time.monotonic()
        time.sleep(POLL_SECONDS)
