"""The reading-room desk page: the archivist's scanner types into it, the desk answers each scan.

A USB scanner in keyboard mode types the code and Enter into the page's input; `static/desk.js`
posts it to `/api/desk/scan`, which records the read through `vault.services.desk.scan` (the
same rules as every other read) and answers with the folder, its state and any refusal. The
archivist signed in is recorded with each scan; a folder whose level needs a second member of
staff at issue is refused until one confirms at the desk with their own username and password
(the page shows the form and sends the scan again with them). The desk's serial scanner goes
through the bridge instead (it cannot carry a second person: such issues are refused there);
`/api/desk/events` pushes those scans to the page as server-sent events, so both scanners of
one desk show in one list.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

import bottle

from vault.config import Config
from vault.domain import access
from vault.services import desk
from vault.services.errors import VaultError
from vault.web import i18n
from vault.web.auth import client_address, current_visitor
from vault.web.pages import render_page
from vault.web.render import language
from vault.web.streams import event_stream


def register(app: bottle.Bottle, config: Config) -> None:
    @app.get("/desk", name="desk")
    def desk_page() -> str:
        stations = desk.desk_stations()
        station = bottle.request.query.getunicode("station", "") or ""
        if station and station not in stations:
            bottle.abort(404, f"{station!r} is not a reading-room desk station")
        return render_page(
            config,
            "desk",
            station=station or (stations[0] if stations else ""),
            stations=stations,
            readers=desk.readers(),
            can_scan=desk_may_scan(),
        )

    @app.post("/api/desk/scan", name="desk_scan")
    def desk_scan() -> dict:
        sent = _sent_fields()
        code, reader = sent.get("code", ""), sent.get("reader", "").strip()
        try:
            card = desk.reader_on_card(code)
            if card is not None:
                return {"event": "reader", "accepted": True, "reader": card, "code": code}
            staff = current_visitor().username
            witness = None
            if sent.get("witness", "").strip():  # a second member of staff confirms the issue
                where = f"desk {sent.get('station', '')} {client_address()}"[:80]
                witness = desk.confirm_witness(
                    sent["witness"], sent.get("witness_password", ""), staff, where
                )
            answer = desk.scan(sent.get("station", ""), code, reader or None, staff, witness)
        except VaultError as e:
            error = {"event": "error", "accepted": False, "message": str(e), "code": code}
            return error | {"message_shown": i18n.translate(str(e), language())}
        return _shown(dataclasses.asdict(answer), language()) | {"reader": reader}

    @app.get("/api/desk/events", name="desk_events")
    def desk_events() -> Iterator[str]:
        station = bottle.request.query.getunicode("station", "") or ""
        bottle.response.content_type = "text/event-stream; charset=utf-8"
        bottle.response.set_header("X-Accel-Buffering", "no")
        resumed = bottle.request.get_header("Last-Event-ID", "")
        after = int(resumed) if resumed.isdigit() else desk.last_event_id(station)
        return _serial_stream(current_visitor().token_hash, station, after, language())


def desk_may_scan() -> bool:
    """The administrator may watch the desk; only the archivist's role scans (the role table
    refuses the post anyway, this only keeps the page from offering it)."""
    return access.allowed(current_visitor().role, "desk_scan")


def _sent_fields() -> dict[str, str]:
    """The scan as JSON (the page's script) or as a form (anything else that posts)."""
    body = bottle.request.json if "json" in (bottle.request.content_type or "") else None
    if isinstance(body, dict):
        return {k: str(v) for k, v in body.items() if isinstance(v, str | int)}
    forms = bottle.request.forms
    names = ("code", "reader", "station", "witness", "witness_password")
    return {k: forms.getunicode(k, "") or "" for k in names}


def _shown(answer: dict, lang: str) -> dict:
    """The answer with its words as the archivist reads them (the script only places text)."""
    answer["message_shown"] = i18n.translate(answer["message"], lang)
    answer["state_shown"] = i18n.translate(answer["state"], lang) if answer["state"] else ""
    return answer


def _serial_stream(session: str, station: str, after: int, lang: str) -> Iterator[str]:
    """Push each serial scan at the station as it is recorded, until the session ends."""

    def news() -> list[str]:
        nonlocal after
        out = []
        for event_id, answer in desk.serial_answers(station, after):
            data = json.dumps(_shown(dataclasses.asdict(answer), lang), ensure_ascii=False)
            out.append(f"id: {event_id}\nevent: scan\ndata: {data}\n\n")
            after = event_id
        return out

    return event_stream(session, news)
