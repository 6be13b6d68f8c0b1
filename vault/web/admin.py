"""The administrator's pages: what this site is configured with, and who may sign in.

`/admin` shows the configuration file as Vault read it at start (the site, the opening hours,
the stations and portals, the label stocks) beside each station's live health from the
database, which the bridge keeps current; `static/admin.js` polls `/api/admin/stations` to keep
those figures fresh (with scripts off the page refreshes itself). Nothing on it is edited here:
the file is the one place stations are set, so what the bridge opens and what the page shows
cannot drift apart.

`/admin/users` lists the accounts and offers the same actions as `vault user …`, through the
same services in `vault.services.accounts` and `sessions`: add a person or a guard-room screen,
set a new password, disable an account (its sessions end at once), and make a screen's
one-time sign-in link.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlsplit

import bottle

from labels.stocks import PAGE_SIZES, STOCKS, SheetStock, find_stock
from vault.config import Config
from vault.domain.access import Role
from vault.services import accounts, sessions, stations
from vault.services.errors import VaultError
from vault.web import i18n
from vault.web.auth import current_visitor
from vault.web.pages import render_page
from vault.web.render import language, when

PAGE_NAMES = {"a4": "A4", "letter": "Letter"}
REFRESH_SECONDS = 5  # how often the page's script asks for the stations' figures
LIVE_FIELDS = ("frames", "reads", "rejected", "lost", "backlog", "last_read_at", "reported_at")
# What a finished action says on the users page, by the key its redirect carries.
DONE = {
    "added": "{user} was added.",
    "password": "The password of {user} was changed; their sessions have ended.",
    "disabled": "{user} is disabled; their sessions have ended.",
}


def register(app: bottle.Bottle, config: Config) -> None:
    @app.get("/admin", name="admin")
    def admin_page() -> str:
        return render_page(
            config,
            "admin",
            settings=site_settings(config),
            stations=station_rows(config, language()),
            config_stations=config.stations,
            options_text=options_text,
            portals=config.portals,
            stocks=stock_rows(config),
            refresh=REFRESH_SECONDS,
        )

    @app.get("/api/admin/stations", name="api_admin_stations")
    def api_stations() -> dict:
        return {"stations": station_rows(config, language())}

    @app.get("/admin/users", name="admin_users")
    def users_page() -> str:
        query = bottle.request.query
        done = DONE.get(query.get("done", ""), "")
        return _users(config, done=done, user=query.getunicode("user", "") or "")

    @app.post("/admin/users/add", name="admin_user_add")
    def add_user() -> str:
        sent = _form("username", "name", "role", "language", "password", "password2")
        try:
            username = sent["username"].strip().lower()
            if sent["role"] == Role.KIOSK:
                accounts.add_kiosk(username, sent["name"])
            else:
                _same_twice(sent)
                accounts.add_user(
                    username, sent["role"], sent["password"], sent["name"], sent["language"]
                )
        except VaultError as e:
            return _users(config, error=str(e), sent=sent)
        _done("added", username)

    @app.post("/admin/users/password", name="admin_user_password")
    def reset_password() -> str:
        sent = _form("username", "password", "password2")
        try:
            _same_twice(sent)
            accounts.set_password(sent["username"], sent["password"])
        except VaultError as e:
            return _users(config, error=str(e))
        _done("password", sent["username"])

    @app.post("/admin/users/disable", name="admin_user_disable")
    def disable() -> str:
        username = _form("username")["username"]
        try:
            if username == current_visitor().username:
                raise VaultError("you cannot disable your own account: another administrator can")
            accounts.disable_user(username)
        except VaultError as e:
            return _users(config, error=str(e))
        _done("disabled", username)

    @app.post("/admin/users/kiosk-link", name="admin_kiosk_link")
    def kiosk_link() -> str:
        username = _form("username")["username"]
        try:
            token = sessions.new_kiosk_link(username)
        except VaultError as e:
            return _users(config, error=str(e))
        scheme, host = bottle.request.urlparts[:2]
        return _users(config, link=f"{scheme}://{host}/kiosk/{token}", user=username)


def _users(config: Config, **shown: object) -> str:
    """The users page; a failed form comes back with its message and what was typed (never
    the passwords), a screen's new link is shown once, on the page the post answers with."""
    shown.setdefault("sent", {})
    return render_page(
        config,
        "admin_users",
        users=user_rows(),
        roles=[role.value for role in Role],  # the archivist first: the usual new account
        languages=accounts.LANGUAGES,
        **{"error": "", "done": "", "link": "", "user": ""} | shown,
    )


def _form(*names: str) -> dict[str, str]:
    forms = bottle.request.forms
    return {name: forms.getunicode(name, "") or "" for name in names}


def _same_twice(sent: dict[str, str]) -> None:
    if sent["password"] != sent["password2"]:
        raise VaultError("the two passwords differ; nothing was changed")


def _done(what: str, username: str) -> None:
    """After a change, go back to the list (a reload then does not post the form again)."""
    bottle.redirect("/admin/users?" + urlencode({"done": what, "user": username}), 303)


def user_rows() -> list[dict]:
    """Every account with its latest sign-in (a screen signs in by link: it has none)."""
    last = accounts.last_sign_ins()
    return [
        u | {"last_sign_in": when(last.get(u["username"])), "kiosk": u["role"] == Role.KIOSK}
        for u in accounts.list_users()
    ]


def site_settings(config: Config) -> dict[str, str]:
    return {
        "site_name": config.site_name,
        "gs1_company_prefix": config.gs1_company_prefix,
        "timezone": config.timezone,
        "database": masked_url(config.database),
        "opening_time": config.opening_time,
        "closing_time": config.closing_time,
        "path": str(config.path.resolve()),
    }


def masked_url(url: str) -> str:
    """The database URL without its password (in the address or as a query parameter). The
    rest is left as written: rebuilding it would turn sqlite://// into sqlite://."""
    parts = urlsplit(url)
    if parts.password is not None:
        host = parts.netloc.rpartition("@")[2]
        url = url.replace(parts.netloc, f"{parts.username or ''}:***@{host}", 1)
    pairs = parse_qsl(parts.query)
    if any(k.lower() == "password" for k, _ in pairs):
        hidden = [(k, "***" if k.lower() == "password" else v) for k, v in pairs]
        url = url.replace("?" + parts.query, "?" + urlencode(hidden, safe="*"), 1)
    return url


def station_rows(config: Config, lang: str) -> list[dict]:
    """The configured stations and portals, each with its live health as the bridge last
    stored it (a station the bridge never opened shows as unknown)."""
    live = {s["id"]: s for s in stations.station_statuses()}
    rows = []
    for s in config.stations:
        rows.append(_health(s.id, live) | {"kind": s.kind.value, "port": s.port})
    for p in config.portals:
        rows.append(_health(p.id, live) | {"kind": p.kind.value, "port": ""})
    for row in rows:
        row["status_shown"] = i18n.translate(row["status"], lang)
        row["detail_shown"] = i18n.translate(row["detail"], lang)
    return rows


def _health(station_id: str, live: dict[str, dict]) -> dict:
    found = live.get(station_id, {})
    figures = {name: found.get(name, "") for name in LIVE_FIELDS}
    status = found.get("status") or "unknown"
    return {"id": station_id, "status": status, "detail": found.get("detail", "")} | figures


def options_text(options: dict) -> str:
    return json.dumps(options, ensure_ascii=False) if options else ""


def stock_rows(config: Config) -> list[dict]:
    """The published stocks and the archive's own, each checked; the one in use is marked."""
    rows = [_stock(s, "published") for s in STOCKS]
    for raw in config.labels.stocks:
        try:
            rows.append(_stock(SheetStock.from_mapping(raw), "configured"))
        except ValueError as e:
            rows.append({"name": str(raw.get("name", "")), "source": "configured", "error": str(e)})
    try:
        in_use = find_stock(config.labels.stock).name
    except KeyError:
        in_use = config.labels.stock
    for row in rows:
        row["in_use"] = row["name"] == in_use
    return rows


def _stock(stock: SheetStock, source: str) -> dict:
    size = (stock.page_width, stock.page_height)
    page = next((PAGE_NAMES[k] for k, v in PAGE_SIZES.items() if v == size), "")
    return {
        "name": stock.name,
        "source": source,
        "page": page or f"{stock.page_width:g} × {stock.page_height:g} mm",
        "grid": f"{stock.columns} × {stock.rows}",
        "label": f"{stock.label_width:g} × {stock.label_height:g} mm",
        "error": "",
    }
