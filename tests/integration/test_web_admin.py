"""The administration pages over waitress and a real SQLite file: the configuration as read,
the stations' live figures, and adding, resetting and disabling accounts through forms."""

from __future__ import annotations

import json
import urllib.parse
from datetime import datetime

import pytest

from tests.conftest import PASSWORD, serving
from tests.integration.test_web_access import Client, csrf_of, location, session_for
from vault.config import Config, LabelsConfig, PortalConfig, StationConfig
from vault.db.models import Station, User, WebSession
from vault.domain.access import Role
from vault.domain.model import StationKind
from vault.services import accounts, sessions, stations
from vault.web.admin import masked_url
from vault.web.app import create_app

NEW_PASSWORD = "another-long-password"
CONFIGURED = (
    StationConfig("door-1", StationKind.WAREHOUSE_DOOR, "/dev/ttyUSB0", 115200, "line"),
    StationConfig(
        "gate-in", StationKind.PORTAL_READER, "/dev/ttyS1", 9600, "rdm6300", heartbeat=5.0
    ),
    StationConfig("gate-out", StationKind.PORTAL_READER, "/dev/ttyS2", 9600, "rdm6300"),
)
OWN_STOCK = {
    "name": "Bureau 3x8",
    "page": "A4",
    "columns": 3,
    "rows": 8,
    "label_width": 70,
    "label_height": 36,
    "left_margin": 0,
    "top_margin": 4.5,
}


@pytest.fixture
def config(tmp_path) -> Config:
    return Config(
        path=tmp_path / "vault.toml",
        database="postgresql://vault:s3cret-pw@db.local:5432/vault",
        stations=CONFIGURED,
        portals=(PortalConfig("gate", StationKind.READING_EXIT, "gate-in", "gate-out"),),
        site_name="测试档案室",
        gs1_company_prefix="6901234",
        labels=LabelsConfig(stock="L7163", stocks=(OWN_STOCK,)),
        timezone="Asia/Shanghai",
        opening_time="08:30",
        closing_time="17:30",
    )


@pytest.fixture
def site(db, config):
    stations.sync_stations(config.stations, config.portals)
    for role in (Role.ADMINISTRATOR, Role.ARCHIVIST):
        accounts.add_user(role.value, role.value, PASSWORD, language="en")
    accounts.add_user("walker", "archivist", PASSWORD, "Walker", "en")
    accounts.add_kiosk("screen")
    with serving(create_app(config)) as base:
        yield base


def admin(site: str) -> Client:
    return session_for(site, Role.ADMINISTRATOR)


def post(client: Client, path: str, token: str | None = "page", **form: str):
    if token is not None:
        form["csrf"] = csrf_of(client) if token == "page" else token
    return client.request("POST", path, form)


def test_the_page_shows_the_configuration_and_the_stations_live_figures(site):
    stations.set_status("door-1", "connected", "answering again")
    at = datetime(2024, 5, 1, 9, 0)
    figures = {"frames": 41, "reads": 17, "rejected": 3, "lost": 2, "last_read_at": at}
    stations.report_figures([{"station": "door-1", **figures}], backlog=5)
    response, html = admin(site).request("GET", "/admin")
    assert response.status == 200
    for text in ("测试档案室", "6901234", "Asia/Shanghai", "08:30", "17:30", "115200", "rdm6300"):
        assert text in html, text
    assert "s3cret-pw" not in html and "postgresql://vault:***@db.local:5432/vault" in html
    assert str(config_path(site)) in html and "restart `vault serve` and `vault bridge`" in html
    assert "closing time is not built yet" in html
    row = html.split('data-station="door-1"')[1].split("</tr>")[0]
    assert '<td data-field="status_shown">connected</td>' in row
    assert '<td data-field="frames">41</td>' in row and '<td data-field="lost">2</td>' in row
    assert '<td data-field="backlog">5</td>' in row and "2024-05-01" in row
    assert 'data-station="gate"' in html and "5 s" in html  # the portal, the heartbeat
    for stock in ("Avery L7160", "Avery 5163", "Bureau 3x8", "70 × 36 mm", "3 × 8"):
        assert stock in html, stock
    in_use = html.split('class="stock in-use"')[1].split("</tr>")[0]
    assert "Avery L7163" in in_use
    assert '<script src="/static/admin.js" defer></script>' in html and "refresh" in html


def config_path(site: str) -> str:
    """The configuration file the page names (the fixture's tmp_path/vault.toml, resolved)."""
    html = admin(site).request("GET", "/admin")[1]
    return html.split('<code id="config-path">')[1].split("</code>")[0]


def test_the_stations_api_follows_the_bridges_reports(site):
    client = admin(site)
    stations.set_status("gate-in", "offline", "silent for 12 s (heartbeat expected every 5 s)")
    figures = {"frames": 9, "reads": 4, "rejected": 0, "lost": 0, "last_read_at": None}
    stations.report_figures([{"station": "gate-in", **figures}], backlog=0)
    response, text = client.request("GET", "/api/admin/stations")
    assert response.status == 200
    rows = {row["id"]: row for row in json.loads(text)["stations"]}
    assert list(rows) == ["door-1", "gate-in", "gate-out", "gate"]
    assert (rows["gate-in"]["status"], rows["gate-in"]["frames"]) == ("offline", 9)
    assert rows["gate-in"]["detail_shown"].startswith("silent for 12 s")
    assert rows["door-1"]["status"] == "unknown"
    archivist = session_for(site, Role.ARCHIVIST)
    assert archivist.request("GET", "/api/admin/stations")[0].status == 403
    assert Client(site).request("GET", "/api/admin/stations")[0].status == 401


def test_the_users_page_lists_accounts_with_their_last_sign_in(site):
    accounts.sign_in("walker", PASSWORD, "10.0.0.9")
    response, html = admin(site).request("GET", "/admin/users")
    assert response.status == 200
    walker = html.split('data-username="walker"')[1].split("</tr>")[0]
    assert "Walker" in walker and "archivist" in walker and "active" in walker
    assert datetime.now().strftime("%Y-") in walker
    screen = html.split('data-username="screen"')[1].split("</tr>")[0]
    assert "signs in by link" in screen and "/admin/users/kiosk-link" in screen


def test_adding_a_user_needs_the_form_token_and_a_good_password_typed_twice(site):
    client = admin(site)
    form = {"username": "zhao", "name": "赵敏", "role": "archivist", "language": "zh"}
    good = form | {"password": NEW_PASSWORD, "password2": NEW_PASSWORD}
    for token in (None, "", "forged-" + "x" * 40):
        response, text = post(client, "/admin/users/add", token, **good)
        assert response.status == 403 and "did not come from Vault" in text
    assert User.get_or_none(User.username == "zhao") is None
    _, html = post(client, "/admin/users/add", **form, password="short", password2="short")
    assert "the password is too short" in html and 'value="赵敏"' in html
    _, html = post(client, "/admin/users/add", **form, password=NEW_PASSWORD, password2="x")
    assert "the two passwords differ" in html
    _, html = post(client, "/admin/users/add", **(good | {"username": "walker"}))
    assert "there is already a user named &#039;walker&#039;" in html
    assert NEW_PASSWORD not in html  # a refused form never echoes a password
    response, _ = post(client, "/admin/users/add", **good)
    assert (response.status, location(response)) == (303, "/admin/users?done=added&user=zhao")
    assert accounts.sign_in("zhao", NEW_PASSWORD, "").username == "zhao"
    assert User.get(User.username == "zhao").display_name == "赵敏"


def test_resetting_a_password_ends_the_persons_sessions(site):
    walker = Client(site, {"vault_session": accounts.sign_in("walker", PASSWORD, "").token})
    client = admin(site)
    form = {"username": "walker", "password": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert post(client, "/admin/users/password", None, **form)[0].status == 403
    response, _ = post(client, "/admin/users/password", **form)
    assert (response.status, location(response)) == (303, "/admin/users?done=password&user=walker")
    assert walker.request("GET", "/")[0].status == 303  # back to the sign-in form
    assert accounts.sign_in("walker", NEW_PASSWORD, "").username == "walker"
    _, html = post(client, "/admin/users/password", **(form | {"username": "screen"}))
    assert "is a guard-room screen" in html


def test_disabling_a_user_ends_their_sessions_but_never_ones_own(site):
    walker = Client(site, {"vault_session": accounts.sign_in("walker", PASSWORD, "").token})
    client = admin(site)
    assert post(client, "/admin/users/disable", "", username="walker")[0].status == 403
    assert walker.request("GET", "/")[0].status == 200
    response, _ = post(client, "/admin/users/disable", username="walker")
    assert response.status == 303 and User.get(User.username == "walker").disabled
    assert walker.request("GET", "/")[0].status == 303
    live = WebSession.select().join(User).where(User.username == "walker")
    assert all(s.revoked_at is not None for s in live)
    _, html = post(client, "/admin/users/disable", username="administrator")
    assert "cannot disable your own account" in html
    assert not User.get(User.username == "administrator").disabled


def test_a_screens_link_is_shown_once_and_signs_the_screen_in(site):
    client = admin(site)
    response, html = post(client, "/admin/users/kiosk-link", username="screen")
    assert response.status == 200
    url = html.split('<code id="kiosk-url">')[1].split("</code>")[0]
    assert url.startswith(site + "/kiosk/")
    token = urllib.parse.urlsplit(url).path.rsplit("/", 1)[1]
    assert sessions.kiosk_link_account(token).username == "screen"
    _, html = post(client, "/admin/users/kiosk-link", username="walker")
    assert "there is no guard-room screen account" in html


def test_the_pages_are_the_administrators_only(site):
    archivist = session_for(site, Role.ARCHIVIST)
    for path in ("/admin", "/admin/users"):
        assert archivist.request("GET", path)[0].status == 403
    form = {"username": "walker"}
    response, _ = post(archivist, "/admin/users/disable", **form)
    assert response.status == 403 and not User.get(User.username == "walker").disabled
    home = admin(site).request("GET", "/")[1]
    assert 'href="/admin"' in home


def test_database_passwords_are_masked():
    assert masked_url("sqlite:////srv/vault.db") == "sqlite:////srv/vault.db"
    assert masked_url("postgresql://u:p@h/db") == "postgresql://u:***@h/db"
    assert masked_url("postgresql://h/db?user=u&password=p") == (
        "postgresql://h/db?user=u&password=***"
    )


def test_a_station_the_bridge_never_reported_is_unknown(site):
    Station.update(status="unknown").execute()
    html = admin(site).request("GET", "/admin")[1]
    assert html.count('<td data-field="status_shown">unknown</td>') == 4
