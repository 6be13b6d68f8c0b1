"""A large archive for the register benchmark: 1,000,000 folders and 10,000,000 custody events.

`python -m bench.dataset [DIR] [--folders N] [--events N]` builds `DIR/vault.db` (default
/tmp/vault-bench-1m) unless the same build is there, and prints its timings and size. The schema
is Vault's own (`migrate`); the register's title index and indexes are then installed on the full
archive through Vault's own connection, as a migration would, so their cost is measured too.

- Folders coded fonds-catalogue-year-number (WC-TJ-2002-0137), imported a batch (fonds,
  catalogue, year) at a time in random batch order, so id order is not code order; a batch sits
  on neighbouring shelves of ~20,000. Titles from a statistics bureau's vocabulary (year, place,
  subject, kind of document, volume), some with Latin (GDP核算, R&D统计).
- Custody events in time order over twenty years at 9 stations (a folder's reads scattered
  through the table, as the bridge writes them): trips of four reads (out of the warehouse,
  issued, checked in, back), a tenth of them by 200 "hot" folders (~5,000 events each), some
  through the reading-room exit (an alarm), and stocktakes; 5,000 folders end up out, most on an
  approved request (some expired), some on none. Label prints for a third of the folders,
  historical requests, a few thousand alarms (those of the last month open).
- Each request's approval as a row naming its folders (as the v7 migration carries one-step
  approvals over); each folder's appraisal date from its year and retention; visitors' letters,
  holds, destruction batches (6 pulped: their folders "destroyed", each with its "destroyed"
  event and no read after it), releases to outside units, and the closing checks of the last 30
  working days with their "not returned" alarms (`bench.dataset_records`; no stocktakes).
- The audit log of it all: every event, alarm, acknowledgement, approval, letter, hold and its
  lifting, destruction decision, destruction, release and closing check recorded in time order,
  hash-chained as Vault chains them (`vault audit verify` passes).

Speed: sqlite3 executemany in one transaction, journal and fsync off, indexes dropped while
loading and rebuilt after (a sort each instead of millions of random inserts); left in WAL mode.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from bench import dataset_records as records
from vault.db import search_index
from vault.db.connection import open_database
from vault.db.models import Alarm, ClosingRun, Hold, database
from vault.db.schema import migrate
from vault.domain.audit import GENESIS, canonical, entry_hash
from vault.services import audit


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


DEFAULT_DIR = Path("/tmp/vault-bench-1m")
START, END = date(2005, 1, 3), date(2024, 12, 31)  # reads happen on working days in between
TODAY = END + timedelta(days=1)  # the benchmark's "today" for overdue lists
HOT = 200  # folders with thousands of events each
OUT_SHARE = 0.005  # folders still out of the warehouse at the end: 5,000 of a million
FONDS = _words("WC QX NY GT SJ")
CATALOGUES = _words("TJ NC GY RK JJ CZ SH ZH")
YEARS = range(1980, 2025)
REGIONS = _words(
    "全县 城关镇 东岭乡 西河乡 南山镇 北坡乡 石门镇 桃园乡 柳林镇 红旗乡 新华街道 和平街道 "
    "开发区 工业园区 各乡镇 县直各单位"
)
SUBJECTS = _words(
    "农业普查 工业企业主要指标 人口抽样调查 国民经济和社会发展统计公报 统计年鉴编辑工作 "
    "经济普查 城镇住户调查 农村住户调查 劳动工资统计 乡镇企业统计 固定资产投资统计 "
    "社会消费品零售总额 价格统计 能源统计 科技统计 建筑业统计 房地产统计 服务业统计 贸易统计 "
    "畜牧业统计 粮食产量调查 人口普查 第三产业普查 基本单位普查 统计执法检查 统计调查制度 "
    "GDP核算 CPI调查 PPI统计 R&D统计"
)
KINDS = _words(
    "汇总表 原始资料 年报 快报 台账 会议材料 样本名单 报表 分析报告 工作文件 审批表 登记表 "
    "调查问卷 抽样方案 质量检查记录"
)
VOLUMES = _words("第一册 第二册 第三册 第四册 第五册 上册 下册")
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅玉兰志海波宁斌辉鹏飞"
LEVELS = (("public", 20), ("internal", 35), ("confidential", 25), ("secret", 15), ("top_secret", 5))
RETENTION = _words("永久 长期 30年 10年")
STATIONS = {  # station kind -> the archive's stations of that kind
    "warehouse_door": ("door-1", "door-2"),
    "reading_desk": ("desk-1", "desk-2", "desk-3"),
    "reading_exit": ("exit-1", "exit-2"),
    "handheld": ("hand-1", "hand-2"),
    "label_bench": ("bench-1",),
}
# A trip: station kind, event kind, state after, minutes after the previous read (low, high).
TRIP = (
    ("warehouse_door", "left_warehouse", "in_reading_room", 0, 0),
    ("reading_desk", "issued", "issued", 2, 30),
    ("reading_desk", "checked_in", "in_reading_room", 30, 300),
    ("warehouse_door", "returned_to_warehouse", "shelved", 2, 30),
)
EXIT_TRIP = (  # carried out through the exit (an alarm), brought back in through the portal
    *TRIP[:2],
    ("reading_exit", "left_reading_room", "outside", 5, 60),
    ("reading_exit", "back_in_reading_room", "in_reading_room", 1, 20),
    TRIP[3],
)
HMS = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]


class Archive:
    """The generated archive's plain values, built before anything is written."""

    def __init__(self, folders: int, seed: int) -> None:
        self.rng, self.seed = random.Random(seed), seed
        self.locations = [
            f"{z}-{r:02d}-{s:02d}" for z in "ABCDEFGH" for r in range(1, 51) for s in range(1, 51)
        ]
        self.people = self._people()
        self.readers = range(1, len(self.people) - 50 + 1)  # the last 50 are leaders and staff
        self.codes: list[str] = [""]  # folder id -> code (ids start at 1)
        self.folders = list(self._folders(folders))
        ids = range(1, len(self.codes))
        picked = self.rng.sample(ids, min(HOT, folders // 100) + int(folders * OUT_SHARE))
        self.hot = picked[: min(HOT, folders // 100)]
        self.hot_set = set(self.hot)
        # folder id -> (state, holder) at the end, filled in as their last trips are generated
        self.out = dict.fromkeys(picked[len(self.hot) :])
        self.out_on: dict[int, date] = {}  # folder out -> the day it left (event_rows)
        # Destruction batches of folders neither busy nor out; folder id -> (day pulped, batch)
        self.batches = records.plan_batches(self.folders, self.hot_set | set(self.out), END,
                                            seed + 1)  # fmt: skip
        self.destroyed = records.destroyed_days(self.batches)

    def _people(self) -> list[tuple[int, str, str]]:
        names = dict.fromkeys(
            self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2))))
            for _ in range(4000)
        )
        readers = list(names)[:2950]
        staff = [f"{s}局长" for s in SURNAMES[:20]] + [f"档案员{n:02d}" for n in range(1, 31)]
        roles = ["reader"] * len(readers) + ["leader"] * 20 + ["archivist"] * 30
        return [
            (i, n, r) for i, (n, r) in enumerate(zip(readers + staff, roles, strict=True), start=1)
        ]

    def _folders(self, total: int) -> Iterator[tuple]:
        batches = [(f, c, y) for f in FONDS for c in CATALOGUES for y in YEARS]
        self.rng.shuffle(batches)
        each, extra = divmod(total, len(batches))
        levels, weights = zip(*LEVELS, strict=True)
        for n, (fonds, catalogue, year) in enumerate(batches):
            shelf = self.rng.randrange(len(self.locations))
            for number in range(1, each + (n < extra) + 1):
                code = f"{fonds}-{catalogue}-{year}-{number:04d}"
                self.codes.append(code)
                level = self.rng.choices(levels, weights)[0]
                location = (shelf + number // 50) % len(self.locations) + 1
                retention = self.rng.choice(RETENTION)
                yield (len(self.codes) - 1, code, self.title(year), year, level, retention,
                       location, records.appraisal_on(year, retention))  # fmt: skip

    def title(self, year: int) -> str:
        r = self.rng
        place = r.choice(REGIONS) if r.random() < 0.8 else ""
        volume = f"（{r.choice(VOLUMES)}）" if r.random() < 0.3 else ""
        return f"{year}年{place}{r.choice(SUBJECTS)}{r.choice(KINDS)}{volume}"

    def generations(self, folder: int) -> int:
        if folder in self.hot_set:
            return self.rng.randint(3, 6)
        roll = self.rng.random()
        return 3 if roll < 0.01 else 2 if roll < 0.06 else 1 if roll < 0.33 else 0


def event_rows(archive: Archive, events: int, alarms: list[tuple]) -> Iterator[tuple]:
    """Every custody event in time order, day by day; exit reads are noted in `alarms`."""
    rng, folders = archive.rng, len(archive.codes) - 1
    days = [START + timedelta(d) for d in range((END - START).days + 1)]
    days = [d for d in days if d.weekday() < 5]
    per_day = events * 0.95 / 4 / len(days)  # trips a day; the rest are stocktake reads
    stocktakes = 0.05 * events / 200 / len(days)  # a day's chance of a 200-folder stocktake
    last_days, event_id = days[-20:], 0
    out_on = archive.out_on = {f: rng.choice(last_days) for f in archive.out}
    gone, pulped = archive.destroyed, {}
    for folder, (on, batch) in sorted(gone.items(), key=lambda f: archive.codes[f[0]]):
        pulped.setdefault(on, []).append((59400, folder, None, "destroyed", batch.id, "destroyed"))
    for day in days:
        stamp, reads = day.isoformat() + " ", []
        late = day >= last_days[0]
        for _ in range(int(per_day) + (rng.random() < per_day % 1)):
            folder = rng.choice(archive.hot) if rng.random() < 0.1 else rng.randint(1, folders)
            if late and folder in archive.out or folder in gone and day >= gone[folder][0]:
                continue
            steps = EXIT_TRIP if rng.random() < 0.001 else TRIP
            reads += _trip(rng, folder, steps, rng.choice(archive.readers))
        if rng.random() < stocktakes:
            start = rng.randrange(8 * 3600, 15 * 3600)
            hand = rng.choice(STATIONS["handheld"])
            seen = (rng.randint(1, folders) for _ in range(200))
            reads += [(start + 9 * i, f, hand, "seen", None, None) for i, f in enumerate(seen)
                      if f not in gone or day < gone[f][0]]  # fmt: skip
        reads += _out_trips(archive, day, out_on)
        reads += pulped.get(day, [])  # after the pulping: the batch's folders, in code order
        reads.sort(key=lambda r: r[0])
        for second, folder, station, kind, person, state in reads:
            event_id += 1
            code, at = archive.codes[folder], stamp + HMS[second]
            if kind == "left_reading_room":
                alarms.append((event_id, at, folder, station))
            if kind == "destroyed":  # as `vault.services.destruction.confirm` writes it
                yield (event_id, f"destruction-{person}-{folder}", at, None, code, folder, kind,
                       None, state, b"", "档案员01")  # fmt: skip
                continue
            yield (event_id, f"ds{event_id:x}", at, station, code, folder, kind, person, state,
                   code.encode() + b"\r\n", None)  # fmt: skip


def _trip(rng: random.Random, folder: int, steps: tuple, reader: int) -> list[tuple]:
    """One trip's reads: one door, one desk and one exit of the archive's, at rising times."""
    second, reads = rng.randrange(8 * 3600, 15 * 3600), []
    where = {kind: rng.choice(STATIONS[kind]) for kind in ("warehouse_door", "reading_desk")}
    for place, kind, state, low, high in steps:
        second = min(second + 60 * rng.randint(low, high), 86399)
        station = where.get(place) or rng.choice(STATIONS[place])
        reads.append((second, folder, station, kind, reader if kind == "issued" else None, state))
    return reads


def _out_trips(archive: Archive, day: date, out_on: dict[int, date]) -> list[tuple]:
    """The trips that have not ended: folders still out of the warehouse at the end."""
    rng, reads = archive.rng, []
    for folder in [f for f, d in out_on.items() if d == day]:
        roll, reader = rng.random(), rng.choice(archive.readers)
        steps = EXIT_TRIP[:3] if roll < 0.1 else TRIP[:2] if roll < 0.7 else TRIP[:1]
        reads += _trip(rng, folder, steps, reader)
        archive.out[folder] = (steps[-1][2], reader if steps[-1][1] != "left_warehouse" else None)
    return reads


def build(folder: Path, folders: int = 1_000_000, events: int = 10_000_000, seed: int = 7) -> dict:
    """Build `folder/vault.db` unless the same build is there; return its figures."""
    folder.mkdir(parents=True, exist_ok=True)
    path, manifest = folder / "vault.db", folder / "dataset.json"
    wanted = {"folders": folders, "events": events, "seed": seed, "today": TODAY.isoformat(),
              "audit": AUDIT_LAYOUT}  # fmt: skip
    if path.exists() and manifest.exists():
        done = json.loads(manifest.read_text(encoding="utf-8"))
        if {k: done.get(k) for k in wanted} == wanted:
            return done
    for stale in (path, folder / "vault.db-wal", folder / "vault.db-shm", manifest):
        stale.unlink(missing_ok=True)
    timings = {}
    started = time.monotonic()
    _schema(path)
    timings["load_s"] = _load(path, Archive(folders, seed), events)
    timings["audit_s"] = _record(path)
    timings.update(_install(path))
    timings["total_s"] = time.monotonic() - started
    figures = {**wanted, **timings, "bytes": path.stat().st_size}
    manifest.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return figures


def _schema(path: Path) -> None:
    db = open_database(f"sqlite:///{path}")
    migrate(db)
    search_index.drop(db)  # its triggers would index row by row; `_install` builds it at the end
    for name in search_index.INDEXES:
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")
    db.close()
    database.initialize(None)


def _load(path: Path, archive: Archive, events: int) -> float:
    started = time.monotonic()
    con = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-1000000",
                   "temp_store=MEMORY", "locking_mode=EXCLUSIVE"):  # fmt: skip
        con.execute(f"PRAGMA {pragma}")
    tables = ("custody_event", "folder", "label_print", "alarm", "request_item")
    indexes = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({','.join('?' * len(tables))})",
        tables,
    ).fetchall()
    con.execute("BEGIN")
    for name, _ in indexes:
        con.execute(f'DROP INDEX "{name}"')
    _insert(con, archive, events)
    for _, sql in indexes:
        con.execute(sql)
    con.execute("COMMIT")
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    return time.monotonic() - started


def _insert(con: sqlite3.Connection, archive: Archive, events: int) -> None:
    con.executemany("INSERT INTO location(id, code) VALUES (?, ?)", enumerate(archive.locations, 1))
    con.executemany("INSERT INTO person(id, name, role) VALUES (?, ?, ?)", archive.people)
    con.executemany(
        "INSERT INTO station(id, kind, port, protocol, status, status_detail, frames, reads, "
        "rejected, lost, backlog) VALUES (?, ?, ?, 'scanner', 'connected', '', 0, 0, 0, 0, 0)",
        [(sid, kind, f"/dev/serial/{sid}") for kind, ids in STATIONS.items() for sid in ids],
    )
    exits: list[tuple] = []
    con.executemany(
        "INSERT INTO custody_event(id, event_id, at, station_id, code, folder_id, kind, "
        "person_id, state_after, raw, staff) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        event_rows(archive, events, exits),
    )
    generations, destroyed = {}, ("destroyed", None)
    con.executemany(
        "INSERT INTO folder(id, code, title, year, classification, retention, location_id, "
        "appraisal_on, state, holder_id, label_generation) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                *row,
                *(
                    destroyed
                    if row[0] in archive.destroyed
                    else archive.out.get(row[0], ("shelved", None))
                ),  # fmt: skip
                generations.setdefault(row[0], archive.generations(row[0])),
            )  # fmt: skip
            for row in archive.folders
        ),
    )
    con.executemany(
        "INSERT INTO label_print(folder_id, generation, printed_at, output) VALUES (?, ?, ?, ?)",
        _label_prints(archive, generations),
    )
    _requests(con, archive)
    runs = records.closings(_working_days(), archive.out_on, archive.out, archive.folders,
                            archive.people, archive.seed + 2)  # fmt: skip
    con.executemany(
        "INSERT INTO closing_run(day, ran_at, not_returned) VALUES (?, ?, ?)",
        [(str(r.day), r.ran_at, len(r.alarms)) for r in runs],
    )
    raised = [(a[0], 0, "left the reading room", *a[1:]) for a in _alarms(archive, exits)]
    raised += [(at, 1, records.NOT_RETURNED, severity, reason, code, folder, None, None, *ack)
               for r in runs for at, severity, reason, code, folder, *ack in r.alarms]  # fmt: skip
    raised.sort(key=lambda a: a[:2])  # ids in time order; a read's alarm before a check's
    con.executemany(
        "INSERT INTO alarm(at, rule, severity, reason, code, folder_id, station_id, event_id, "
        "acknowledged_at, acknowledged_by, acknowledged_note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(a[0], *a[2:]) for a in raised],
    )
    _retention(con, archive)


def _working_days() -> list[date]:
    days = (START + timedelta(d) for d in range((END - START).days + 1))
    return [d for d in days if d.weekday() < 5]


def _retention(con: sqlite3.Connection, archive: Archive) -> None:
    """Holds, destruction batches and data released outside (`bench.dataset_records`)."""
    batched = {f for b in archive.batches for f in b.folders}
    con.executemany(
        "INSERT INTO hold(folder_id, reason, placed_by, placed_at, lifted_by, lifted_at, "
        "lift_note) VALUES (?, ?, ?, ?, ?, ?, ?)",
        records.hold_rows(len(archive.codes) - 1, batched, START, END, archive.seed + 3),
    )
    rows = records.batch_rows(archive.batches)
    con.executemany(
        "INSERT INTO destruction_batch(id, reason, site, supervisors, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows["batch"],
    )
    con.executemany("INSERT INTO destruction_item(batch_id, folder_id) VALUES (?, ?)", rows["item"])
    con.executemany(
        "INSERT INTO destruction_approval(batch_id, approver, approved, opinion, at) "
        "VALUES (?, ?, ?, ?, ?)",
        rows["approval"],
    )
    con.executemany(
        "INSERT INTO destruction(batch_id, destroyed_on, confirmed_by, confirmed_at, note) "
        "VALUES (?, ?, ?, ?, ?)",
        rows["destruction"],
    )
    con.executemany(
        "INSERT INTO external_release(unit, letter_number, letter_date, purpose, "
        "seal_confirmed_by, approved_by, provided, provided_on, recorded_by, recorded_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        records.release_rows(START, END, archive.seed + 4),
    )


def _label_prints(archive: Archive, generations: dict[int, int]) -> Iterator[tuple]:
    rng = archive.rng
    for folder, count in generations.items():
        for generation in range(1, count + 1):
            day = START + timedelta(days=rng.randrange((END - START).days))
            yield folder, generation, f"{day} {HMS[rng.randrange(86400)]}", "pdf Avery L7160"


def _requests(con: sqlite3.Connection, archive: Archive) -> None:
    """Historical requests (closed), and the open ones of folders still out (some expired)."""
    rng, leaders = archive.rng, range(len(archive.people) - 49, len(archive.people) - 29)
    requests, items, folders = [], [], len(archive.codes) - 1
    for n in range(1, 50_001):
        start = START + timedelta(days=rng.randrange((END - START).days - 30))
        end = start + timedelta(days=rng.randint(0, 30))
        requests.append([n, rng.choice(archive.readers), start, end, rng.choice(leaders)])
        items += [(n, rng.randint(1, folders), f"{end} 16:00:00") for _ in range(rng.randint(1, 3))]
    for folder, (_state, holder) in archive.out.items():
        if rng.random() < 0.8:
            end = END + timedelta(days=rng.randint(-14, 14))
            reader = holder or rng.choice(archive.readers)
            requests.append([len(requests) + 1, reader, end - timedelta(days=20), end, leaders[0]])
            items.append((len(requests), folder, None))
    letters = records.letters(requests, items, archive.codes, archive.seed + 5)
    con.executemany(
        "INSERT INTO letter(id, unit, number, issued_on, valid_until, covers, seal_confirmed_by, "
        "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(n, *row) for n, row in enumerate(letters, start=1)],
    )
    con.executemany(
        "INSERT INTO request(id, reader_id, purpose, valid_from, valid_until, approved_by_id, "
        "letter_id, opinion, approved_at, created_by) "
        "VALUES (?, ?, '查阅', ?, ?, ?, ?, '同意', ?, '档案员01')",
        [(*r, f"{r[2]} 09:00:00") for r in requests],
    )
    con.executemany(
        "INSERT INTO request_item(request_id, folder_id, closed_at) VALUES (?, ?, ?)", items
    )


def _alarms(archive: Archive, exits: list[tuple]) -> Iterator[tuple]:
    """One alarm per exit read; the recent ones and a few others still open."""
    rng, recent = archive.rng, (END - timedelta(days=30)).isoformat()
    for event, at, folder, station in exits:
        level = archive.folders[folder - 1][4]
        severity = "warning" if level in ("public", "internal") else "critical"
        code, open_ = archive.codes[folder], at >= recent or rng.random() < 0.02
        ack = (None, "", "") if open_ else (at, "保卫科", "已追回，交还阅览室")
        yield (at, severity, f"{code} 离开阅览室", code, folder, station, event, *ack)


AUDIT_LAYOUT = 3  # bump when the dataset's audit entries change, so a cached build is redone


class _Row:
    """A row read back with plain SQL, shaped like the model instance `audit`'s records read."""

    def __init__(self, **values) -> None:
        self.__dict__.update(values)


def _stamp(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None


def _approvals(con: sqlite3.Connection) -> list[tuple]:
    """Each approved request's one-step approval as an `approval` row naming its folders, in the
    order they were given (as `audit.carry_over_approvals` writes them); returns (at, record)."""
    leaders = dict(con.execute("SELECT id, name FROM person"))
    requests = con.execute(
        "SELECT id, approved_by_id, opinion, approved_at FROM request "
        "WHERE approved_at IS NOT NULL ORDER BY approved_at, id"
    ).fetchall()
    folders: dict[int, set[int]] = {}
    for request, folder in con.execute("SELECT request_id, folder_id FROM request_item"):
        folders.setdefault(request, set()).add(folder)
    rows, links, records = [], [], []
    for number, (request, leader, opinion, at) in enumerate(requests, start=1):
        rows.append((number, request, leaders[leader], "leader", 1, opinion, at))
        named = sorted(folders.get(request, ()))
        links += [(number, f) for f in named]
        record = {"id": number, "request": request, "approver": leaders[leader],
                  "duty": "leader", "approved": True, "opinion": opinion,
                  "at": _stamp(at).isoformat(sep=" "), "folders": named}  # fmt: skip
        records.append((at, record))
    con.executemany(
        "INSERT INTO approval(id, request_id, approver, duty, approved, opinion, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    con.executemany("INSERT INTO approval_folder(approval_id, folder_id) VALUES (?, ?)", links)
    return records


def _record(path: Path) -> float:
    """The audit log of what was loaded, in time order: each event, the alarm it raised and that
    alarm's acknowledgement, and the approvals given before it; built with `audit`'s own records
    and hashes from the rows as stored."""
    started = time.monotonic()
    beside = _beside(path)
    con = sqlite3.connect(path, isolation_level=None)
    for pragma in ("synchronous=OFF", "cache_size=-1000000", "temp_store=MEMORY"):
        con.execute(f"PRAGMA {pragma}")
    con.execute("BEGIN")
    approvals = [(at, n, audit.APPROVAL, r["id"], r) for n, (at, r) in enumerate(_approvals(con))]
    beside = sorted(approvals + [(at, len(approvals) + n, *rest) for n, (at, *rest) in
                                 enumerate(beside)], key=lambda b: b[:2])  # fmt: skip
    alarms: dict[int, list[_Row]] = {}
    columns = ("id", "at", "rule", "severity", "reason", "code", "folder_id", "station_id",
               "event_id", "acknowledged_at", "acknowledged_by", "acknowledged_note")  # fmt: skip
    for values in con.execute(f"SELECT {', '.join(columns)} FROM alarm ORDER BY id"):
        alarm = _Row(**dict(zip(columns, values, strict=True)))
        alarm.at, alarm.acknowledged_at = _stamp(alarm.at), _stamp(alarm.acknowledged_at)
        alarms.setdefault(alarm.event_id, []).append(alarm)
    events = con.cursor().execute(
        "SELECT id, event_id, at, station_id, code, folder_id, kind, person_id, state_after, "
        "raw, staff, witness FROM custody_event ORDER BY id"
    )
    con.executemany(
        "INSERT INTO audit_entry(seq, at, kind, ref, body, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        _entries(_in_time_order(events, alarms, beside)),
    )
    con.execute("COMMIT")
    con.close()
    return time.monotonic() - started


def _beside(path: Path) -> list[tuple]:
    """(at, kind, ref, record) of what is recorded beside the custody log and the exits'
    alarms: letters, holds and their lifting, destruction decisions and destructions, releases,
    the closing checks with their alarms and acknowledgements; each table's rows in id order
    (which is time order), read through Vault's models and recorded with `audit`'s builders."""
    db = open_database(f"sqlite:///{path}")
    found: list[tuple] = []
    try:
        for table in audit.RECORDED:
            if table.kind in (audit.EVENT, audit.ALARM, audit.APPROVAL):
                continue
            for row in table.model.select().order_by(table.model.id):
                at = next(getattr(row, a) for a in _TIMES if hasattr(row, a))
                found.append((str(at), table.kind, row.id, table.record(row)))
        for hold in Hold.select().where(Hold.lifted_at.is_null(False)).order_by(Hold.id):
            record = audit.hold_lift_record(hold)
            found.append((str(hold.lifted_at), audit.HOLD_LIFT, hold.id, record))
        checks: dict[str, list[int]] = {}
        for alarm in Alarm.select().where(Alarm.event.is_null()).order_by(Alarm.id):
            found.append((str(alarm.at), audit.ALARM, alarm.id, audit.alarm_record(alarm)))
            if alarm.acknowledged_at is not None:
                found.append((str(alarm.at), audit.ACK, alarm.id, audit.ack_record(alarm)))
            checks.setdefault(str(alarm.at), []).append(alarm.id)
        for run in ClosingRun.select().order_by(ClosingRun.day):  # `closing.close_day`'s note
            ids = checks.get(str(run.ran_at), [])
            payload = {"day": run.day.isoformat(), "not_returned": len(ids), "alarms": ids}
            found.append((str(run.ran_at), audit.CLOSING, run.day.toordinal(), payload))
    finally:
        db.close()
        database.initialize(None)
    return found


_TIMES = ("placed_at", "recorded_at", "confirmed_at", "at")  # when each recorded row was written


def _in_time_order(events, alarms: dict, beside: list[tuple]) -> Iterator[tuple]:
    """(at, kind, ref, record) of every entry, as Vault would have written them."""
    pending = iter(beside)
    other = next(pending, None)
    for row in events:
        id_, event_id, at, station, code, folder, kind, person, state, raw, staff, witness = row
        while other is not None and other[0] < at:
            yield other[0], *other[2:]
            other = next(pending, None)
        event = _Row(id=id_, event_id=event_id, at=_stamp(at), station_id=station, code=code,
                     folder_id=folder, kind=kind, person_id=person, state_after=state, raw=raw,
                     staff=staff, witness=witness)  # fmt: skip
        yield at, audit.EVENT, id_, audit.event_record(event)
        for alarm in alarms.get(id_, ()):
            yield at, audit.ALARM, alarm.id, audit.alarm_record(alarm)
            if alarm.acknowledged_at is not None:
                yield at, audit.ACK, alarm.id, audit.ack_record(alarm)
    for at, _, kind, ref, record in [other, *pending] if other else ():
        yield at, kind, ref, record


def _entries(records: Iterator[tuple]) -> Iterator[tuple]:
    prev = GENESIS
    for seq, (at, kind, ref, record) in enumerate(records, start=1):
        body = canonical(kind, record)
        prev_hash, prev = prev, entry_hash(seq, prev, body)
        yield seq, at, kind, ref, body, prev_hash, prev


def _install(path: Path) -> dict:
    """The register's search index and indexes, installed through Vault's own connection."""
    db = open_database(f"sqlite:///{path}")
    try:
        started = time.monotonic()
        search_index.install(db)
        middle = time.monotonic()
        search_index.install_indexes(db)
        done = time.monotonic()
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
        database.initialize(None)
    return {"search_index_s": middle - started, "indexes_s": done - middle}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--folders", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    args = parser.parse_args()
    figures = build(args.folder, args.folders, args.events)
    print(json.dumps(figures, indent=2))
    print(f"{args.folder / 'vault.db'}: {figures['bytes'] / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main()
