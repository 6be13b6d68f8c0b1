"""The guard in front of every route: who is asking, may they, and did the form come from Vault.

`AccessPlugin` wraps each route. For every request it finds the session named by the
`vault_session` cookie, checks a post's form token, then asks `vault.domain.access` whether the
visitor's role may call the route, by the route's name. Nobody signed in: a page sends them to
the sign-in form (and back afterwards), the JSON API answers 401. Signed in but not allowed:
403. A route without a name or without an entry in the table is refused to everyone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import quote

import bottle

from vault.domain import access
from vault.services import sessions
from vault.services.sessions import Visitor
from vault.web.security import PresignTokens, check_session_token

SESSION_COOKIE = "vault_session"
VISITOR_KEY = "vault.visitor"
SAFE_TARGET = re.compile(r"^/(?![/\\])[A-Za-z0-9/_.~%?=&+,;:@-]*$")


def current_visitor() -> Visitor | None:
    """The signed-in visitor of the request being answered (None on public pages)."""
    return bottle.request.environ.get(VISITOR_KEY)


def client_address() -> str:
    """The connecting address. Not X-Forwarded-For: a client could write anything there."""
    return bottle.request.environ.get("REMOTE_ADDR", "")


def session_token() -> str | None:
    return bottle.request.get_cookie(SESSION_COOKIE)


def set_session_cookie(token: str, kiosk: bool, secure: bool) -> None:
    lifetime = sessions.KIOSK_LIFETIME if kiosk else sessions.STAFF_LIFETIME
    bottle.response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/",
        max_age=int(lifetime.total_seconds()),
    )


def clear_session_cookie(secure: bool) -> None:
    bottle.response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="strict", secure=secure, path="/"
    )


def safe_target(target: str) -> str:
    """Where to go after signing in: a path on this site only, never another site's address."""
    if SAFE_TARGET.match(target) and not target.startswith("/signin"):
        return target
    return "/"


class AccessPlugin:
    """Applied to every route of the app (bottle plugin API 2)."""

    name = "vault_access"
    api = 2

    def __init__(self, presign: PresignTokens):
        self.presign = presign

    def apply(self, callback: Callable, route: bottle.Route) -> Callable:
        name = route.name
        presign = self.presign

        def guarded(*args: object, **kwargs: object) -> object:
            visitor = None if name == "static" else sessions.resolve(session_token())
            bottle.request.environ[VISITOR_KEY] = visitor
            if bottle.request.method not in ("GET", "HEAD"):
                if access.is_public(name):
                    presign.check()
                elif visitor is None and bottle.request.path.startswith("/api/"):
                    _refuse(None)  # the API tells a script to sign in (401), not "forged"
                else:
                    check_session_token(visitor.csrf if visitor else None)
            if not access.allowed(visitor.role if visitor else None, name):
                _refuse(visitor)
            if name != "static":  # pages name people and alarms: never keep them in a cache
                bottle.response.set_header("Cache-Control", "no-store")
            return callback(*args, **kwargs)

        return guarded


def _refuse(visitor: Visitor | None) -> None:
    path = bottle.request.path
    api = path.startswith("/api/")
    if visitor is None and api:
        raise _json(401, "sign in first")
    if visitor is None:
        here = bottle.request.fullpath + (
            "?" + bottle.request.query_string if bottle.request.query_string else ""
        )
        bottle.redirect("/signin?next=" + quote(here, safe="/"), 303)
    if api:
        raise _json(403, f"the role {visitor.role} may not use {path}")
    bottle.abort(403, f"This page is not open to your role ({visitor.role}).")


def _json(status: int, message: str) -> bottle.HTTPResponse:
    return bottle.HTTPResponse(
        json.dumps({"error": message}),
        status=status,
        headers={"Content-Type": "application/json", "Cache-Control": "no-store"},
    )
