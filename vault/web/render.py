"""Rendering a page in the visitor's language and the site's time zone, and the language switch.

`page(name, **values)` renders a template with what every page needs besides its own values:
`_` (translate into the request's language, see `vault.web.i18n`), `lang`, `html_lang` (for
`<html lang>`), `when` (a stored UTC time as the site's local time, see
`vault.services.clock`) and `switch` (the fields the language switch must keep).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import bottle

from vault.db.models import User, database
from vault.services.clock import to_local
from vault.web import i18n
from vault.web.auth import current_visitor, safe_target

TEMPLATES = [str(Path(__file__).parent / "templates")]
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def language() -> str:
    """The language of the request being answered."""
    visitor = current_visitor()
    request = bottle.request
    return i18n.choose(
        visitor.language if visitor else None,
        request.params.getunicode("lang", "") if not visitor else None,
        request.get_header("Accept-Language", ""),
    )


def when(moment: datetime | None, fmt: str = TIME_FORMAT) -> str:
    """A stored (naive UTC) time as people at the site read it; "" for none."""
    return to_local(moment).strftime(fmt) if moment else ""


def page(name: str, **values: object) -> str:
    lang = language()
    values.setdefault("visitor", current_visitor())
    values.setdefault("lang", lang)
    values.setdefault("html_lang", i18n.HTML_LANG[lang])
    values.setdefault("_", i18n.gettext(lang))
    values.setdefault("when", when)
    values.setdefault("here", here())
    values.setdefault("keep", [(k, v) for k, v in bottle.request.query.allitems() if k != "lang"])
    return bottle.template(name, template_lookup=TEMPLATES, **values)


def here() -> str:
    """The page being shown, to come back to after switching the language."""
    query = bottle.request.query_string
    return safe_target(bottle.request.path + ("?" + query if query else ""))


def add_language_route(app: bottle.Bottle) -> None:
    """POST /account/language: the signed-in person's choice, kept on their account."""

    @app.post("/account/language", name="account_language")
    def set_language() -> None:
        visitor = current_visitor()
        chosen = bottle.request.forms.getunicode("language", "") or ""
        if chosen in i18n.LANGUAGES and visitor is not None:
            with database.atomic():
                User.update(language=chosen).where(User.username == visitor.username).execute()
        target = safe_target(bottle.request.forms.getunicode("next", "/") or "/")
        bottle.redirect(target, 303)
