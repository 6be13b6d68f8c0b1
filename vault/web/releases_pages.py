"""The register of statistical data provided to outside units: the list (searched by unit, as
CSV and PDF too) and the archivist's form to add an entry. Registered by
`vault.web.destruction_pages`."""

from __future__ import annotations

from datetime import date
from itertools import islice

import bottle

from vault.config import Config
from vault.services import releases
from vault.services.clock import today
from vault.services.errors import VaultError
from vault.web.auth import current_visitor
from vault.web.pages import render_page
from vault.web.report_view import FORMATS, SHOWN_ROWS, send_report

FIELDS = ("unit", "letter_number", "letter_date", "purpose", "approved_by", "provided",
          "provided_on", "seal")  # fmt: skip


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise VaultError(f"{what} {text.strip()!r} is not a date (YYYY-MM-DD)") from None


def register(app: bottle.Bottle, config: Config) -> None:
    def page(unit: str = "", **shown: object) -> str:
        shown = {"error": "", "sent": {}} | shown
        return render_page(
            config,
            "releases",
            rows=list(islice(releases.rows(unit), SHOWN_ROWS)),
            limit=SHOWN_ROWS,
            unit=unit,
            leaders=releases.leaders(),
            today=today(),
            **shown,
        )

    @app.get("/releases", name="releases")
    def release_list() -> object:
        unit = bottle.request.query.getunicode("unit", "") or ""
        fmt = bottle.request.query.get("format", "")
        if fmt in FORMATS:
            return send_report(config, releases.report(unit), fmt)
        return page(unit)

    @app.post("/releases", name="release_create")
    def release_create() -> str:
        forms = bottle.request.forms
        sent = {k: forms.getunicode(k, "") or "" for k in FIELDS}
        try:
            release = releases.Release(
                unit=sent["unit"],
                letter_number=sent["letter_number"],
                letter_date=_day(sent["letter_date"], "the letter's date"),
                purpose=sent["purpose"],
                approved_by=sent["approved_by"],
                provided=sent["provided"],
                provided_on=_day(sent["provided_on"], "the date provided"),
            )
            releases.record(release, bool(sent["seal"]), current_visitor().username)
        except VaultError as e:
            return page(error=str(e), sent=sent)
        bottle.redirect("/releases", 303)
