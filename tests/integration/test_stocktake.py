"""Stocktakes over a real SQLite file: the sample archive counted room by room, a folder
leaving during the count, a handheld scanner on a pseudo-terminal read by `vault bridge`, the
desk's scan form and the reconciliation's CSV and PDF files."""

from __future__ import annotations

import csv
import http.client
import io
import json
import subprocess
import threading
import urllib.parse
from datetime import date
from itertools import count
from pathlib import Path

import pytest

from tests import databases
from tests.conftest import PASSWORD, SAMPLE_CSV, run_vault, serving, wait_until, write_config
from tests.integration.test_web_access import Client, csrf_of, location, session_for
from vault.config import Config
from vault.db.models import (
    AuditEntry,
    Folder,
    Location,
    Station,
    StocktakeResult,
    StocktakeScan,
    database,
)
from vault.domain.access import Role
from vault.domain.model import Read, StationKind
from vault.domain.stocktake import Category, must_be_explained
from vault.services import (
    accounts,
    audit,
    stocktake,
    stocktake_page,
    stocktake_rebuild,
    stocktake_report,
    stocktake_results,
)
from vault.services.clock import to_local, utcnow
from vault.services.custody import record_read
from vault.services.errors import VaultError
from vault.services.register import import_file
from vault.services.requests import approve_request
from vault.web.app import create_app

EPC = "E28011606000020D6F2A4B51"
TODAY = date.today()
_ids = count(1)


def read(station: str, kind: StationKind, code: str, tag: bool = False, **kw) -> str:
    recorded = record_read(Read(station, kind, code, utcnow(), tag=tag, **kw), f"t-{next(_ids)}")
    return recorded.event_kind


@pytest.fixture
def archive(db, tmp_path):
    """The sample archive, two folders of our own in room A (one tagged), the stations, and a
    folder already issued to a reader before any count opens."""
    import_file(SAMPLE_CSV)
    shelf = Location.get(Location.code == "A-04-02")
    Folder.create(code="WC-TJ-2009-0001", title="2009年统计台账", classification="public",
                  location=shelf)  # fmt: skip
    Folder.create(code="WC-TJ-2009-0002", title="2009年普查底册", classification="secret",
                  location=shelf, rfid_epc=EPC)  # fmt: skip
    for sid, kind in (("door-1", "warehouse_door"), ("desk-1", "reading_desk")):
        Station.create(id=sid, kind=kind, port="/dev/null")
    Station.create(id="hand-1", kind="handheld", port="/dev/null")
    approve_request("张华", "李局长", "同意", ["WC-TJ-2005-0033", "WC-TJ-2002-0138"], TODAY, TODAY)
    assert read("door-1", StationKind.WAREHOUSE_DOOR, "WC-TJ-2005-0033") == "left_warehouse"
    assert read("desk-1", StationKind.READING_DESK, "WC-TJ-2005-0033", reader="张华") == "issued"
    return tmp_path


def by_code(lines) -> dict[str, tuple[Category, str]]:
    return {line.code: (line.category, line.note) for line in lines}


def test_a_room_counted_with_a_folder_leaving_during_the_count(archive):
    count_ = stocktake.open_stocktake("room", "a", "王芳")
    assert stocktake.expected_count(count_) == 10  # room A's 8 sample folders and ours
    # After the count opened, an approved folder leaves the warehouse: still expected.
    assert read("door-1", StationKind.WAREHOUSE_DOOR, "WC-TJ-2002-0138") == "left_warehouse"
    stocktake.scan(
        count_.id,
        ["LOC:A-01-01", "WC-TJ-2003-0011", "WC-TJ-2003-0012+1", "A-03-02", "WC-TJ-2002-0137"]
        + ["WC-TJ-2005-0034", "WC-TJ-2004-0201", "NOT-IN-REGISTER-7"],
        "desk:archivist",
    )
    # The handheld through custody: a shelf label, then a burst of reads of one tag.
    assert read("hand-1", StationKind.HANDHELD, "LOC:A-04-02") == "unknown_code"
    for _ in range(3):
        assert read("hand-1", StationKind.HANDHELD, EPC.lower(), tag=True) == "seen"
    read("door-1", StationKind.WAREHOUSE_DOOR, "STRAY-AT-THE-DOOR")  # not a handheld: no scan

    lines = by_code(stocktake_report.lines(count_))
    assert lines == {
        "WC-TJ-2002-0137": (Category.FOUND, ""),
        "WC-TJ-2002-0138": (
            Category.MISSING,
            f"left warehouse {_local_hm()} after the count opened",
        ),
        "WC-TJ-2003-0011": (Category.FOUND, ""),
        "WC-TJ-2003-0012": (Category.FOUND, ""),
        "WC-TJ-2004-0201": (Category.MISPLACED, "belongs on B-02-04, outside this count"),
        "WC-TJ-2005-0033": (Category.ISSUED, ""),
        "WC-TJ-2005-0034": (Category.MISPLACED, "found on A-03-02"),
        "WC-TJ-2007-0007": (Category.MISSING, ""),
        "WC-TJ-2008-0420": (Category.MISSING, ""),
        "WC-TJ-2009-0001": (Category.MISSING, ""),
        "WC-TJ-2009-0002": (Category.FOUND, ""),
        "NOT-IN-REGISTER-7": (Category.UNREGISTERED, ""),
    }
    issued = next(li for li in stocktake_report.lines(count_) if li.code == "WC-TJ-2005-0033")
    assert (issued.state, issued.holder) == ("issued", "张华")
    scans = (
        StocktakeScan.select().where(StocktakeScan.source == "hand-1").order_by(StocktakeScan.id)
    )
    assert [(s.code, s.shelf, s.folder_id is not None) for s in scans] == [
        ("LOC:A-04-02", "A-04-02", False),
        *[(EPC.lower(), "A-04-02", True)] * 3,
    ]

    # Closing: every missing classified folder must be explained (0138, 0007, 0420), the
    # missing public folder need not be.
    with pytest.raises(VaultError, match=r"^3 missing folder\(s\) must be explained .*: "
                       r"WC-TJ-2002-0138, WC-TJ-2007-0007, WC-TJ-2008-0420$"):  # fmt: skip
        stocktake.close(count_.id, "王芳")
    stocktake.explain(
        count_.id, "WC-TJ-2002-0138", "approved for 张华, in the reading room", "王芳"
    )
    stocktake.explain(count_.id, "WC-TJ-2007-0007+1", "at the bindery, receipt 12", "王芳")
    with pytest.raises(VaultError, match=r"^1 missing folder\(s\) .*: WC-TJ-2008-0420$"):
        stocktake.close(count_.id, "王芳")
    with pytest.raises(VaultError, match="WC-TJ-2004-0201 is not on the list of stocktake"):
        stocktake.explain(count_.id, "WC-TJ-2004-0201", "room B", "王芳")
    with pytest.raises(VaultError, match="write why the folder was not found"):
        stocktake.explain(count_.id, "WC-TJ-2008-0420", "  ", "王芳")
    stocktake.explain(count_.id, "WC-TJ-2008-0420", "with the leader, signed slip", "王芳")
    summary = stocktake.close(count_.id, "王芳")
    assert (summary["found"], summary["missing"], summary["misplaced"]) == (4, 4, 2)
    assert (summary["issued"], summary["unregistered"], summary["expected"]) == (1, 1, 10)
    note = AuditEntry.select().where(AuditEntry.kind == audit.STOCKTAKE_CLOSED).get()
    assert note.ref == count_.id and json.loads(note.body)["record"]["missing"] == 4
    with pytest.raises(VaultError, match=f"stocktake {count_.id} was closed on .* by 王芳"):
        stocktake.scan(count_.id, ["WC-TJ-2008-0420"], "desk:archivist")
    before = StocktakeScan.select().count()
    read("hand-1", StationKind.HANDHELD, "WC-TJ-2008-0420")  # a closed count takes no more
    assert StocktakeScan.select().count() == before
    assert audit.verify().ok

    # The files, through the command line on the same database file.
    config = write_config(archive, [])
    run_vault(config, "stocktake", "report", str(count_.id), "--format", "csv",
              "--out", str(archive / "count.csv"))  # fmt: skip
    rows = list(csv.DictReader(io.StringIO((archive / "count.csv").read_text("utf-8-sig"))))
    assert [r["Result"] for r in rows][:4] == ["missing"] * 4  # grouped: missing first
    assert len(rows) == 12 and rows[-1]["Result"] == "found"
    explained = next(r for r in rows if r["Folder"] == "WC-TJ-2007-0007")
    assert explained["Explanation"] == "at the bindery, receipt 12 (王芳)"
    moved = next(r for r in rows if r["Folder"] == "WC-TJ-2004-0201")
    assert (moved["Home shelf"], moved["Found on"]) == ("B-02-04", "A-03-02")
    run_vault(config, "stocktake", "report", str(count_.id), "--format", "pdf",
              "--out", str(archive / "count.pdf"))  # fmt: skip
    text = pdftotext(archive / "count.pdf")
    assert f"Stocktake {count_.id}" in text and "Scope: room A" in text
    assert "Expected 10: found 4, misplaced 2, missing 4" in text
    assert "WC-TJ-2008-0420" in text and "signed slip" in text
    listed = run_vault(config, "stocktake", "list").stdout
    assert f"{count_.id}\troom A\t" in listed and "closed" in listed


def _local_hm() -> str:
    return to_local(utcnow()).strftime("%H:%M")


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_count_of_the_classified_folders_lists_those_out_and_needs_every_missing_explained(
    archive,
):
    count_ = stocktake.open_stocktake("classified", "", "王芳")
    expected = {line.code: line for line in stocktake_report.lines(count_)}
    assert len(expected) == 9  # the sample's 8 three secrets folders and our secret one
    assert all(line.classified for line in expected.values())
    assert expected["WC-TJ-2005-0033"].category is Category.ISSUED  # out, with 张华
    stocktake.scan(count_.id, ["B-01-01", "WC-TJ-2006-0100", "WC-TJ-2005-0033"], "cli")
    lines = by_code(stocktake_report.lines(count_))
    assert "WC-TJ-2006-0100" not in lines  # an internal folder: not part of this count
    assert lines["WC-TJ-2005-0033"] == (Category.ISSUED, "also seen on B-01-01")
    with pytest.raises(VaultError, match=r"^8 missing folder\(s\) must be explained"):
        stocktake.close(count_.id, "王芳")


@pytest.mark.parametrize(
    ("scope", "value", "message"),
    [
        ("room", "Z", "no shelf of the register is in room Z"),
        ("shelves", "A-09-01..A-09-09", "no shelf of the register is in shelves A-09-01 to"),
        ("drawer", "", "a stocktake's scope is one of"),
    ],
)
def test_a_scope_naming_no_shelf_is_refused_and_opens_nothing(archive, scope, value, message):
    with pytest.raises(VaultError, match=message):
        stocktake.open_stocktake(scope, value, "王芳")
    assert stocktake_page.listing() == []


def test_a_shelf_range_expects_the_folders_on_its_shelves_only(archive):
    count_ = stocktake.open_stocktake("shelves", "A-01-01..A-03-02", "王芳")
    codes = sorted(line.code for line in stocktake_report.lines(count_))
    assert codes == [
        "WC-TJ-2002-0137",
        "WC-TJ-2002-0138",
        "WC-TJ-2003-0011",
        "WC-TJ-2003-0012",
        "WC-TJ-2005-0033",
        "WC-TJ-2005-0034",
    ]


def db_scans(folder: Path) -> list[tuple[str, str, bool]]:
    databases.open_archive(folder)
    try:
        query = StocktakeScan.select().order_by(StocktakeScan.id)
        return [(s.code, s.shelf, s.folder_id is not None) for s in query]
    finally:
        database.close()


def station_connected(folder: Path, station: str) -> bool:
    databases.open_archive(folder)
    try:
        return Station.get_by_id(station).status == "connected"
    finally:
        database.close()


def test_a_handheld_scanner_read_by_the_bridge_counts_shelf_by_shelf(tmp_path, make_pty, processes):
    handheld = make_pty()
    config = write_config(tmp_path, [{"id": "hand-1", "kind": "handheld", "port": handheld.path}])
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    opened = run_vault(
        config, "stocktake", "open", "--scope", "room", "--value", "A", "--by", "王芳"
    )
    assert opened.stdout.strip() == "stocktake 1 opened: 8 folder(s) expected"
    processes.start(config, "bridge")
    wait_until(lambda: station_connected(tmp_path, "hand-1"), what="the handheld's port open")

    handheld.write(b"LOC:A-03-02\r\nWC-TJ-2002-0137\r\nWC-TJ-2003-0011\r\n")
    handheld.write(b"A-01-01\r\nWC-TJ-2003-0012+1\r\nNO-SUCH-FOLDER\r\n")
    wait_until(lambda: len(db_scans(tmp_path)) == 6, what="six reads recorded as scans")
    assert db_scans(tmp_path) == [
        ("LOC:A-03-02", "A-03-02", False),
        ("WC-TJ-2002-0137", "A-03-02", True),
        ("WC-TJ-2003-0011", "A-03-02", True),
        ("LOC:A-01-01", "A-01-01", False),
        ("WC-TJ-2003-0012+1", "A-01-01", True),
        ("NO-SUCH-FOLDER", "A-01-01", False),
    ]
    out = tmp_path / "count.csv"
    run_vault(config, "stocktake", "report", "1", "--format", "csv", "--out", str(out))
    rows = {r["Folder"]: r for r in csv.DictReader(io.StringIO(out.read_text("utf-8-sig")))}
    assert rows["WC-TJ-2003-0011"]["Result"] == "misplaced"  # home A-01-01, read on A-03-02
    assert rows["WC-TJ-2003-0011"]["Found on"] == "A-03-02"
    assert rows["WC-TJ-2003-0012"]["Result"] == "found"
    assert rows["NO-SUCH-FOLDER"]["Result"] == "unregistered"
    refused = run_vault(config, "stocktake", "close", "1", "--by", "王芳", check=False)
    assert refused.returncode == 2
    assert "missing folder(s) must be explained before the count can close" in refused.stderr
    scanned = run_vault(config, "stocktake", "scan", "1", "-", "--source", "cli",
                        input="A-04-01\nWC-TJ-2007-0007\n")  # fmt: skip
    assert "2 code(s) recorded: 1 shelf label(s), 1 folder(s)" in scanned.stdout
    assert "current shelf A-04-01" in scanned.stdout


# --- the pages --------------------------------------------------------------------------------


@pytest.fixture
def site(archive):
    for role in (Role.ARCHIVIST, Role.LEADER):
        accounts.add_user(role.value, role.value, PASSWORD, language="en")
    config = Config(path=archive / "vault.toml", database="sqlite://", site_name="测试档案室")
    with serving(create_app(config)) as base:
        yield base


def post(client: Client, path: str, **form: str):
    return client.request("POST", path, {"csrf": csrf_of(client)} | form)


def test_the_desk_opens_scans_explains_and_closes_a_count_on_its_pages(site):
    archivist, leader = session_for(site, Role.ARCHIVIST), session_for(site, Role.LEADER)
    response, _ = post(archivist, "/stocktakes", scope="room", value="B")
    assert (response.status, location(response)) == (303, "/stocktakes/1")
    response, page = post(archivist, "/stocktakes", scope="shelves", value="B-02")
    assert response.status == 200 and "write the shelves to count as FIRST..LAST" in page

    # The scan field (one code, Enter), the pasted list, and a script's JSON.
    response, _ = post(archivist, "/stocktakes/1/scan", code="LOC:B-02-04")
    assert (response.status, location(response)) == (303, "/stocktakes/1")
    post(archivist, "/stocktakes/1/scan", codes="WC-TJ-2004-0201\r\nB-01-01\r\nUNKNOWN-9\r\n")
    response, answer = _json_scan(archivist, {"codes": ["WC-TJ-2006-0101"]})
    assert answer == {
        "accepted": True,
        "results": [{"code": "WC-TJ-2006-0101", "kind": "folder", "shelf": "B-01-01"}],
        "shelf": "B-01-01",
    }
    # A forged post records nothing.
    forged = archivist.request("POST", "/stocktakes/1/scan", {"code": "WC-TJ-2006-0100"})[0]
    assert forged.status == 403
    assert (
        leader.request("POST", "/stocktakes/1/scan", {"csrf": csrf_of(leader), "code": "X"})[
            0
        ].status
        == 403
    )
    assert StocktakeScan.select().count() == 5

    page = archivist.request("GET", "/stocktakes/1")[1]
    assert "Expected 4: found 1, misplaced 1, missing 2, issued at the time of the count 0" in page
    assert "Current shelf: B-01-01" in page and 'id="code" name="code" autofocus' in page
    assert 'id="missing-count">2<' in page and 'data-code="WC-TJ-2006-0100"' in page
    assert 'id="unregistered-count">1<' in page and "UNKNOWN-9" in page
    assert "Scope: room B" in page

    csv_response, text = archivist.request("GET", "/stocktakes/1?format=csv")
    assert csv_response.getheader("Content-Type").startswith("text/csv")
    assert 'filename="stocktake-1.csv"' in csv_response.getheader("Content-Disposition")
    assert text.splitlines()[1].startswith("missing,WC-TJ-2004-0202,")
    pdf = _get_bytes(leader, "/stocktakes/1?format=pdf")
    assert pdf[0].getheader("Content-Type") == "application/pdf" and pdf[1].startswith(b"%PDF")

    # Nothing classified is missing in room B: it closes; then it takes no more reads.
    response, _ = post(archivist, "/stocktakes/1/explain", code="WC-TJ-2006-0100", note="")
    assert "write+why+the+folder+was+not+found" in location(response)
    response, _ = post(archivist, "/stocktakes/1/close")
    assert (response.status, location(response)) == (303, "/stocktakes/1")
    response, _ = post(archivist, "/stocktakes/1/scan", code="WC-TJ-2006-0100")
    assert "was+closed+on" in location(response)
    closed = archivist.request("GET", location(response))[1]
    assert "nothing more is recorded in it" in closed and 'id="scan-form"' not in closed
    assert archivist.request("GET", "/stocktakes/99")[0].status == 404
    listing = leader.request("GET", "/stocktakes")[1]
    assert "room B" in listing and 'id="open-stocktake"' not in listing  # leaders read only
    assert audit.verify().ok


def _json_scan(client: Client, body: dict):
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(client.base).netloc, timeout=10)
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    headers = {
        "Cookie": cookie,
        "X-CSRF-Token": csrf_of(client),
        "Content-Type": "application/json",
    }
    connection.request("POST", "/stocktakes/1/scan", body=json.dumps(body), headers=headers)
    response = connection.getresponse()
    data = json.loads(response.read())
    connection.close()
    return response, data


def _get_bytes(client: Client, path: str):
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(client.base).netloc, timeout=10)
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def test_the_chinese_page_translates_the_counts_and_the_refusals(site):
    accounts.add_user("wangfang", "archivist", PASSWORD, language="zh")
    client = Client(site)
    client.cookies["vault_session"] = accounts.sign_in("wangfang", PASSWORD, "").token
    post(client, "/stocktakes", scope="room", value="A")
    response, _ = post(client, "/stocktakes/1/close")
    page = client.request("GET", location(response))[1]
    assert "有 8 份缺失案卷须说明原因后方可结束盘点" in page
    assert "范围：A 库房" in page and "应在 10：在架 0，错架 0，缺失 9，盘点时已借出 1" in page


# --- the page's SQL against the reconciliation the files are written from ---------------------


def every_line(count_, category: Category, step: int) -> list:
    """One result's lines as the page pages through them, `step` at a time."""
    paged, after = [], ""
    while chunk := stocktake_page.first_lines(count_, category, step, after):
        paged += chunk
        after = chunk[-1].code
    return paged


def _order(line) -> tuple[int, str]:
    return list(Category).index(line.category), line.code


def assert_the_page_agrees_with_the_reconciliation(count_) -> dict:
    """The rows and tallies kept as the reads arrived against the files' reconciliation of
    every read: each folder's and code's result, the totals, the lines, the close check."""
    python = stocktake_report.tally(count_, keep=10**6)  # the Python pass over every row
    r = StocktakeResult
    kept = r.select(r.code, r.result).where(r.stocktake == count_.id).tuples()
    every = [line for category in Category for line in python.lines[category]]
    in_files = list(stocktake_report.by_category(count_))  # the CSV's and PDF's pass per result
    assert sorted(in_files, key=_order) == sorted(every, key=_order)
    assert dict(kept) == {line.code: line.category.value for line in every}
    tallies = stocktake_results.counts(count_)
    assert tallies[stocktake_results.READS] == (
        StocktakeScan.select().where(StocktakeScan.stocktake == count_.id).count()
    )
    assert tallies[stocktake_results.UNEXPLAINED] == python.unexplained
    shown = stocktake_page.page(count_, keep=10**6)  # the page's indexed queries
    assert shown.counts == python.counts
    assert shown.expected == python.expected
    for category in Category:
        want = sorted(python.lines[category], key=lambda line: line.code)
        assert shown.lines[category] == want, category
        assert every_line(count_, category, 2) == want, category
    scope = stocktake_results.scope_of(count_)
    owed = [li.code for li in python.lines[Category.MISSING] if must_be_explained(li, scope)]
    python.unexplained_codes = sorted(owed)[:10]  # the page names the first ones by code
    assert stocktake_page.close_check(count_) == python.close_refusal()
    assert shown.unexplained is bool(python.unexplained)
    few = stocktake_page.page(count_, keep=2)
    assert {c for c in Category if python.counts[c] > 2} == set(few.more)
    return python.counts


def test_the_page_counts_and_lists_each_result_as_the_full_reconciliation_does(archive):
    """Found (on its shelf, before any shelf label), misplaced (listed, from outside the scope,
    destroyed), missing (moved after opening, explained), issued (seen or not), unregistered
    (twice, an unknown shelf label, on shelves in and out of the scope), RFID and duplicate
    reads — in four scopes at once, both ways of counting must agree line for line."""
    levels = ("public", "internal", "confidential", "secret", "top_secret")
    shelves = ("A-01-01", "A-03-02", "A-04-02", "B-01-01", "B-02-04")
    for i in range(30):
        Folder.create(code=f"WC-ST-2010-{i:04d}", title="2010年统计台账",
                      classification=levels[i % 5],
                      location=Location.get(Location.code == shelves[i % 5]))  # fmt: skip
    Folder.update(state="destroyed").where(Folder.code == "WC-ST-2010-0029").execute()
    Location.create(code="0-01-01")  # sorts before room A's shelves: no room's but its own
    counts = [
        stocktake.open_stocktake(kind, value, "王芳")
        for kind, value in (
            ("room", "A"),
            ("shelves", "A-03-02..B-01-01"),
            ("classified", ""),
            ("all", ""),
        )
    ]
    assert read("door-1", StationKind.WAREHOUSE_DOOR, "WC-TJ-2002-0138") == "left_warehouse"
    codes = [
        "WC-ST-2010-0000",  # before any shelf label: found wherever it is
        "LOC:A-01-01", "WC-TJ-2003-0011", "WC-TJ-2003-0011", "WC-ST-2010-0005",
        "WC-ST-2010-0001",  # home A-03-02: misplaced
        "WC-TJ-2004-0201",  # room B's, on a shelf of room A
        "UNKNOWN-1", "UNKNOWN-1", "LOC:Z-99",  # twice; a shelf label the register lacks
        "WC-TJ-2005-0033",  # issued to 张华 when the counts opened, seen all the same
        "B-01-01", "WC-TJ-2006-0100", "WC-TJ-2003-0012",  # room A's, read in room B
        "UNKNOWN-2", "UNKNOWN-1", "WC-ST-2010-0029",  # destroyed, read on B-01-01
        "A-03-02", "WC-ST-2010-0001", "WC-ST-2010-0008", "WC-ST-2010-0016",
        "WC-ST-2010-0006", "WC-TJ-2002-0137", "WC-TJ-2002-0137+1",
        "0-01-01", "UNKNOWN-4", "WC-ST-2010-0010",
    ]  # fmt: skip
    for count_ in counts:
        stocktake.scan(count_.id, codes, "desk:archivist")
    assert read("hand-1", StationKind.HANDHELD, "LOC:A-04-02") == "unknown_code"
    for _ in range(3):
        assert read("hand-1", StationKind.HANDHELD, EPC, tag=True) == "seen"
    read("hand-1", StationKind.HANDHELD, "WC-ST-2010-0012")
    read("hand-1", StationKind.HANDHELD, "UNKNOWN-3")
    for count_ in counts:
        stocktake.explain(count_.id, "WC-TJ-2007-0007", "at the bindery", "王芳")

    room_a = by_code(stocktake_report.lines(counts[0]))  # the mix is what this test says it is
    assert room_a["WC-TJ-2002-0138"] == (
        Category.MISSING,
        f"left warehouse {_local_hm()} after the count opened",
    )
    assert room_a["WC-TJ-2004-0201"] == (
        Category.MISPLACED,
        "belongs on B-02-04, outside this count",
    )
    assert room_a["WC-TJ-2005-0033"] == (Category.ISSUED, "also seen on A-01-01")
    assert room_a["WC-TJ-2003-0012"] == (Category.MISPLACED, "found on B-01-01")
    assert room_a["WC-ST-2010-0000"] == (Category.FOUND, "")
    assert room_a["WC-TJ-2009-0002"] == (Category.FOUND, "")  # its tag, read three times
    assert room_a["LOC:Z-99"] == (Category.UNREGISTERED, "")
    assert "UNKNOWN-2" not in room_a and "WC-ST-2010-0029" not in room_a  # read in room B
    everywhere = by_code(stocktake_report.lines(counts[3]))
    assert everywhere["WC-ST-2010-0029"] == (Category.MISPLACED, "registered as destroyed")

    tallies = [assert_the_page_agrees_with_the_reconciliation(c) for c in counts]
    assert all(tallies[0][c] > 0 for c in Category)
    assert stocktake_page.close_check(counts[0]).startswith("8 missing folder(s) must be explained")
    assert stocktake_page.close_check(counts[3]).endswith(" and 8 more")

    refusal = stocktake_page.close_check(counts[2])
    for code in refusal.split(": ", 1)[1].split(" and ")[0].split(", "):
        stocktake.explain(counts[2].id, code, "with the leader", "王芳")
    assert_the_page_agrees_with_the_reconciliation(counts[2])
    while (refusal := stocktake_page.close_check(counts[2])) is not None:
        for code in refusal.split(": ", 1)[1].split(" and ")[0].split(", "):
            stocktake.explain(counts[2].id, code, "with the leader", "王芳")
    summary = stocktake.close(counts[2].id, "王芳")
    assert summary["reads"] == len(codes) + 6 and summary["missing"] == tallies[2][Category.MISSING]
    assert audit.verify().ok


def test_the_page_shows_the_first_lines_of_a_big_result_and_pages_on_by_code(site):
    shelf = Location.create(code="C-01-01")
    Folder.insert_many(
        [{"code": f"WC-TJ-2011-{i:04d}", "title": "2011年统计台账", "classification": "internal",
          "location": shelf.id} for i in range(205)]
    ).execute()  # fmt: skip
    archivist = session_for(site, Role.ARCHIVIST)
    post(archivist, "/stocktakes", scope="room", value="C")
    page = archivist.request("GET", "/stocktakes/1")[1]
    assert 'id="missing-count">205<' in page and page.count('data-code="WC-TJ-2011-') == 200
    assert 'data-code="WC-TJ-2011-0199"' in page and "WC-TJ-2011-0200" not in page
    more = "/stocktakes/1?category=missing&amp;after=WC-TJ-2011-0199#missing"
    assert f'id="missing-more" href="{more}"' in page
    later = archivist.request("GET", more.replace("&amp;", "&"))[1]
    shown = [f"WC-TJ-2011-{i:04d}" for i in range(200, 205)]
    assert [c for c in shown if f'data-code="{c}"' in later] == shown
    assert later.count('data-code="WC-TJ-2011-') == 5 and 'id="missing-more"' not in later
    listing = archivist.request("GET", "/stocktakes")[1]
    assert "<td>205</td><td>0</td>" in listing  # an open count's figures


def test_reads_arriving_at_once_from_desks_and_the_handheld_keep_every_result_right(archive):
    """Four desks and the handheld read the same folders at the same time, each on its own
    connection: every read's change to a folder's result and the totals must be kept."""
    counts = [
        stocktake.open_stocktake("room", "A", "王芳"),
        stocktake.open_stocktake("all", "", "王芳"),
    ]
    shelves = ["A-01-01", "A-03-02", "B-01-01", "A-04-02"]
    folders = ["WC-TJ-2003-0011", "WC-TJ-2003-0012", "WC-TJ-2002-0137", "WC-TJ-2004-0201",
               "WC-TJ-2005-0034", "WC-TJ-2009-0002", "UNKNOWN-5"]  # fmt: skip
    failures: list[BaseException] = []

    def desk(n: int) -> None:
        try:
            for i in range(12):
                shelf = shelves[(n + i) % len(shelves)]
                picked = [folders[(n * 3 + i + k) % len(folders)] for k in range(3)]
                stocktake.scan(counts[i % 2].id, [shelf, *picked], f"desk:{n}")
        except BaseException as e:  # noqa: BLE001 — reported below, in the test's thread
            failures.append(e)
        finally:
            database.close()

    def handheld() -> None:
        try:
            for i in range(12):
                read("hand-1", StationKind.HANDHELD, "LOC:" + shelves[i % len(shelves)])
                read("hand-1", StationKind.HANDHELD, folders[i % len(folders)])
        except BaseException as e:  # noqa: BLE001
            failures.append(e)
        finally:
            database.close()

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(4)]
    threads.append(threading.Thread(target=handheld))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert StocktakeScan.select().count() == 4 * 12 * 4 + 2 * 2 * 12
    for count_ in counts:
        kept = assert_the_page_agrees_with_the_reconciliation(count_)
        stocktake_rebuild.rebuild(count_)  # written again from the reads in one pass
        assert assert_the_page_agrees_with_the_reconciliation(count_) == kept
