"""Retention and destruction pages: the batches, one batch (edited while a draft, approved by
the leading group, confirmed after the pulping) and its certificate. The appraisal list and the
holds (`vault.web.retention_pages`) and the register of data released outside
(`vault.web.releases_pages`) are registered from here too, as the same part of the archive.

Each route reads the form, calls `vault.services.destruction` and redirects to the batch; a
refusal shows the page again with the message and what was typed.
"""

from __future__ import annotations

from datetime import date

import bottle

from vault.config import Config
from vault.services import destruction, destruction_records
from vault.services.errors import VaultError
from vault.web import releases_pages, retention_pages
from vault.web.auth import current_visitor
from vault.web.pages import render_page
from vault.web.report_view import send_report

# What a redirect to a batch's page says, by the key it carries.
NOTICES = {"uncertified": "only a batch confirmed destroyed has a destruction certificate"}


def form(*names: str) -> dict[str, str]:
    forms = bottle.request.forms
    return {name: forms.getunicode(name, "") or "" for name in names}


def lines(text: str) -> list[str]:
    """Names or codes typed one per line (or separated by spaces and commas, for codes)."""
    return [part for line in text.splitlines() if (part := line.strip())]


def codes(text: str) -> list[str]:
    return text.replace(",", " ").split()


def day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise VaultError(f"{what} {text.strip()!r} is not a date (YYYY-MM-DD)") from None


def existing(batch_id: int) -> None:
    """A batch that does not exist is a page that does not exist (404), whatever was posted."""
    try:
        destruction.get(batch_id)
    except VaultError as e:
        bottle.abort(404, str(e))


def register(app: bottle.Bottle, config: Config) -> None:
    retention_pages.register(app, config)
    releases_pages.register(app, config)

    def listing(**shown: object) -> str:
        shown = {"error": "", "sent": {}} | shown
        return render_page(config, "destructions", batches=destruction_records.batches(), **shown)

    def batch_page(batch_id: int, **shown: object) -> str:
        try:
            found = destruction_records.detail(batch_id)
        except VaultError as e:
            bottle.abort(404, str(e))
        return render_page(config, "destruction", **found, **({"error": "", "sent": {}} | shown))

    @app.get("/destructions", name="destructions")
    def destructions() -> str:
        return listing()

    @app.post("/destructions", name="destruction_new")
    def destruction_new() -> str:
        sent = form("reason", "site", "supervisors", "codes", "all_due")
        try:
            chosen = codes(sent["codes"]) + bottle.request.forms.getall("code")
            if sent["all_due"]:
                chosen += destruction.due_codes()
            if not chosen:
                raise VaultError("a destruction batch needs at least one folder")
            by = current_visitor().username
            batch = destruction.create(
                sent["reason"], sent["site"], lines(sent["supervisors"]), chosen, by
            )
        except VaultError as e:
            return listing(error=str(e), sent=sent)
        bottle.redirect(f"/destructions/{batch.id}", 303)

    @app.get("/destructions/<batch_id:int>", name="destruction")
    def destruction_page(batch_id: int) -> str:
        return batch_page(batch_id, error=NOTICES.get(bottle.request.query.get("notice", ""), ""))

    @app.post("/destructions/<batch_id:int>/edit", name="destruction_edit")
    def destruction_edit(batch_id: int) -> str:
        sent = form("reason", "site", "supervisors", "add")
        try:
            destruction.edit(
                batch_id,
                sent["reason"],
                sent["site"],
                lines(sent["supervisors"]),
                add=codes(sent["add"]),
                remove=bottle.request.forms.getall("remove"),
            )
        except VaultError as e:
            return batch_page(batch_id, error=str(e), sent=sent)
        bottle.redirect(f"/destructions/{batch_id}", 303)

    @app.post("/destructions/<batch_id:int>/approve", name="destruction_approve")
    def destruction_approve(batch_id: int) -> str:
        sent = form("opinion", "decision")
        existing(batch_id)
        try:
            if sent["decision"] not in ("approve", "refuse"):
                raise VaultError("choose whether to approve or refuse the destruction")
            approved = sent["decision"] == "approve"
            destruction.decide(batch_id, current_visitor().username, approved, sent["opinion"])
        except VaultError as e:
            return batch_page(batch_id, error=str(e), sent=sent)
        bottle.redirect(f"/destructions/{batch_id}", 303)

    @app.post("/destructions/<batch_id:int>/confirm", name="destruction_confirm")
    def destruction_confirm(batch_id: int) -> str:
        sent = form("destroyed_on", "note")
        existing(batch_id)
        try:
            when = day(sent["destroyed_on"], "the destruction date")
            destruction.confirm(batch_id, when, current_visitor().username, sent["note"])
        except VaultError as e:
            return batch_page(batch_id, error=str(e), sent=sent)
        bottle.redirect(f"/destructions/{batch_id}", 303)

    @app.get("/destructions/<batch_id:int>/certificate", name="destruction_certificate")
    def destruction_certificate(batch_id: int) -> object:
        existing(batch_id)
        try:
            report = destruction_records.certificate(batch_id)
        except VaultError:  # not destroyed (yet): the batch's page says where it stands
            bottle.redirect(f"/destructions/{batch_id}?notice=uncertified", 303)
        return send_report(config, report, bottle.request.query.get("format", ""))
