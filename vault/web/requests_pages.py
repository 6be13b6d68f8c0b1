"""The requests pages: the archivist records a reader's request (a visitor's with the letter),
leaders approve or refuse it folder by folder with a written opinion, and everyone who keeps the
records sees where each request stands.

/requests                  the list, open requests first; `?status=` keeps one status, and a
                           leader's "waiting for my approval" is `?status=mine`
/requests/new              the form (archivist); POST /requests records it
/requests/<id>             one request: its folders and what each still needs, the letter, the
                           decisions with their opinions; a leader's form, the archivist's
                           withdraw button
POST /requests/<id>/approve, POST /requests/<id>/withdraw

Each route reads the form and calls `vault.services.requests` (or `request_status` to show);
a refusal comes back on the same page with what was typed.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import bottle

from vault.config import Config
from vault.domain.access import Role
from vault.services import request_status, requests
from vault.services.clock import today
from vault.services.errors import VaultError
from vault.services.letters import LetterForm, covers_lines
from vault.web.auth import current_visitor
from vault.web.pages import render_page

STATUS_SHOWN = request_status.STATUS_SHOWN
FORM_FIELDS = (
    "reader", "kind", "purpose", "valid_from", "valid_until", "codes", "unit", "number",
    "issued_on", "letter_until", "covers", "seal",
)  # fmt: skip
DONE = {
    "created": "Request {id} was recorded.",
    "decided": "Your decision on request {id} was recorded.",
    "withdrawn": "Request {id} was withdrawn.",
}


def register(app: bottle.Bottle, config: Config) -> None:
    @app.get("/requests", name="requests")
    def list_page() -> str:
        status = bottle.request.query.getunicode("status", "") or ""
        if status not in (*STATUS_SHOWN, "mine", ""):
            bottle.abort(404, f"{status!r} is not a status of a request")
        visitor = current_visitor()
        mine = visitor.username if status == "mine" else None
        rows = request_status.request_rows(None if mine else status or None, waiting_for=mine)
        return render_page(
            config,
            "requests",
            rows=rows,
            status=status,
            statuses=STATUS_SHOWN,
            leader=visitor.role == Role.LEADER,
        )

    @app.get("/requests/new", name="request_new")
    def new_page() -> str:
        start = today().isoformat()
        return _form(config, {"kind": "staff", "valid_from": start, "valid_until": start})

    @app.post("/requests", name="request_create")
    def create() -> str:
        forms = bottle.request.forms
        sent = {name: forms.getunicode(name, "") or "" for name in FORM_FIELDS}
        try:
            request_id = requests.create_request(
                sent["reader"],
                requests.codes_in(sent["codes"]),
                sent["purpose"],
                _day(sent["valid_from"], "the first day"),
                _day(sent["valid_until"], "the last day"),
                current_visitor().username,
                _letter(sent) if sent["kind"] == "visitor" else None,
            )
        except VaultError as e:
            return _form(config, sent, str(e))
        _done(request_id, "created")

    @app.get("/requests/<request_id:int>", name="request")
    def detail_page(request_id: int) -> str:
        done = DONE.get(bottle.request.query.get("done", ""), "")
        return _detail(config, request_id, done=done)

    @app.post("/requests/<request_id:int>/approve", name="request_approve")
    def decide(request_id: int) -> str:
        forms = bottle.request.forms
        decision = forms.getunicode("decision", "") or ""
        opinion = forms.getunicode("opinion", "") or ""
        codes = [c for c in (forms.getall("folder") or []) if c]
        try:
            if decision not in ("approve", "refuse"):
                raise VaultError("choose to approve or to refuse")
            requests.decide_request(
                request_id, current_visitor().username, opinion, codes, decision == "approve"
            )
        except VaultError as e:
            return _detail(config, request_id, error=str(e), opinion=opinion, ticked=codes)
        _done(request_id, "decided")

    @app.post("/requests/<request_id:int>/withdraw", name="request_withdraw")
    def withdraw(request_id: int) -> str:
        try:
            requests.withdraw_request(request_id)
        except VaultError as e:
            return _detail(config, request_id, error=str(e))
        _done(request_id, "withdrawn")


def _form(config: Config, sent: dict[str, str], error: str = "") -> str:
    return render_page(config, "request_new", sent=sent, error=error)


def _detail(config: Config, request_id: int, **shown: object) -> str:
    try:
        request = request_status.request_detail(request_id)
    except VaultError as e:
        bottle.abort(404, str(e))
    visitor = current_visitor()
    decided = visitor.username in {d["approver"] for d in request["decisions"]}
    open_ = request["status"] in request_status.OPEN
    values = {"error": "", "done": "", "opinion": "", "ticked": None} | shown
    return render_page(
        config,
        "request",
        request=request,
        statuses=STATUS_SHOWN,
        may_decide=visitor.role == Role.LEADER and open_ and not decided,
        decided=decided,
        may_withdraw=visitor.role == Role.ARCHIVIST and request["withdrawn_at"] is None,
        **values,
    )


def _letter(sent: dict[str, str]) -> LetterForm:
    return LetterForm(
        unit=sent["unit"],
        number=sent["number"],
        issued_on=_day(sent["issued_on"], "the letter's date"),
        valid_until=_day(sent["letter_until"], "the letter's last day"),
        covers=covers_lines(sent["covers"]),
        seal_confirmed_by=current_visitor().username if sent["seal"] == "yes" else "",
    )


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise VaultError(f"{what} must be a date written as 2026-04-30, not {text!r}") from None


def _done(request_id: int, what: str) -> None:
    """After a change, show the request (a reload then does not post the form again)."""
    bottle.redirect(f"/requests/{request_id}?" + urlencode({"done": what}), 303)
