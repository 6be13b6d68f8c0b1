"""The reports over HTTP and from the command line: every report in at least one form, several
in all three (page, CSV, PDF read back with pdftotext), refusals of bad input, who may open
what, and the Chinese of every report's own words. Served by waitress over a real SQLite
file in a site zone (Asia/Shanghai) other than UTC; reads recorded through `record_read`."""

from __future__ import annotations

import csv
import http.client
import io
import re
import subprocess
import urllib.parse
from datetime import timedelta

import pytest

from tests import databases
from tests.conftest import PASSWORD, SAMPLE_CSV, run_vault, serving, write_config
from tests.integration.test_closing import DAY, DESK, DOOR, EXIT, ZONE, add_stations, read
from tests.integration.test_web_access import Client, session_for
from vault.config import Config
from vault.db.models import Alarm, database
from vault.domain.access import Role
from vault.services import accounts, alarms, clock, closing
from vault.services.register import import_file
from vault.services.reports import HISTORY
from vault.services.reports_classified import HOLDERS_COLUMNS, PLACES_COLUMNS
from vault.services.requests import approve_request
from vault.web.app import create_app
from vault.web.i18n import translate


def scenario() -> None:
    """DAY in Shanghai: 0137 issued to 张华 and taken back; 0138 issued to 王明 and carried out
    of the reading room; 0011 out without approval; the closing check run; one alarm
    acknowledged. A read just before DAY starts and one just after it ends."""
    import_file(SAMPLE_CSV)
    add_stations()
    approve_request("张华", "李局长", "同意查阅", ["WC-TJ-2002-0137"], DAY, DAY)
    approve_request("王明", "赵主任", "同意", ["WC-TJ-2002-0138"], DAY, DAY)
    read(DOOR, "WC-TJ-2002-0137", "07:30")  # 23:30 UTC the day before: still DAY here
    read(DESK, "WC-TJ-2002-0137", "09:05", reader="张华")
    read(DESK, "WC-TJ-2002-0137", "11:00")  # taken back at the desk
    read(DOOR, "WC-TJ-2002-0137", "11:10")  # and back on the shelf
    read(DOOR, "WC-TJ-2002-0138", "09:10")
    read(DESK, "WC-TJ-2002-0138", "09:15", reader="王明")
    read(EXIT, "WC-TJ-2002-0138", "10:00")
    read(DOOR, "WC-TJ-2003-0011", "12:00")  # no request: "removed without approval"
    read(DOOR, "WC-TJ-2005-0033", "00:10", day=DAY + timedelta(days=1))  # the next day
    closing.close_day(DAY, "17:30")
    exit_alarm = Alarm.select().where(Alarm.rule == "left the reading room").get()
    alarms.acknowledge(exit_alarm.id, "王明 brought it back", by="security")


@pytest.fixture
def site(db, tmp_path):
    clock.set_zone(ZONE)
    scenario()
    for role in (Role.ARCHIVIST, Role.SECURITY):
        accounts.add_user(role.value, role.value, PASSWORD, language="en")
    accounts.add_user("zhang", "archivist", PASSWORD, language="zh")
    config = Config(
        path=tmp_path / "vault.toml",
        database="sqlite://",
        site_name="测试档案室",
        timezone="Asia/Shanghai",
        closing_time="17:30",
    )
    try:
        with serving(create_app(config)) as base:
            yield base
    finally:
        clock.set_zone(None)


def fetch(client: Client, path: str) -> tuple[int, dict, bytes]:
    """Any answer, binary too, with the client's session."""
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(client.base).netloc, timeout=30)
    cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    connection.request("GET", path, headers={"Cookie": cookies})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def page(client: Client, path: str) -> str:
    status, _, body = fetch(client, path)
    assert status == 200, (path, status, body[:400])
    return body.decode()


def csv_rows(client: Client, path: str) -> list[list[str]]:
    status, headers, body = fetch(client, path)
    assert status == 200 and headers["content-type"].startswith("text/csv"), (path, status)
    assert "attachment" in headers["content-disposition"]
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def pdf_text(client: Client, path: str, tmp_path) -> str:
    status, headers, body = fetch(client, path)
    assert status == 200 and headers["content-type"] == "application/pdf", (path, status)
    assert body.startswith(b"%PDF")
    out = tmp_path / "report.pdf"
    out.write_bytes(body)
    done = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, check=True)
    return done.stdout.decode()


def cells(html: str) -> list[list[str]]:
    """The report table's rows as cell texts."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", r, re.S)]
            for r in rows]  # fmt: skip


def test_the_index_offers_each_report_the_role_may_open(site):
    archivist = session_for(site, Role.ARCHIVIST)
    html = page(archivist, "/reports")
    for form in ("report-folder", "report-person", "report-day", "report-statistics",
                 "report-closing"):  # fmt: skip
        assert f'id="{form}"' in html
    assert 'href="/reports/classified-holders"' in html
    guard = session_for(site, Role.SECURITY)
    html = page(guard, "/reports")
    assert 'id="report-statistics"' in html and 'id="report-closing"' in html
    assert 'id="report-folder"' not in html and "classified-holders" not in html
    assert fetch(guard, "/reports/folder?code=WC-TJ-2002-0137")[0] == 403
    assert fetch(guard, "/reports/closing?day=2026-03-02")[0] == 200
    assert fetch(Client(site), "/reports/statistics")[0] in (302, 303)  # not signed in
    assert 'href="/reports"' in page(archivist, "/")


def test_a_folders_history_as_page_csv_and_pdf(site, tmp_path):
    archivist = session_for(site, Role.ARCHIVIST)
    path = "/reports/folder?code=WC-TJ-2002-0138"
    html = page(archivist, path)
    assert "Custody history of folder WC-TJ-2002-0138" in html
    rows = cells(html)
    what = [r[1] for r in rows]
    # The approvals were recorded today, for reads dated DAY: time order puts them after.
    assert what == ["left warehouse", "issued", "left reading room", "left the reading room",
                    "approval", "not returned at closing time"]  # fmt: skip
    assert rows[4][3] == "赵主任" and "同意" in rows[4][-1]  # the approval and its opinion
    assert rows[1][0] == "2026-03-02 09:15:00" and rows[1][3] == "王明"  # local time, holder
    assert "王明 brought it back" in rows[3][-1]  # the acknowledgement beside the alarm
    assert 'href="?code=WC-TJ-2002-0138&amp;format=csv"' in html
    table = csv_rows(archivist, path + "&format=csv")
    assert table[0] == [heading for key, heading in HISTORY if key != "code"]
    assert [r[1] for r in table[1:]] == what
    text = pdf_text(archivist, path + "&format=pdf", tmp_path)
    assert "Custody history of folder WC-TJ-2002-0138" in text
    assert "王明" in text and "left reading room" in text and "赵主任" in text
    assert re.search(r"2026-03-02 +issued +desk-1 +王明", text)  # the time wraps: date, then hour


def test_a_persons_history_and_a_days_events(site):
    archivist = session_for(site, Role.ARCHIVIST)
    table = csv_rows(
        archivist, "/reports/person?name=" + urllib.parse.quote("张华") + "&format=csv"
    )
    assert [(r[1], r[2]) for r in table[1:]] == [
        ("issued", "WC-TJ-2002-0137"),
        ("request", "WC-TJ-2002-0137"),  # recorded today, for DAY
        ("approval", "WC-TJ-2002-0137"),
    ]
    rows = cells(page(archivist, "/reports/day?day=2026-03-02"))
    codes = {r[2] for r in rows}
    assert "WC-TJ-2005-0033" not in codes  # the next day's read
    assert rows[0][0] == "2026-03-02 07:30:00"  # 23:30 UTC the day before is this local day
    assert sum(r[1] == "removed without approval" for r in rows) == 1
    # DAY's closing check was run (caught up) today: its alarms are today's.
    assert not any(r[1] == "not returned at closing time" for r in rows)
    rows = cells(page(archivist, f"/reports/day?day={clock.today().isoformat()}"))
    assert sum(r[1] == "not returned at closing time" for r in rows) == 2  # 0138 and 0011


def test_classified_folders_in_hand_and_in_place(site, tmp_path):
    archivist = session_for(site, Role.ARCHIVIST)
    html = page(archivist, "/reports/classified-holders")
    rows = cells(html)
    assert [(r[0], r[3]) for r in rows] == [
        ("WC-TJ-2002-0137", "张华"),
        ("WC-TJ-2002-0138", "王明"),
    ]
    keys = [key for key, _ in HOLDERS_COLUMNS]
    first, second = (dict(zip(keys, r, strict=True)) for r in rows)
    assert first["issued_at"] == "2026-03-02 09:05:00" and first["back_at"] == "2026-03-02 11:00:00"
    assert first["approved_by"] == "李局长" and first["ended_by"] == "checked in"
    assert second["approved_by"] == "赵主任" and second["back_at"] == ""  # still out
    assert second["outside_at"] == "2026-03-02 10:00:00"
    text = pdf_text(archivist, "/reports/classified-holders?format=pdf", tmp_path)
    assert "李局长" in text and "赵主任" in text and "Classified folders: 8" in text
    table = csv_rows(archivist, "/reports/classified-places?format=csv")
    keys = [key for key, _ in PLACES_COLUMNS]
    places = {r[0]: dict(zip(keys, r, strict=True)) for r in table[1:]}
    assert len(places) == 8 and "WC-TJ-2004-0201" not in places  # public: not listed
    assert places["WC-TJ-2002-0138"]["state"] == "outside"
    assert places["WC-TJ-2002-0138"]["holder"] == "王明"
    assert places["WC-TJ-2002-0138"]["last_station"] == "exit-1"
    assert places["WC-TJ-2002-0137"]["state"] == "shelved"
    assert places["WC-TJ-2002-0137"]["home"] == "A-03-02"


def test_statistics_and_the_closing_summary(site, tmp_path):
    guard = session_for(site, Role.SECURITY)
    html = page(guard, "/reports/statistics?from=2026-03-01&until=2026-03-03")
    rows = cells(html)
    day_rows = [r for r in rows if r[0] == "2026-03-02"]
    counted = {(r[1], r[2]): r[3:8] for r in day_rows}
    exit_alarm = counted[("left the reading room", "critical")]
    assert exit_alarm[:3] == ["1", "1", "0"] and exit_alarm[3] == exit_alarm[4]  # mean = max
    assert re.fullmatch(r"\d+:\d\d:\d\d", exit_alarm[3])  # acknowledged today: months later
    assert counted[("removed without approval", "critical")] == ["1", "0", "1", "", ""]
    assert "Alarms raised: 3" in html and "Closing checks run: 1" in html  # 0033 on 03-03
    assert "Not returned at closing on 2026-03-02: 2" in html  # by the day it closed
    assert "Folders overdue now: 3" in html  # 0138's request ended; 0011, 0033 had none
    table = csv_rows(guard, "/reports/statistics?from=2026-03-01&until=2026-03-03&format=csv")
    assert table[0][:3] == ["day", "alarm", "severity"] and len(table) == 1 + len(rows)
    # The check was caught up today: its alarms are counted among today's, none acknowledged.
    today = clock.today().isoformat()
    rows = cells(page(guard, f"/reports/statistics?from={today}&until={today}"))
    counted = {(r[0], r[1], r[2]): r[3:8] for r in rows}
    assert counted[(today, "not returned at closing time", "critical")] == ["2", "0", "2", "", ""]
    html = page(guard, "/reports/closing?day=2026-03-02")
    rows = cells(html)
    assert [(r[0], r[3]) for r in rows] == [("WC-TJ-2002-0138", "王明"), ("WC-TJ-2003-0011", "")]
    assert "Not returned: 2" in html and "Still open: 2" in html
    text = pdf_text(guard, "/reports/closing?day=2026-03-02&format=pdf", tmp_path)
    assert "WC-TJ-2002-0138" in text and "王明" in text and "Not returned: 2" in text
    assert "No closing check was run on 2026-03-01." in page(
        guard, "/reports/closing?day=2026-03-01"
    )
    csv_rows(guard, "/reports/closing?day=2026-03-02&format=csv")


@pytest.mark.parametrize(
    "path, said",
    [
        ("/reports/folder?code=NO-SUCH-1", "not registered: NO-SUCH-1"),
        ("/reports/folder?code=", "write a folder code to make this report"),
        ("/reports/person?name=nobody", "no one named &#039;nobody&#039; is in the records"),
        ("/reports/day?day=2026-02-30", "&#039;2026-02-30&#039; is not a date"),
        ("/reports/statistics?from=2026-03-05&until=2026-03-01&format=pdf", "ends (2026-03-01)"),
    ],
)
def test_bad_requests_are_refused_on_the_index_with_the_reason(site, path, said):
    status, headers, body = fetch(session_for(site, Role.ARCHIVIST), path)
    html = body.decode()
    assert status == 400 and headers["content-type"].startswith("text/html")
    assert 'role="alert"' in html and said in html and 'id="report-folder"' in html


def test_a_chinese_reader_gets_the_reports_in_chinese(site, tmp_path):
    zhang = Client(site)
    zhang.cookies["vault_session"] = accounts.sign_in("zhang", PASSWORD, "").token
    html = page(zhang, "/reports")
    assert "案卷流转记录" in html and "涉密案卷经手人记录" in html
    html = page(zhang, "/reports/folder?code=WC-TJ-2002-0138")
    assert "案卷 WC-TJ-2002-0138 流转记录" in html and "已借出" in html and "批准" in html
    html = page(zhang, "/reports/closing?day=2026-03-02")
    assert "2026-03-02 闭馆时未归还案卷" in html and "未归还：2" in html
    text = pdf_text(zhang, "/reports/classified-places?format=pdf", tmp_path)
    assert "涉密案卷现存位置" in text and "已带出" in text


def test_every_reports_own_words_have_chinese(site):
    """Titles, lines, headings and totals of every report, as the services write them."""
    from vault.services import reports, reports_classified, reports_statistics

    made = [
        reports.folder_history("WC-TJ-2002-0138"),
        reports.person_history("张华"),
        reports.day_history(DAY),
        reports_classified.classified_holders(),
        reports_classified.classified_places(),
        reports_statistics.statistics(DAY, DAY),
        closing.summary(DAY),
        closing.summary(DAY - timedelta(days=1)),
    ]
    for report in made:
        words = [report.title, *report.lines[-1:], *(h for _, h in report.columns), *report.footer]
        for text in words:
            assert re.search(r"[\u4e00-\u9fff]", translate(text, "zh")), text


def test_the_cli_writes_each_report(tmp_path):
    config = write_config(tmp_path, [], 'timezone = "Asia/Shanghai"\nclosing_time = "17:30"')
    run_vault(config, "init")
    databases.open_archive(tmp_path)
    clock.set_zone(ZONE)
    try:
        scenario()
    finally:
        clock.set_zone(None)
        database.close()
        database.initialize(None)
    pdf = tmp_path / "folder.pdf"
    done = run_vault(config, "report", "folder", "WC-TJ-2002-0137", "--format", "pdf",
                     "--out", str(pdf))  # fmt: skip
    assert "page(s)" in done.stdout
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    assert "Custody history of folder WC-TJ-2002-0137" in text.stdout.decode()
    assert "checked in" in text.stdout.decode()
    out = tmp_path / "stats.csv"
    run_vault(config, "report", "statistics", "--from", "2026-03-02", "--until", "2026-03-02",
              "--format", "csv", "--out", str(out))  # fmt: skip
    stats = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert stats[1][:6] == ["2026-03-02", "left the reading room", "critical", "1", "1", "0"]
    places = run_vault(config, "report", "classified-places").stdout
    assert "WC-TJ-2002-0138\t" in places and "outside" in places and "8 row(s)" in places
    day = run_vault(config, "report", "day", "2026-03-02").stdout
    assert "Custody events of 2026-03-02" in day and "2026-03-02 07:30:00" in day
    holders = run_vault(config, "report", "classified-holders").stdout
    assert "李局长" in holders
    person = run_vault(config, "report", "person", "王明").stdout
    assert "issued" in person
    missing = run_vault(config, "report", "folder", check=False)
    assert missing.returncode == 2 and "needs a CODE" in missing.stderr
    loose = run_vault(config, "report", "classified-places", "--format", "pdf", check=False)
    assert loose.returncode == 2 and "needs --out" in loose.stderr
    assert "verifies" in run_vault(config, "audit", "verify").stdout
