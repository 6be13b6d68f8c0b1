"""The register's search, folder page, lists and CSV export on a real database.

A few thousand generated folders (Chinese titles with Latin, digits, punctuation and spaces;
codes in mixed letter case; nested shelf codes) are registered through `vault import`'s own code,
so the title index is filled by its triggers, and every search is compared with a brute-force
Python filter over the same folders, under each of the query plans (index-driven, walked in code
order, walked with a tiny budget so that pages come back partial). On PostgreSQL the portable
query answers every search; the tests of SQLite's title index itself run on a SQLite file in
both passes.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, datetime, timedelta

import pytest
from peewee import SqliteDatabase

from tests.conftest import run_vault
from vault.db import search_index
from vault.db.models import Folder, LabelPrint, Station, database
from vault.domain.model import Read, StationKind
from vault.services import search
from vault.services.clock import to_local, utcnow
from vault.services.custody import record_read
from vault.services.errors import VaultError
from vault.services.register import import_file
from vault.services.requests import approve_request

WORDS = (
    *("农业", "普查", "人口", "统计", "汇总表", "年报", "第一册", "（上）", "乡镇企业", "资料"),
    *("经济", "调查", "GDP", "Cpi", "R&D", "核算", "住户", "样本", "名单", "鑫", "100%"),
    *("under_score", "报表"),
)
LEVELS = ("public", "internal", "confidential", "secret", "top_secret")
LOCATIONS = [f"{z}-{r:02d}-{s:02d}" for z in "AB" for r in (1, 2, 3) for s in (1, 2)]
LOCATIONS += ["A-03", "A-030-01"]  # "A-03" covers A-03-01 and itself, not A-030-01
OUT = ("in_reading_room", "issued", "outside")


def make_folders(count: int, seed: int = 11) -> list[dict]:
    rng = random.Random(seed)
    folders, codes = [], set()
    while len(folders) < count:
        fonds = rng.choice(("WC-TJ", "WC-NY", "QX-TJ", "wc-tj", "Wc-Tj"))
        code = f"{fonds}-{rng.randint(1990, 2009)}-{rng.randint(1, 9999):04d}"
        if code in codes:
            continue
        codes.add(code)
        words = rng.choices(WORDS, k=rng.randint(1, 4))
        title = f"{rng.randint(1990, 2009)}年" + rng.choice(("", " ")).join(words)
        folders.append(
            {
                "code": code,
                "title": title,
                "classification": rng.choice(LEVELS),
                "location": rng.choice(LOCATIONS),
                "state": "shelved",
            }  # fmt: skip
        )
    return folders


def register(tmp_path, folders: list[dict]) -> None:
    path = tmp_path / "folders.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["code", "title", "year", "classification", "retention", "location"])
        for r in folders:
            out.writerow([r["code"], r["title"], "2001", r["classification"], "", r["location"]])
    import_file(path)


@pytest.fixture
def archive(db, tmp_path):
    """Three thousand folders registered after the index was installed (by the migration,
    on SQLite), some of them out."""
    return fill(db, tmp_path)


@pytest.fixture
def sqlite_archive(sqlite_db, tmp_path):
    """The same archive in a SQLite file, for the tests of SQLite's title index."""
    return fill(sqlite_db, tmp_path)


def fill(db, tmp_path) -> list[dict]:
    assert search_index.is_installed(db) == isinstance(db, SqliteDatabase)
    folders = make_folders(3000)
    register(tmp_path, folders)
    rng = random.Random(5)
    for folder in rng.sample(folders, 300):
        folder["state"] = rng.choice(OUT)
        Folder.update(state=folder["state"]).where(Folder.code == folder["code"]).execute()
    return folders


def expected(folders, code=None, title=None, classification=None, location=None, state=None):
    low = search_index.ascii_lower
    return sorted(
        f["code"]
        for f in folders
        if (code is None or f["code"].lower().startswith(code.lower()))
        and (title is None or low(title) in low(f["title"]))
        and classification in (None, f["classification"])
        and (
            location is None
            or f["location"] == location
            or f["location"].startswith(location + "-")
        )
        and state in (None, f["state"])
    )


def collect(limit=50, **filters) -> list[str]:
    """Every page of a search: codes ascending, none twice."""
    codes, after = [], None
    while True:
        page = search.search_folders(**filters, limit=limit, after=after)
        assert len(page.rows) <= limit
        codes += [r["code"] for r in page.rows]
        if page.next_after is None:
            break
        assert page.partial or len(page.rows) == limit
        after = page.next_after
    assert codes == sorted(set(codes))
    return codes


PLANS = {
    "as shipped": {},
    "always walk": {"SET_PLAN_MAX": -1},
    "index whenever it can": {"SET_ROW_COST": 0, "WINDOWS": (8, 16)},
    "tiny walk budget": {"SCAN_BUDGET": 40, "WINDOWS": (8, 16)},
}


@pytest.fixture(params=PLANS)
def plan(request, monkeypatch):
    for name, value in PLANS[request.param].items():
        monkeypatch.setattr(search_index, name, value)
    return request.param


def test_the_index_returns_exactly_the_titles_containing_2_3_and_4_characters(sqlite_archive):
    archive = sqlite_archive
    rng = random.Random(3)
    titles = [f["title"] for f in archive]
    queries = {t[i : i + n] for t in rng.sample(titles, 80) for n in (2, 3, 4) for i in (0, 3, 5)}
    queries |= {"gdp", "GDP核", "cPI", "% u", "e_s", "农业普查", "不存在"}
    sql = "SELECT rowid FROM folder_search WHERE folder_search MATCH ?"
    codes = {f.id: f.code for f in Folder.select(Folder.id, Folder.code)}
    for q in sorted(q for q in queries if len(q) >= 2):
        hits = database.execute_sql(sql, (search_index.match_expression(q),)).fetchall()
        assert sorted(codes[i] for (i,) in hits) == expected(archive, title=q), q


def test_title_search_of_1_to_4_characters_matches_brute_force(archive, plan):
    rng = random.Random(4)
    titles = [f["title"] for f in archive]
    queries = {t[i : i + n] for t in rng.sample(titles, 12) for n in (1, 2, 3, 4) for i in (0, 4)}
    queries = {q.strip() for q in queries if q.strip()}  # the service strips what is typed
    queries |= {"鑫", "%", "_", "农", "gdp", "不存在的题名"}
    for q in sorted(queries):
        assert collect(limit=40, title=q) == expected(archive, title=q), q


def test_every_filter_alone_and_combined_matches_brute_force(archive, plan):
    cases = [
        {"code": "wc-tj"}, {"code": "WC-TJ-2001"}, {"code": "Wc-tJ-19"}, {"code": "qx"},
        {"code": "ZZ"}, {"location": "A-03"}, {"location": "A-03-01"}, {"location": "B"},
        {"location": "A-030"}, {"state": "issued"}, {"state": "shelved"},
        {"classification": "top_secret"}, {"title": "农业", "classification": "secret"},
        {"title": "普查", "location": "A-03", "state": "shelved"},
        {"code": "wc-tj", "title": "GDP", "classification": "internal"},
        {"code": "QX", "state": "outside"}, {"title": "鑫", "location": "B-02"},
        {"title": "R&D 核算", "code": "WC"},
        {"classification": "public", "state": "in_reading_room"},
    ]  # fmt: skip
    for filters in cases:
        assert collect(limit=23, **filters) == expected(archive, **filters), filters


def test_keyset_pages_return_every_folder_exactly_once(archive):
    assert collect(limit=37) == sorted(f["code"] for f in archive)
    assert collect(limit=1, code="qx-tj-200") == expected(archive, code="qx-tj-200")


def test_the_portable_query_for_postgresql_agrees(archive):
    filters = search_index.Filters(code="wc", title="农业", location="A-03")
    rows = search._find_portable(filters, 500, None)
    assert [code for _, code in rows] == expected(archive, code="wc", title="农业", location="A-03")


def test_the_index_follows_inserts_updates_deletes_and_vault_import(sqlite_db, tmp_path):
    db = sqlite_db
    search_index.install(db)
    register(tmp_path, [{"code": "X-1", "title": "人口普查资料", "classification": "public",
                         "location": "A-01-01", "state": "shelved"}])  # fmt: skip
    folder = Folder.get(Folder.code == "X-1")
    Folder.create(
        code="X-2", title="农业普查汇总表", classification="public", location=folder.location
    )
    assert collect(title="普查") == ["X-1", "X-2"]
    Folder.update(title="劳动工资年报").where(Folder.code == "X-1").execute()
    Folder.update(state="issued").where(Folder.code == "X-2").execute()  # not a title change
    assert collect(title="普查") == ["X-2"] and collect(title="工资") == ["X-1"]
    Folder.delete().where(Folder.code == "X-2").execute()
    assert collect(title="普查") == [] and collect(title="汇总") == []
    (tmp_path / "more.csv").write_text(
        "code,title,year,classification,retention,location\nX-3,第三次经济普查,2013,secret,,A-1\n",
        encoding="utf-8",
    )
    config = tmp_path / "sqlite.toml"
    config.write_text('database = "sqlite:///sqlite.db"\n', encoding="utf-8")
    run_vault(config, "import", str(tmp_path / "more.csv"))
    assert collect(title="经济普查") == ["X-3"]
    check = "INSERT INTO folder_search(folder_search, rank) VALUES ('integrity-check', 0)"
    database.execute_sql(check)


def test_install_fills_the_index_from_folders_already_there_and_is_idempotent(sqlite_db, tmp_path):
    db = sqlite_db
    search_index.drop(db)  # as a database from before the index had it
    for name in search_index.INDEXES:
        database.execute_sql(f"DROP INDEX {name}")
    folders = make_folders(200)
    register(tmp_path, folders)
    assert search_index.is_available(db) and not search_index.is_installed(db)
    assert search_index.install(db) is True
    assert search_index.install(db) is False
    assert sorted(search_index.install_indexes(db)) == sorted(search_index.INDEXES)
    assert search_index.install_indexes(db) == []
    assert collect(title="普查") == expected(folders, title="普查")
    database.execute_sql("DROP TRIGGER folder_search_update")  # as a table rebuild would
    Folder.update(title="新题名").where(Folder.code == folders[0]["code"]).execute()
    folders[0]["title"] = "新题名"
    assert not search_index.is_installed(db)
    assert search_index.install(db) is True  # built again: it may have missed changes
    assert collect(title="新题名") == [folders[0]["code"]]
    assert collect(title="普查") == expected(folders, title="普查")


def test_a_rare_character_walks_in_bounded_partial_pages(sqlite_archive, monkeypatch):
    archive = sqlite_archive
    monkeypatch.setattr(search_index, "SCAN_BUDGET", 500)
    page = search.search_folders(title="鑫", limit=500)
    assert page.partial and page.next_after is not None and len(page.rows) < 500
    assert collect(limit=500, title="鑫") == expected(archive, title="鑫")


def test_filters_and_limits_are_checked(archive):
    with pytest.raises(VaultError, match="no classification"):
        search.search_folders(classification="very_secret")
    with pytest.raises(VaultError, match="no folder state"):
        search.search_folders(state="lost")
    with pytest.raises(VaultError, match="1 to 500"):
        search.search_folders(limit=0)
    assert search.search_folders(title="  ", code="").rows  # blank filters are no filters


STATIONS = {"door-1": StationKind.WAREHOUSE_DOOR, "desk-1": StationKind.READING_DESK}


def scan(station: str, code: str, at: datetime, n: list[int] = [0]):  # noqa: B006 - event ids
    n[0] += 1
    return record_read(
        Read(station, STATIONS[station], code, at, code.encode() + b"\r\n"), f"t{n[0]}"
    )


@pytest.fixture
def desk(db, tmp_path):
    search_index.install(db)
    search_index.install_indexes(db)
    for sid, kind in STATIONS.items():
        Station.create(id=sid, kind=kind.value, port=f"/dev/{sid}")
    folders = [
        {"code": f"F-{n}", "title": f"案卷{n}", "classification": "secret",
         "location": "A-01-01", "state": "shelved"}
        for n in range(1, 7)
    ]  # fmt: skip
    register(tmp_path, folders)
    return db


def test_folder_detail_gives_the_timeline_newest_first_in_pages(desk):
    today = date.today()
    approve_request("张华", "李局长", "同意", ["F-1"], today - timedelta(days=1), today)
    start = utcnow().replace(microsecond=0) - timedelta(hours=1)
    times = [start, start + timedelta(minutes=5), start + timedelta(minutes=5)]  # a tie
    kinds = [
        scan(s, "F-1", t).event_kind
        for s, t in zip(("door-1", "desk-1", "desk-1"), times, strict=True)
    ]
    assert kinds == ["left_warehouse", "issued", "checked_in"]
    Folder.update(label_generation=2).where(Folder.code == "F-1").execute()
    for generation in (1, 2):
        LabelPrint.create(folder=Folder.get(Folder.code == "F-1"), generation=generation,
                          printed_at=start, output="pdf Avery L7160")  # fmt: skip
    page = search.folder_detail("F-1", limit=2)
    assert [e["kind"] for e in page["events"]] == ["checked_in", "issued"]  # same time: id order
    assert page["event_count"] == 3 and page["next_before"] == page["events"][1]["id"]
    issued = page["events"][1]
    assert (issued["person"], issued["station"], issued["station_kind"]) == (
        "张华",
        "desk-1",
        "reading_desk",
    )
    assert issued["at"] == to_local(times[1]).strftime("%Y-%m-%d %H:%M:%S")
    assert issued["raw"] == "F-1\\r\\n" and issued["raw_hex"] == "46 2d 31 0d 0a"
    rest = search.folder_detail("F-1", limit=2, before=page["next_before"])
    assert [e["kind"] for e in rest["events"]] == ["left_warehouse"] and rest["next_before"] is None
    assert [(p["generation"], p["valid"], p["barcode"]) for p in page["labels"]] == [
        (2, True, "F-1+2"), (1, False, "F-1+1")]  # fmt: skip
    place = page["place"]
    assert (place["state"], place["home"], place["last_kind"]) == (
        "in_reading_room",
        "A-01-01",
        "checked_in",
    )
    assert place["request"]["reader"] == "张华"
    with pytest.raises(VaultError, match="not registered"):
        search.folder_detail("NOPE")
    with pytest.raises(VaultError, match="not in this folder"):
        search.folder_detail("F-2", before=page["next_before"])


def test_outside_now_and_overdue(desk):
    today, now = date.today(), utcnow()
    approve_request("王明", "李局长", "同意", ["F-1", "F-2", "F-5"], today, today)
    approve_request(
        "王明", "李局长", "同意", ["F-3"], today - timedelta(days=9), today - timedelta(days=1)
    )  # noqa: E501
    for code in ("F-1", "F-2", "F-3", "F-4", "F-5"):
        scan("door-1", code, now)
    scan("desk-1", "F-2", now)  # issued
    scan("door-1", "F-5", now)  # back on the shelf: its request item is closed
    scan("door-1", "F-5", now)  # out again, no approval left
    first = search.outside_now(limit=2)
    assert [r["code"] for r in first.rows] == ["F-1", "F-2"] and first.next_after == "F-2"
    rest = search.outside_now(limit=2, after=first.next_after)
    assert [r["code"] for r in rest.rows] == ["F-3", "F-4"]
    assert [r["code"] for r in search.outside_now(limit=2, after="F-4").rows] == ["F-5"]
    assert first.rows[1]["holder"] == "王明" and first.rows[1]["state"] == "issued"
    assert first.rows[1]["last_kind"] == "issued" and first.rows[1]["last_station"] == "desk-1"
    late = search.overdue(today, limit=10)
    assert [(r["code"], r["reason"]) for r in late.rows] == [
        ("F-3", "expired"), ("F-4", "no_request"), ("F-5", "no_request")]  # fmt: skip
    assert late.rows[0]["valid_until"] == str(today - timedelta(days=1))
    assert [r["code"] for r in search.overdue(today + timedelta(days=1)).rows][:2] == ["F-1", "F-2"]


def test_csv_export_has_a_bom_and_defuses_formulas(tmp_path):
    hostile = ('=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx")
    titles = (*hostile, '人口普查，"第一册"', None)
    rows = [{"code": f"A-{n}", "title": t} for n, t in enumerate(titles)]
    out = io.BytesIO()
    assert search.write_csv(rows, ["code", ("title", "题名")], out) == 8
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbfcode,\xe9\xa2\x98\xe5\x90\x8d\r\n")
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r[1] for r in parsed[1:]] == [
        "'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx",
        "人口普查，\"第一册\"", ""]  # fmt: skip
    many = list(search.csv_chunks(({"code": str(n)} for n in range(1200)), ["code"]))
    assert len(many) > 2 and b"".join(many).count(b"\r\n") == 1201


def test_a_whole_list_exports_page_after_page(archive):
    out = io.BytesIO()
    rows = search.every_row(search.search_folders, title="普查")
    assert search.write_csv(rows, ["code", "title"], out) == len(expected(archive, title="普查"))
