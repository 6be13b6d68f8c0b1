"""The desk's scan API and serial feed, and the alarm history with its CSV export, served by
waitress over a real SQLite file."""

from __future__ import annotations

import http.client
import json
import urllib.parse
from datetime import date, datetime

import pytest

from tests.conftest import PASSWORD, SAMPLE_CSV, serving
from tests.integration.test_web_access import Client, csrf_of, session_for
from vault.config import Config
from vault.db.models import Alarm, CustodyEvent, Folder, Station
from vault.domain.access import Role
from vault.domain.model import Read, StationKind
from vault.services import accounts, alarms, desk
from vault.services.csv_export import safe_cell
from vault.services.custody import record_read
from vault.services.register import import_file
from vault.services.requests import approve_request
from vault.web.app import create_app

TODAY = date.today()


@pytest.fixture
def site(db, tmp_path):
    import_file(SAMPLE_CSV)
    Station.create(id="desk-1", kind="reading_desk", port="/dev/null")
    Station.create(id="exit-1", kind="reading_exit", port="/dev/null")
    approve_request("张华", "李局长", "同意", ["WC-TJ-2002-0137"], TODAY, TODAY)
    approve_request("李四", "李局长", "同意", ["WC-TJ-2002-0138"], TODAY, TODAY)
    for role in (Role.ARCHIVIST, Role.ADMINISTRATOR, Role.SECURITY):
        accounts.add_user(role.value, role.value, PASSWORD, language="en")
    accounts.add_kiosk("kiosk")
    config = Config(path=tmp_path / "vault.toml", database="sqlite://", site_name="测试档案室")
    with serving(create_app(config)) as base:
        yield base


def send(client: Client, method: str, path: str, body: bytes | None = None, headers=None):
    """A request with the client's cookies and any body; returns (response, body bytes)."""
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(client.base).netloc, timeout=10)
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    connection.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def scan(client: Client, code: str, reader: str = "", token: str | None = "page") -> tuple:
    """A scan as the desk page's script posts it: JSON, the page's token in a header."""
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["X-CSRF-Token"] = csrf_of(client) if token == "page" else token
    body = json.dumps({"code": code, "reader": reader, "station": "desk-1"}).encode()
    response, data = send(client, "POST", "/api/desk/scan", body, headers)
    text = data.decode()
    return response.status, (json.loads(text) if text.startswith("{") else text)


def test_the_desk_answers_each_scan_with_the_folder_and_any_refusal(site):
    archivist = session_for(site, Role.ARCHIVIST)
    status, card = scan(archivist, "READER:张华")
    assert (status, card["event"], card["reader"]) == (200, "reader", "张华")
    status, issued = scan(archivist, "WC-TJ-2002-0137", "张华")
    assert (issued["accepted"], issued["event"], issued["holder"]) == (True, "issued", "张华")
    assert issued["title"] == "2002年全县农业普查汇总表" and issued["marking"] == "机密★ 30年"
    assert issued["message_shown"] == "issued to 张华"
    _, other = scan(archivist, "WC-TJ-2002-0138", "张华")
    assert (other["accepted"], other["message"]) == (False, "approved for 李四, not 张华")
    _, unknown = scan(archivist, "READER:nobody")
    assert unknown["event"] == "error" and "no reader named 'nobody'" in unknown["message"]
    _, empty = scan(archivist, "  ", "张华")
    assert (empty["accepted"], empty["message"]) == (False, "nothing was scanned")


def test_a_scan_without_the_page_token_or_by_the_administrator_is_refused(site):
    archivist = session_for(site, Role.ARCHIVIST)
    for token in (None, "", "forged-" + "x" * 40):
        status, text = scan(archivist, "WC-TJ-2002-0137", "张华", token)
        assert status == 403 and "did not come from Vault" in text
    admin = session_for(site, Role.ADMINISTRATOR)
    assert scan(admin, "WC-TJ-2002-0137", "张华")[0] == 403
    assert CustodyEvent.select().count() == 0
    response, html = admin.request("GET", "/desk")
    assert response.status == 200 and 'id="scan"' not in html and "desk-1" in html
    response, html = archivist.request("GET", "/desk?station=desk-1")
    assert 'id="scan"' in html and "READER:" in html and '<option value="张华">' in html
    assert archivist.request("GET", "/desk?station=exit-1")[0].status == 404


def test_serial_scans_feed_the_desk_page_and_its_own_scans_do_not(site):
    start = desk.last_event_id("desk-1")
    desk.scan("desk-1", "WC-TJ-2002-0137", "张华")  # the page's own: already shown there
    read = Read("desk-1", StationKind.READING_DESK, "WC-TJ-2002-0138", datetime.now())
    record_read(read, "spool-1")
    [(event_id, answer)] = desk.serial_answers("desk-1", start)
    assert (answer.code, answer.event, answer.holder) == ("WC-TJ-2002-0138", "issued", "李四")
    assert desk.serial_answers("desk-1", event_id) == []


def exit_alarm(code: str, note: str, by: str = "guard") -> int:
    read = Read("exit-1", StationKind.READING_EXIT, code, datetime.now())
    [alarm_id] = record_read(read, f"exit-{code}-{note}").alarm_ids
    alarms.acknowledge(alarm_id, note, by=by)
    return alarm_id


def test_the_history_finds_acknowledged_alarms_and_exports_them_safely(site):
    first = exit_alarm("WC-TJ-2002-0137", "已追回，送回阅览室")
    second = exit_alarm("WC-TJ-2002-0138", '=HYPERLINK("http://x")', by="@guard")
    guard = session_for(site, Role.SECURITY)
    response, html = guard.request("GET", "/alarms/history?q=" + "%E5%B7%B2%E8%BF%BD%E5%9B%9E")
    assert response.status == 200
    assert f'data-alarm-id="{first}"' in html and f'data-alarm-id="{second}"' not in html
    response, raw = send(guard, "GET", "/alarms/history?format=csv&rule=left+the+reading+room")
    assert response.getheader("Content-Type") == "text/csv; charset=utf-8"
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("alarm,raised at,rule")
    assert (
        lines[1].startswith(f"{second},") and "'=HYPERLINK" in lines[1] and ",'@guard," in lines[1]
    )
    assert lines[2].startswith(f"{first},") and "已追回" in lines[2]
    assert session_for(site, Role.KIOSK).request("GET", "/alarms/history")[0].status == 403
    bad = guard.request("GET", "/alarms/history?from=yesterday")[1]
    assert "dates are written as" in bad


def test_history_pages_go_by_keyset_and_filter_by_rule_and_date(site):
    ids = [exit_alarm(code, f"note {code}") for code in ("WC-TJ-2002-0137", "WC-TJ-2002-0138")]
    query = alarms.HistoryQuery()
    [newest] = alarms.history(query, limit=1)
    [older] = alarms.history(query, before=newest["id"], limit=1)
    assert [newest["id"], older["id"]] == ids[::-1]
    assert alarms.history(alarms.HistoryQuery(rule="void label read")) == []
    assert len(alarms.history(alarms.HistoryQuery(start=TODAY, end=TODAY))) == 2
    assert len(list(alarms.history_all(query, batch=1))) == 2
    assert Folder.get(Folder.code == "WC-TJ-2002-0137").state == "outside"
    assert Alarm.select().where(Alarm.acknowledged_at.is_null()).count() == 0


def test_formula_cells_get_an_apostrophe():
    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@x", "\tx", "ok", 5)] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@x",
        "'\tx",
        "ok",
        "5",
    ]
