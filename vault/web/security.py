"""Headers every response carries, and the cross-site forgery check for every form post.

Forms use a double-submit token: a random value in a SameSite=Strict, HttpOnly cookie that the
page also puts in each form; a post whose two copies differ did not come from Vault's own page.
Nothing here uses bottle's signed cookies (they unpickle their content).
"""

from __future__ import annotations

import hmac
import secrets

import bottle

CSRF_COOKIE = "vault_csrf"
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


def csrf_token() -> str:
    """The page's token: the one in the browser's cookie, or a new one set now."""
    token = bottle.request.get_cookie(CSRF_COOKIE)
    if not token or len(token) < 32:
        token = secrets.token_urlsafe(32)
        bottle.response.set_cookie(
            CSRF_COOKIE, token, httponly=True, samesite="strict", path="/", max_age=12 * 3600
        )
    return token


def check_csrf() -> None:
    cookie = bottle.request.get_cookie(CSRF_COOKIE) or ""
    sent = bottle.request.forms.get("csrf") or bottle.request.get_header("X-CSRF-Token") or ""
    if not cookie or not sent or not hmac.compare_digest(cookie, sent):
        raise bottle.HTTPError(
            403, "This form did not come from Vault's own page (or it expired): reload and retry."
        )
