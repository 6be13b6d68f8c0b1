"""The pages in each person's language and the site's time zone, served by waitress over a real
SQLite file; and the custody rules dating requests in the site's calendar."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import PASSWORD, SAMPLE_CSV, serving
from tests.integration.test_web_access import Client, csrf_of, location
from vault.config import Config
from vault.db.models import Alarm, Station, User
from vault.domain.model import Read, StationKind
from vault.services import accounts, clock
from vault.services.custody import record_read
from vault.services.register import import_file
from vault.services.requests import approve_request
from vault.web.app import create_app

RAISED_UTC = datetime(2024, 1, 1, 0, 30)  # 2024-01-01 08:30 in Shanghai


@pytest.fixture
def site_zone():
    """The site zone is process-wide: put the machine's back after the test."""
    before = clock.zone()
    yield
    clock.set_zone(before)


@pytest.fixture
def site(db, tmp_path, site_zone):
    """A Shanghai site with a guard reading Chinese, one reading English, and an alarm raised
    at a known UTC time."""
    import_file(SAMPLE_CSV)
    Station.create(id="exit-1", kind="reading_exit", port="/dev/null")
    record_read(Read("exit-1", StationKind.READING_EXIT, "WC-TJ-2002-0137", RAISED_UTC), "i18n-1")
    accounts.add_user("zhang", "security", PASSWORD, display_name="张保安")
    accounts.add_user("smith", "security", PASSWORD, display_name="Smith", language="en")
    config = Config(
        path=tmp_path / "vault.toml",
        database="sqlite://",
        site_name="县统计局档案室",
        timezone="Asia/Shanghai",
    )
    with serving(create_app(config)) as base:
        yield base


def signed_in(base: str, username: str) -> Client:
    client = Client(base)
    client.cookies["vault_session"] = accounts.sign_in(username, PASSWORD, "").token
    return client


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)">', html).group(1)


def test_a_chinese_reader_sees_the_board_in_chinese(site):
    response, html = signed_in(site, "zhang").request("GET", "/alarms")
    assert response.status == 200
    assert html_lang(html) == "zh-CN"
    assert "告警看板" in html and "退出登录" in html and "保卫人员" in html
    assert ">Sign out<" not in html and "Alarm board ·" not in html


def test_an_english_reader_sees_it_in_english(site):
    response, html = signed_in(site, "smith").request("GET", "/alarms")
    assert response.status == 200
    assert html_lang(html) == "en"
    assert "Alarm board" in html and "Sign out" in html
    assert "告警看板" not in html and "退出登录" not in html


def test_times_are_in_the_sites_zone(site):
    guard = signed_in(site, "zhang")
    assert "2024-01-01 08:30:00" in guard.request("GET", "/alarms")[1]
    assert '"at": "2024-01-01 08:30:00"' in guard.request("GET", "/api/alarms")[1]


def test_a_person_switches_language_and_it_is_kept_on_the_account(site):
    guard = signed_in(site, "zhang")
    form = {"csrf": csrf_of(guard), "language": "en", "next": "/alarms"}
    response, _ = guard.request("POST", "/account/language", form)
    assert (response.status, location(response)) == (303, "/alarms")
    assert User.get(User.username == "zhang").language == "en"
    assert "Sign out" in guard.request("GET", "/alarms")[1]
    again = signed_in(site, "zhang")  # a new session keeps the choice
    assert html_lang(again.request("GET", "/alarms")[1]) == "en"


def test_the_switch_needs_the_pages_token_and_a_language_vault_has(site):
    guard = signed_in(site, "zhang")
    refused = guard.request("POST", "/account/language", {"language": "en"})[0]
    assert refused.status == 403
    form = {"csrf": csrf_of(guard), "language": "fr", "next": "//elsewhere.example/"}
    response, _ = guard.request("POST", "/account/language", form)
    assert (response.status, location(response)) == (303, "/")  # never to another site
    assert User.get(User.username == "zhang").language == "zh"


def test_before_sign_in_the_browser_and_lang_choose(site):
    stranger = Client(site)
    html = stranger.request("GET", "/signin")[1]
    assert html_lang(html) == "zh-CN" and "登录" in html and "用户名" in html
    html = stranger.request("GET", "/signin", headers={"Accept-Language": "en-US,en;q=0.9"})[1]
    assert html_lang(html) == "en" and "Sign in to Vault" in html
    chinese_browser = {"Accept-Language": "zh-CN,zh;q=0.9"}
    html = stranger.request("GET", "/signin?lang=en&next=/alarms", headers=chinese_browser)[1]
    assert "Sign in to Vault" in html
    assert '<input type="hidden" name="next" value="/alarms">' in html  # the switch keeps it


def test_error_pages_speak_the_visitors_language(site):
    response, html = signed_in(site, "zhang").request("GET", "/no-such-page")
    assert response.status == 404
    assert "404 页面不存在" in html


def test_requests_are_dated_in_the_sites_calendar(db, site_zone):
    """At 01:00 in Shanghai on 2 June it is still 1 June in UTC: a request for 2 June covers a
    folder leaving then, and not under a zone where it is still 1 June."""
    import_file(SAMPLE_CSV)
    Station.create(id="door-1", kind="warehouse_door", port="/dev/null")
    day = date(2024, 6, 2)
    at = datetime(2024, 6, 1, 17, 0)  # UTC
    approve_request("张华", "李局长", "同意", ["WC-TJ-2002-0137", "WC-TJ-2002-0138"], day, day)
    clock.set_zone(ZoneInfo("Asia/Shanghai"))
    door = Read("door-1", StationKind.WAREHOUSE_DOOR, "WC-TJ-2002-0137", at)
    assert record_read(door, "zone-1").alarm_ids == ()
    clock.set_zone(ZoneInfo("Europe/London"))
    door = Read("door-1", StationKind.WAREHOUSE_DOOR, "WC-TJ-2002-0138", at)
    [alarm_id] = record_read(door, "zone-2").alarm_ids
    assert Alarm.get_by_id(alarm_id).rule == "removed without approval"


def test_create_app_sets_the_configured_zone(db, tmp_path, site_zone):
    create_app(Config(path=Path(tmp_path / "vault.toml"), database="x://", timezone="Asia/Tokyo"))
    assert clock.zone() == ZoneInfo("Asia/Tokyo")


def first_board_event(base: str, client: Client) -> dict:
    import http.client
    import json
    import urllib.parse

    connection = http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=10)
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    connection.request("GET", "/api/alarms/events", headers={"Cookie": cookie})
    response = connection.getresponse()
    try:
        while True:
            line = response.fp.readline().decode()
            if line.startswith("data: ") and line.strip() != "data: {}":
                return json.loads(line[len("data: ") :])
    finally:
        connection.close()


def test_the_live_board_sends_its_sentences_in_the_readers_language(site):
    chinese = first_board_event(site, signed_in(site, "zhang"))["alarms"][0]["reason"]
    english = first_board_event(site, signed_in(site, "smith"))["alarms"][0]["reason"]
    assert english.startswith("read at the reading-room exit exit-1")
    assert chinese != english and "exit-1" in chinese
    assert not re.search(r"[A-Za-z]{4,}", chinese.replace("exit-1", ""))
