"""Headers every response carries, and the cross-site forgery check for every form post.

A signed-in browser's forms carry its session's own random token (kept server-side with the
session), so a post from another site, a post without the token and a post replaying a token of
a session that has ended are all refused. The sign-in forms come before any session: there the
browser gets a random cookie and the form carries that cookie's HMAC under a key the server made
when it started, so another site can neither read nor make a matching pair. Nothing here uses
bottle's signed cookies (they unpickle their content).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import bottle

PRESIGN_COOKIE = "vault_presign"
FORGED = "This form did not come from Vault's own page (or it expired): reload and retry."
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; media-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers() -> None:
    for name, value in HEADERS.items():
        bottle.response.set_header(name, value)


def sent_token() -> str:
    """The token a post carries: the form's `csrf` field, or the X-CSRF-Token header."""
    return bottle.request.forms.get("csrf") or bottle.request.get_header("X-CSRF-Token") or ""


def refuse_forgery() -> None:
    raise bottle.HTTPError(403, FORGED)


def check_session_token(expected: str | None) -> None:
    """A signed-in form: the token must be the one the session was given (None: no session)."""
    sent = sent_token()
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        refuse_forgery()


class PresignTokens:
    """Form tokens for the pages shown before sign-in (the sign-in form, a screen's link)."""

    def __init__(self, key: bytes | None = None):
        self._key = key or secrets.token_bytes(32)  # a restart voids forms already shown

    def issue(self, secure: bool) -> str:
        """The token for the form, setting the browser's cookie first if it has none."""
        cookie = bottle.request.get_cookie(PRESIGN_COOKIE) or ""
        if len(cookie) < 32:
            cookie = secrets.token_urlsafe(32)
            bottle.response.set_cookie(
                PRESIGN_COOKIE,
                cookie,
                httponly=True,
                samesite="strict",
                secure=secure,
                path="/",
                max_age=3600,
            )
        return self._mac(cookie)

    def check(self) -> None:
        cookie = bottle.request.get_cookie(PRESIGN_COOKIE) or ""
        sent = sent_token()
        if len(cookie) < 32 or not sent or not hmac.compare_digest(self._mac(cookie), sent):
            refuse_forgery()

    def _mac(self, cookie: str) -> str:
        return hmac.new(self._key, cookie.encode(), hashlib.sha256).hexdigest()
