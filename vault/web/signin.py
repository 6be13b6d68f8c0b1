"""Routes for signing in and out, and for the one-time link that signs in a guard-room screen.

Signing in replaces any session the browser had (a new token every time), and signing out ends
the session on the server, not only in the browser. A screen's link is a page with one button:
opening the link alone signs nothing in, so a link previewer cannot spend it.
"""

from __future__ import annotations

from collections.abc import Callable

import bottle

from vault.config import Config
from vault.services import accounts, sessions
from vault.services.errors import VaultError
from vault.web.auth import (
    clear_session_cookie,
    client_address,
    safe_target,
    session_token,
    set_session_cookie,
)
from vault.web.security import PRESIGN_COOKIE, PresignTokens

Render = Callable[..., str]


def add_routes(app: bottle.Bottle, config: Config, presign: PresignTokens, render: Render) -> None:
    secure = config.web.secure_cookies

    def form(error: str = "", username: str = "", target: str = "/") -> str:
        token = presign.issue(secure)
        return render("signin", error=error, username=username, target=target, csrf=token)

    @app.get("/signin", name="signin")
    def signin() -> str:
        return form(target=safe_target(bottle.request.query.getunicode("next", "/")))

    @app.post("/signin", name="signin_submit")
    def signin_submit() -> str:
        fields = bottle.request.forms
        username = fields.getunicode("username", "") or ""
        target = safe_target(fields.getunicode("next", "/") or "/")
        try:
            signed = accounts.sign_in(
                username, fields.getunicode("password", "") or "", client_address()
            )
        except accounts.SignInRefused as e:
            return form(str(e), username, target)
        start_session(signed.token, kiosk=False, secure=secure)
        bottle.redirect(target, 303)

    @app.post("/signout", name="signout")
    def signout() -> None:
        sessions.end(session_token())
        clear_session_cookie(secure)
        bottle.redirect("/signin", 303)

    _add_kiosk_routes(app, presign, render, secure)


def _add_kiosk_routes(
    app: bottle.Bottle, presign: PresignTokens, render: Render, secure: bool
) -> None:
    """The guard-room screen's one-time link: a page asking to confirm, and the confirmation."""

    @app.get("/kiosk/<token>", name="kiosk_link")
    def kiosk_link(token: str) -> str:
        account = sessions.kiosk_link_account(token)
        if account is None:
            bottle.response.status = 404
            return render("kiosk", account=None, error=_spent_link(), csrf="")
        name = account.display_name or account.username
        return render("kiosk", account=name, error="", csrf=presign.issue(secure))

    @app.post("/kiosk/<token>", name="kiosk_link_submit")
    def kiosk_link_submit(token: str) -> str:
        try:
            session = sessions.use_kiosk_link(token)
        except VaultError as e:
            bottle.response.status = 404
            return render("kiosk", account=None, error=str(e), csrf="")
        start_session(session, kiosk=True, secure=secure)
        bottle.redirect("/alarms", 303)


def start_session(token: str, kiosk: bool, secure: bool) -> None:
    """The browser's old session (if any) ends; the new token replaces it."""
    sessions.end(session_token())
    set_session_cookie(token, kiosk, secure)
    bottle.response.delete_cookie(PRESIGN_COOKIE, path="/")


def _spent_link() -> str:
    return (
        "This sign-in link is not valid: it was used already or is more than 10 minutes old. "
        "Ask an administrator for a new one (`vault user kiosk-link`)."
    )
