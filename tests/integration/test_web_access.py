"""Every route of the web app for every role, forged form posts, and hostile folder titles.

The app is served by waitress on a real port over a real SQLite file. The route list comes from
the app itself, so a route added without an entry in the role table fails here.
"""

from __future__ import annotations

import http.client
import re
import urllib.parse
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, form_token, serving
from vault.config import Config, WebConfig
from vault.db.models import Alarm, Folder, Location, Station, WebSession
from vault.domain import access
from vault.domain.access import Role
from vault.domain.model import Read, StationKind
from vault.services import accounts, destruction, holds, sessions, stocktake
from vault.services.clock import utcnow
from vault.services.custody import record_read
from vault.services.register import import_file
from vault.services.requests import approve_request
from vault.web.app import create_app

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
ROLES = [None, *Role]  # None: nobody signed in


@dataclass
class Client:
    """A browser's cookies and nothing else: no redirect is followed, every answer is kept."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict | None = None, headers=None):
        host = urllib.parse.urlsplit(self.base).netloc
        connection = http.client.HTTPConnection(host, timeout=10)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        streaming = response.getheader("Content-Type", "").startswith("text/event-stream")
        text = "" if streaming else response.read().decode()
        connection.close()
        return response, text

    def presign_token(self) -> str:
        """Open the sign-in form, as a browser would before posting it."""
        return form_token(self.request("GET", "/signin")[1])


@pytest.fixture
def site(db, tmp_path):
    """The app on a port with one account per role, a hostile folder title and an alarm."""
    import_file(Path(__file__).parents[2] / "vault" / "sample" / "archive.csv")
    Station.create(id="exit-1", kind="reading_exit", port="/dev/null")
    folder = Folder.create(
        code="WC-XSS-1", title=HOSTILE, classification="secret", location=Location.get()
    )
    read = Read("exit-1", StationKind.READING_EXIT, folder.code, datetime.now())
    record_read(read, "hostile-1")
    for role in Role:
        if role is Role.KIOSK:
            accounts.add_kiosk("kiosk")
        else:
            accounts.add_user(role.value, role.value, PASSWORD)
    accounts.add_user("walker", "archivist", PASSWORD)  # signs in through the form below
    # One of each record a page is about, so every route with an id has one to show.
    today = date.today()
    approve_request("张华", "李局长", "同意", ["WC-TJ-2002-0137"], today, today)
    stocktake.open_stocktake("all", "", "walker")
    destruction.create("retention expired", "county paper mill", ["王五"], ["WC-TJ-2002-0138"],
                       "walker")  # fmt: skip
    holds.place("WC-TJ-2004-0201", "under investigation", "walker")
    config = Config(path=tmp_path / "vault.toml", database="sqlite://", site_name="测试档案室")
    with serving(create_app(config)) as base:
        yield base


def location(response) -> str:
    """Where a redirect points, as a path (bottle writes the whole address)."""
    parts = urllib.parse.urlsplit(response.getheader("Location") or "")
    return parts.path + ("?" + parts.query if parts.query else "")


def session_for(base: str, role: Role | None) -> Client:
    """A client with a fresh session for the role (a screen by its one-time link)."""
    client = Client(base)
    if role is Role.KIOSK:
        client.cookies["vault_session"] = sessions.use_kiosk_link(sessions.new_kiosk_link("kiosk"))
    elif role is not None:
        client.cookies["vault_session"] = accounts.sign_in(role.value, PASSWORD, "").token
    return client


def csrf_of(client: Client, before_sign_in: bool = False) -> str:
    """The token the client's page would carry: its session's, or the sign-in form's."""
    visitor = sessions.resolve(client.cookies.get("vault_session"))
    return visitor.csrf if visitor and not before_sign_in else client.presign_token()


def concrete(rule: str) -> str:
    """The route's path with real values for its wildcards."""
    alarm = Alarm.select().get()  # acknowledged by now or not: either way the route answers
    path = rule.replace("<alarm_id:int>", str(alarm.id)).replace("<name:path>", "style.css")
    path = path.replace("<code:path>", "WC-XSS-1")  # a folder the fixture registers
    for record in ("request_id", "stocktake_id", "batch_id", "hold_id"):
        path = path.replace(f"<{record}:int>", "1")  # the first of each, made by the fixture
    return path.replace("<token>", sessions.new_kiosk_link("kiosk")) + ASKED.get(path, "")


# Reports that answer a question need it asked (without, they re-show the form: 400).
ASKED = {
    "/reports/folder": "?code=WC-XSS-1",
    "/reports/person": "?name=%E5%BC%A0%E5%8D%8E",
    "/reports/day": f"?day={date.today()}",
}


def routes(base_app=None) -> list[tuple[str, str, str]]:
    app = base_app or create_app(Config(path=Path("vault.toml"), database="sqlite://"))
    return [(r.method, r.rule, r.name) for r in app.routes]


def test_every_route_has_a_name_and_an_entry_in_the_role_table():
    for method, rule, name in routes():
        assert name, f"{method} {rule} has no name"
        assert access.is_known(name), f"{method} {rule} ({name}) has no entry in the role table"


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_every_route_for_every_role(site, role):
    for method, rule, name in routes():
        client = session_for(site, role)
        path = concrete(rule)
        form = None
        if method == "POST":
            form = {"csrf": csrf_of(client, access.is_public(name)), "note": "checked"}
            form |= {"by": "张三", "username": "walker", "password": PASSWORD}
        response, _ = client.request(method, path, form)
        if response.getheader("Content-Type", "").startswith("text/event-stream"):
            sessions.end(client.cookies["vault_session"])  # so the stream stops by itself
        where = f"{role} {method} {path}: {response.status}"
        if access.allowed(role, name):
            assert response.status in (200, 303), where
            assert not location(response).startswith("/signin?next="), where
        elif role is None and path.startswith("/api/"):
            assert response.status == 401, where
        elif role is None and method == "GET":
            assert response.status == 303, where
            back = "/signin?next=" + urllib.parse.quote(path, safe="/")  # a query comes back too
            assert location(response) == back, where
        else:
            assert response.status == 403, where


def test_a_route_added_without_a_table_entry_is_refused_even_to_the_administrator(db, tmp_path):
    app = create_app(Config(path=tmp_path / "vault.toml", database="sqlite://"))
    app.route("/new", "GET", lambda: "new page", name="new_page")
    app.route("/unnamed", "GET", lambda: "no name")
    accounts.add_user("administrator", "administrator", PASSWORD)
    with serving(app) as base:
        admin = session_for(base, Role.ADMINISTRATOR)
        assert admin.request("GET", "/new")[0].status == 403
        assert admin.request("GET", "/unnamed")[0].status == 403
        assert admin.request("GET", "/alarms")[0].status == 200


def open_alarm_id() -> int:
    return Alarm.select().where(Alarm.acknowledged_at.is_null()).get().id


def ack(client: Client, token: str | None, **headers: str):
    form = {"note": "went to look"} | ({"csrf": token} if token is not None else {})
    return client.request("POST", f"/alarms/{open_alarm_id()}/ack", form, headers)


def test_forged_and_missing_form_tokens_are_refused(site):
    guard = session_for(site, Role.SECURITY)
    for token in (None, "", "forged-" + "x" * 40, csrf_of(session_for(site, Role.ADMINISTRATOR))):
        response, text = ack(guard, token)
        assert response.status == 403, token
        assert "did not come from Vault" in text
    assert Alarm.select().where(Alarm.acknowledged_at.is_null()).count() == 1
    # The page's own token, in the form or in the header, is accepted.
    assert ack(guard, None, **{"X-CSRF-Token": csrf_of(guard)})[0].status == 303
    acknowledged = Alarm.get(Alarm.acknowledged_at.is_null(False))
    assert (acknowledged.acknowledged_by, acknowledged.acknowledged_note) == (
        "security",
        "went to look",
    )


def test_a_token_replayed_after_signing_out_is_refused(site):
    guard = Client(site)
    token = guard.presign_token()
    form = {"csrf": token, "username": "security", "password": PASSWORD, "next": "/alarms"}
    response, _ = guard.request("POST", "/signin", form)
    assert (response.status, location(response)) == (303, "/alarms")
    page = guard.request("GET", "/alarms")[1]
    old_cookie, old_token = guard.cookies["vault_session"], form_token(page)
    assert guard.request("POST", "/signout", {"csrf": old_token})[0].status == 303
    assert guard.cookies["vault_session"] in ('""', "")  # the browser is told to forget it
    replay = Client(site, {"vault_session": old_cookie})
    assert ack(replay, old_token)[0].status == 403
    # Signed in again: a new session, and the old token is no good with it either.
    again = session_for(site, Role.SECURITY)
    assert ack(again, old_token)[0].status == 403
    assert Alarm.select().where(Alarm.acknowledged_at.is_null()).count() == 1


def test_signing_in_and_out_need_their_own_tokens(site):
    stranger = Client(site)
    form = {"username": "security", "password": PASSWORD}
    assert stranger.request("POST", "/signin", form)[0].status == 403  # no token at all
    other = Client(site)
    form["csrf"] = other.presign_token()  # a token made for another browser's cookie
    assert stranger.request("POST", "/signin", form)[0].status == 403
    guard = session_for(site, Role.SECURITY)
    assert guard.request("POST", "/signout", {})[0].status == 403
    assert guard.request("GET", "/alarms")[0].status == 200  # still signed in


def test_a_failed_sign_in_says_so_on_the_form_and_keeps_the_address_out_of_reach(site):
    client = Client(site)
    form = {"csrf": client.presign_token(), "username": "security", "password": "wrong-one!"}
    form["next"] = "//elsewhere.example/"
    response, text = client.request("POST", "/signin", form)
    assert response.status == 200 and "not right" in text
    form |= {"password": PASSWORD, "csrf": form_token(text)}
    response, _ = client.request("POST", "/signin", form)
    assert location(response) == "/"  # never to another site
    assert response.getheader("Location").startswith(site)


def test_the_session_cookie_is_random_http_only_and_same_site_strict(site, db, tmp_path):
    client = Client(site)
    form = {"csrf": client.presign_token(), "username": "security", "password": PASSWORD}
    response, _ = client.request("POST", "/signin", form)
    cookie = next(v for k, v in response.getheaders() if v.startswith("vault_session="))
    assert re.match(r"vault_session=[A-Za-z0-9_-]{43};", cookie)
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower() and "Path=/" in cookie
    assert "Secure" not in cookie
    config = Config(path=tmp_path / "vault.toml", database="x://", web=WebConfig(True))
    with serving(create_app(config)) as secure_site:
        client = Client(secure_site)
        form["csrf"] = client.presign_token()
        response, _ = client.request("POST", "/signin", form)
        cookie = next(v for k, v in response.getheaders() if v.startswith("vault_session="))
        assert "Secure" in cookie


def test_an_idle_session_sends_the_guard_back_to_the_sign_in_form(site):
    guard = session_for(site, Role.SECURITY)
    assert guard.request("GET", "/alarms")[0].status == 200
    WebSession.update(last_seen_at=utcnow() - timedelta(minutes=31)).execute()
    response, _ = guard.request("GET", "/alarms")
    assert (response.status, location(response)) == (303, "/signin?next=/alarms")
    response, text = guard.request("GET", "/api/alarms")
    assert response.status == 401 and '"error"' in text
    assert response.getheader("Content-Security-Policy").startswith("default-src 'self'")


def test_the_live_board_stops_when_its_session_ends(site):
    guard = session_for(site, Role.SECURITY)
    host = urllib.parse.urlsplit(site).netloc
    connection = http.client.HTTPConnection(host, timeout=10)
    connection.request("GET", "/api/alarms/events", headers={"Cookie": cookie_of(guard)})
    stream = connection.getresponse()
    assert stream.status == 200
    assert stream.readline() == b"retry: 1000\n"
    assert stream.readline() == b"\n"
    assert stream.readline() == b"event: board\n"
    response, _ = guard.request("POST", "/signout", {"csrf": csrf_of(guard)})
    assert response.status == 303
    lines = [stream.readline() for _ in range(3)]
    assert b"event: signedout\n" in lines
    connection.close()


def cookie_of(client: Client) -> str:
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def test_a_hostile_folder_title_is_shown_as_text(site):
    guard = session_for(site, Role.SECURITY)
    response, html = guard.request("GET", "/alarms")
    assert response.status == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<script>alert" not in html and "<img" not in html
    assert response.getheader("Cache-Control") == "no-store"
