"""The register's pages over HTTP: every search filter, keyset and partial paging, the CSV
exports, a folder's page with its timeline and labels, the folders out and overdue, an unknown
folder, and hostile titles. Served by waitress over a real SQLite file; the reads are recorded
through `record_read`, as the bridge records them."""

from __future__ import annotations

import re
import urllib.parse
from datetime import date, timedelta

import pytest

from tests import databases
from tests.conftest import PASSWORD, SAMPLE_CSV, serving
from tests.integration.test_web_access import HOSTILE, Client, session_for
from tests.integration.test_web_desk import send
from vault.config import Config
from vault.db import search_index
from vault.db.models import Folder, LabelPrint, Location, Request, RequestItem, Station
from vault.domain.access import Role
from vault.domain.approvals import Policy
from vault.domain.model import Read, StationKind
from vault.services import accounts, policy
from vault.services.clock import utcnow
from vault.services.custody import record_read
from vault.services.register import import_file
from vault.services.requests import approve_request
from vault.web.app import create_app

TODAY = date.today()
EXTRA = 60  # more than a page of ZZ folders


def read(station: str, kind: StationKind, code: str, minutes: int, reader: str | None = None):
    at = utcnow() - timedelta(minutes=100 - minutes)
    return record_read(Read(station, kind, code, at, reader=reader), f"{station}-{code}-{minutes}")


@pytest.fixture
def site(db, tmp_path):
    """The sample archive, 60 more folders (some with one rare character, one with a hostile
    title, one whose title a spreadsheet would run), and folders out in three ways:
    0137 issued on a request, 0011 issued on a request since expired, 0012 out without one."""
    import_file(SAMPLE_CSV)
    shelf = Location.get(Location.code == "A-01-01")
    for n in range(1, EXTRA + 1):
        title = f"测试案卷{n}" + ("鑫" if n % 20 == 0 else "")
        Folder.create(code=f"ZZ-{n:04d}", title=title, classification="internal", location=shelf)
    Folder.create(code="ZZ-XSS", title=HOSTILE, classification="secret", location=shelf)
    Folder.create(code="ZZ-CSV", title='=HYPERLINK("http://x")', classification="public",
                  location=shelf)  # fmt: skip
    for station, kind in (("door-1", "warehouse_door"), ("desk-1", "reading_desk")):
        Station.create(id=station, kind=kind, port="/dev/null")
    rules = Policy(heads=frozenset({"李局长"}))  # 0011 is top secret: the head approves it
    policy.set_policy(rules)
    approve_request("张华", "李局长", "同意", ["WC-TJ-2002-0137"], TODAY, TODAY)
    approve_request("王明", "李局长", "同意", ["WC-TJ-2003-0011"], TODAY, TODAY)
    door, desk = StationKind.WAREHOUSE_DOOR, StationKind.READING_DESK
    read("door-1", door, "WC-TJ-2002-0137", 1)
    read("desk-1", desk, "WC-TJ-2002-0137", 2, reader="张华")
    read("door-1", door, "WC-TJ-2003-0011", 3)
    read("desk-1", desk, "WC-TJ-2003-0011", 4, reader="王明")
    ended = (
        RequestItem.select(RequestItem.request).join(Folder).where(Folder.code == "WC-TJ-2003-0011")
    )
    Request.update(valid_until=TODAY - timedelta(days=1)).where(Request.id.in_(ended)).execute()
    read("door-1", door, "WC-TJ-2003-0012", 5)  # no request: an alarm, and overdue at once
    folder = Folder.get(Folder.code == "WC-TJ-2002-0137")
    Folder.update(label_generation=2).where(Folder.id == folder.id).execute()
    for generation in (1, 2):
        LabelPrint.create(folder=folder, generation=generation, printed_at=utcnow(),
                          output="pdf Avery L7160")  # fmt: skip
    for role in (Role.ARCHIVIST, Role.LEADER, Role.ADMINISTRATOR, Role.SECURITY):
        accounts.add_user(role.value, role.value, PASSWORD, language="en")
    accounts.add_user("zhang", "archivist", PASSWORD, language="zh")
    config = Config(
        path=tmp_path / "vault.toml", database="sqlite://", site_name="测试档案室", approvals=rules
    )
    with serving(create_app(config)) as base:
        yield base


def codes(html: str) -> list[str]:
    return re.findall(r'<tr class="folder" data-code="([^"]+)"', html)


def link(html: str, element_id: str) -> str | None:
    found = re.search(rf'<a id="{element_id}" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def get(client: Client, path: str) -> str:
    response, html = client.request("GET", path)
    assert response.status == 200, (path, response.status, html[:300])
    return html


def search(client: Client, **filters: str) -> list[str]:
    return codes(get(client, "/register?" + urllib.parse.urlencode(filters)))


def test_every_filter_through_the_search_form(site):
    archivist = session_for(site, Role.ARCHIVIST)
    assert search(archivist, code="wc-tj-2003") == ["WC-TJ-2003-0011", "WC-TJ-2003-0012"]
    assert search(archivist, title="人口抽样") == ["WC-TJ-2003-0011", "WC-TJ-2003-0012"]
    assert search(archivist, classification="top_secret") == ["WC-TJ-2003-0011", "WC-TJ-2003-0012"]
    assert "WC-TJ-2002-0137" in search(archivist, location="A-03")
    assert "WC-TJ-2003-0011" not in search(archivist, location="A-03")
    assert search(archivist, state="issued") == ["WC-TJ-2002-0137", "WC-TJ-2003-0011"]
    both = search(archivist, title="人口", classification="top_secret", state="in_reading_room")
    assert both == ["WC-TJ-2003-0012"]
    html = get(archivist, "/register?title=%E4%BA%BA%E5%8F%A3%E6%8A%BD%E6%A0%B7&state=issued")
    assert 'value="人口抽样"' in html and '<option value="issued" selected>' in html
    assert 'href="/folders/WC-TJ-2003-0011"' in html and "长期" in html  # the marking
    assert "王明" in get(archivist, "/register?state=issued")  # the holder
    assert "No folders match." in get(archivist, "/register?title=%E6%97%A0")
    bad = get(archivist, "/register?classification=very_secret")
    assert 'role="alert"' in bad and "no classification" in bad and codes(bad) == []


def test_pages_go_by_code_and_a_partial_search_says_to_continue(site, monkeypatch):
    archivist = session_for(site, Role.ARCHIVIST)
    first = get(archivist, "/register?code=ZZ-0")
    assert codes(first) == [f"ZZ-{n:04d}" for n in range(1, 51)]
    assert link(first, "next") == "/register?code=ZZ-0&after=ZZ-0050"
    second = get(archivist, link(first, "next"))
    assert codes(second) == [f"ZZ-{n:04d}" for n in range(51, EXTRA + 1)]
    assert link(second, "next") is None and link(second, "continue") is None

    monkeypatch.setattr(search_index, "WINDOWS", (4, 8))  # a one-character title is walked,
    monkeypatch.setattr(search_index, "SCAN_BUDGET", 10)  # and the walk stops early
    found, path, partial_pages = [], "/register?title=%E9%91%AB", 0
    while path:
        html = get(archivist, path)
        found += codes(html)
        partial_pages += link(html, "continue") is not None
        path = link(html, "continue") or link(html, "next")
    assert found == ["ZZ-0020", "ZZ-0040", "ZZ-0060"]
    # SQLite's title index walks in bounded partial pages; PostgreSQL answers in one query.
    assert (partial_pages > 0) == (not databases.POSTGRESQL)


def csv_of(client: Client, path: str) -> tuple[object, list[str]]:
    response, raw = send(client, "GET", path)
    assert response.status == 200
    assert raw.startswith(b"\xef\xbb\xbf")  # so Excel reads the Chinese
    return response, raw.decode("utf-8-sig").split("\r\n")[:-1]


def test_the_whole_search_exports_as_csv_with_formulas_defused(site):
    leader = session_for(site, Role.LEADER)
    response, lines = csv_of(leader, "/register?code=ZZ&format=csv")
    assert response.getheader("Content-Type") == "text/csv; charset=utf-8"
    disposition = response.getheader("Content-Disposition")
    assert disposition.startswith('attachment; filename="vault-register-')
    assert lines[0] == "folder,title,year,classification,marking,location,state,holder"
    assert len(lines) == 1 + EXTRA + 2  # every page, not the first 50
    assert any(line.startswith('ZZ-CSV,"\'=HYPERLINK(""http://x"")"') for line in lines)
    assert any(HOSTILE in line for line in lines)  # a file, not a page: kept as written
    _, chinese = csv_of(leader, "/register?title=%E4%BA%BA%E5%8F%A3&format=csv")
    assert [line.split(",")[0] for line in chinese[1:]] == ["WC-TJ-2003-0011", "WC-TJ-2003-0012"]
    assert "2003年人口抽样调查原始资料（第一册）" in chinese[1]
    assert send(leader, "GET", "/register?state=lost&format=csv")[0].status == 200  # the page
    html = get(leader, "/register?code=ZZ&title=%E9%91%AB")
    assert 'href="/register?code=ZZ&amp;title=%E9%91%AB&amp;format=csv"' in html


def test_the_folder_page_shows_place_labels_and_timeline_newest_first(site):
    archivist = session_for(site, Role.ARCHIVIST)
    html = get(archivist, "/folders/WC-TJ-2002-0137")
    assert "2002年全县农业普查汇总表" in html and "机密★ 30年" in html
    place = html.split('id="place"')[1].split("</section>")[0]
    assert (
        "issued" in place and "张华" in place and "A-03-02" in place and TODAY.isoformat() in place
    )
    labels = re.findall(
        r'<tr class="label (valid|void)"><td>(\d)</td><td class="code">([^<]+)', html
    )
    assert labels == [("valid", "2", "WC-TJ-2002-0137+2"), ("void", "1", "WC-TJ-2002-0137+1")]
    kinds = re.findall(r'data-kind="([a-z_]+)"', html)
    assert kinds == ["issued", "left_warehouse"]  # newest first
    timeline = html.split('id="timeline"')[1]
    assert "desk-1" in timeline and "reading-room desk" in timeline and "张华" in timeline
    assert "(2 events)" in timeline and link(html, "older") is None
    assert re.search(r'<td class="time">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d</td>', timeline)
    assert "in the reading room" in get(archivist, "/folders/WC-TJ-2003-0012")  # in English
    zhang = Client(site)
    zhang.cookies["vault_session"] = accounts.sign_in("zhang", PASSWORD, "").token
    zh = get(zhang, "/folders/WC-TJ-2002-0137")
    assert "流转记录" in zh and "已借出" in zh and "出库" in zh and "作废" in zh


def test_the_timeline_pages_by_event(site):
    Station.create(id="hand-1", kind="handheld", port="/dev/null")
    for minute in range(55):  # a handheld stocktake sees the folder over and over
        read("hand-1", StationKind.HANDHELD, "ZZ-0001", minute)
    archivist = session_for(site, Role.ARCHIVIST)
    first = get(archivist, "/folders/ZZ-0001")
    assert first.count('<tr class="event"') == 50 and "(55 events)" in first
    rest = get(archivist, link(first, "older"))
    assert rest.count('<tr class="event"') == 5 and link(rest, "older") is None


def test_an_unknown_folder_or_timeline_page_is_a_clear_404(site):
    archivist = session_for(site, Role.ARCHIVIST)
    response, html = archivist.request("GET", "/folders/NO-SUCH-1")
    assert response.status == 404
    assert "No folder with the code NO-SUCH-1 is in the register." in html
    response, html = archivist.request("GET", "/folders/%3Cb%3Ex")
    assert response.status == 404 and "&lt;b&gt;x" in html and "<b>x" not in html
    for before in ("999999", "abc"):
        response, html = archivist.request("GET", f"/folders/WC-TJ-2002-0137?before={before}")
        assert response.status == 404 and "not this folder" in html


def test_outside_now_and_overdue_lists_and_their_exports(site):
    admin = session_for(site, Role.ADMINISTRATOR)
    outside = get(admin, "/register/outside")
    assert codes(outside) == ["WC-TJ-2002-0137", "WC-TJ-2003-0011", "WC-TJ-2003-0012"]
    assert "door-1" in outside and "left warehouse" in outside
    overdue = get(admin, "/register/overdue")
    assert codes(overdue) == ["WC-TJ-2003-0011", "WC-TJ-2003-0012"]
    row = overdue.split('data-code="WC-TJ-2003-0011"')[1].split("</tr>")[0]
    assert (TODAY - timedelta(days=1)).isoformat() in row and "the request has ended" in row
    assert "no approved request" in overdue.split('data-code="WC-TJ-2003-0012"')[1]
    response, lines = csv_of(admin, "/register/overdue?format=csv")
    assert 'filename="vault-overdue-' in response.getheader("Content-Disposition")
    assert lines[0].endswith("last event,request valid until,why")
    assert [line.split(",")[0] for line in lines[1:]] == ["WC-TJ-2003-0011", "WC-TJ-2003-0012"]
    assert lines[2].endswith(",,no_request")
    _, lines = csv_of(admin, "/register/outside?format=csv")
    assert len(lines) == 4 and "张华" in lines[1]


def test_hostile_titles_are_text_and_security_may_open_a_folder_page_only(site):
    leader = session_for(site, Role.LEADER)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
    for path in ("/register?code=ZZ-X", "/folders/ZZ-XSS"):
        html = get(leader, path)
        assert escaped in html and "<script>alert" not in html and "<img" not in html
    home = get(leader, "/")
    assert all(
        f'href="{p}"' in home for p in ("/register", "/register/outside", "/register/overdue")
    )
    guard = session_for(site, Role.SECURITY)
    page = get(guard, "/folders/WC-TJ-2002-0137")
    assert "张华" in page and 'href="/register"' not in page  # no links it may not follow
    for path in ("/register", "/register/outside", "/register/overdue?format=csv"):
        assert guard.request("GET", path)[0].status == 403
