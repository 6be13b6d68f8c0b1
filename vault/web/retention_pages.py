"""The appraisal list (folders whose retention period has run, the start of a destruction
batch) and the holds that keep folders from being destroyed. Registered by
`vault.web.destruction_pages`."""

from __future__ import annotations

import bottle

from vault.config import Config
from vault.services import appraisal, holds
from vault.services.errors import VaultError
from vault.services.policy import current
from vault.web.auth import current_visitor
from vault.web.pages import render_page
from vault.web.report_view import FORMATS, send_report


def register(app: bottle.Bottle, config: Config) -> None:
    @app.get("/appraisal", name="appraisal_due")
    def appraisal_due() -> object:
        fmt = bottle.request.query.get("format", "")
        if fmt in FORMATS:
            return send_report(config, appraisal.due_report(), fmt)
        after = bottle.request.query.getunicode("after", "") or ""
        rows, next_after = appraisal.due_page(after)
        return render_page(
            config,
            "appraisal",
            rows=rows,
            next_after=next_after,
            count=appraisal.due_count(),
            unreadable=appraisal.unreadable(),
            needed=current().destruction_approvers,
        )

    def holds_page(**shown: object) -> str:
        shown = {"error": "", "sent": {}} | shown
        return render_page(config, "holds", holds=holds.active(), **shown)

    @app.get("/holds", name="holds")
    def holds_list() -> str:
        return holds_page()

    @app.post("/holds", name="hold_place")
    def hold_place() -> str:
        forms = bottle.request.forms
        sent = {k: forms.getunicode(k, "") or "" for k in ("code", "reason")}
        try:
            holds.place(sent["code"], sent["reason"], current_visitor().username)
        except VaultError as e:
            return holds_page(error=str(e), sent=sent)
        bottle.redirect("/holds", 303)

    @app.post("/holds/<hold_id:int>/lift", name="hold_lift")
    def hold_lift(hold_id: int) -> str:
        note = bottle.request.forms.getunicode("note", "") or ""
        try:
            holds.lift(hold_id, note, current_visitor().username)
        except VaultError as e:
            return holds_page(error=str(e), sent={"lift": hold_id})
        bottle.redirect("/holds", 303)
