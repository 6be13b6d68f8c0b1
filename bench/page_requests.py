"""The requests `bench.page_speed` sends: for each route of the web app, a few hundred varied
ones drawn from the archive itself (`bench.dataset`), grouped by what they ask for.

Inputs are sampled with a fixed seed through Vault's own connection before any request is sent:
title terms are 2 to 4 Chinese characters cut from real titles (a tenth are terms no title has);
code prefixes run from a fonds to a nearly full code, in any letter case; later pages of a title
search use the cursor the page before gave (found here, in-process, untimed); the lists of
folders out and overdue are read page after page, every page; folder pages are of random folders
and of the busiest ones (thousands of events), with older pages of their timelines; desk scans
are of random folders (some out, so they move) at the archive's desk stations.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from bench import dataset, page_records
from bench.register_speed import HOT
from vault.db.connection import open_database
from vault.db.models import database
from vault.domain import labelcode
from vault.services import search

PASSWORD = "page-speed-2024"  # every bench account's password (at least 10 characters)
KIOSK = "bench-kiosk"  # the guard-room screen account
CJK = re.compile(r"^[\u4e00-\u9fff]+$")
ABSENT = "鑫淼焱垚犇骉鱻羴"  # characters no title has
OUT_STATES = ("in_reading_room", "issued", "outside")
ADDED = 60  # accounts the administrator adds (then gives new passwords, then disables)


@dataclass(frozen=True)
class Call:
    """One request. A form post gets the visitor's form token added as `csrf`; a JSON post (a
    page's script) sends it as X-CSRF-Token. `stream`: "event" times a server-sent event stream
    to its first event, "open" to its first line. `download`: a whole list as a file, also
    timed to its first line (when the download starts). `file` ("csv", "pdf"): a report as a
    file, not a page: a CSV counts in its route's figures by its first line only, a PDF not at
    all (both are shown apart, whole)."""

    method: str
    path: str
    form: dict[str, str] | None = None
    json: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    stream: str = ""
    download: bool = False
    file: str = ""


Plan = dict[str, list[Call]]  # variant (what the requests ask for) -> the requests


@dataclass
class Samples:
    """What the requests are made of, read from the archive before any request is sent."""

    titles: list[str]
    codes: list[tuple[str, int]]  # random folders: code, label generation
    hot: list[str]  # the busiest folders
    older: list[tuple[str, int]]  # a busy folder and an event deep in its timeline
    out: list[str]  # folders out of the warehouse, in code order
    readers: list[str]
    desks: list[str]
    resume: dict[str, int]  # desk station -> an event 20 of its scans before its newest
    history: list[tuple[int, str, str, str]]  # acknowledged alarms: id, code, day, title
    open_alarms: list[int]  # oldest first
    later: list[tuple[str, str]] = field(default_factory=list)  # title term, cursor
    records: page_records.Records | None = None  # for the requests, retention, reports pages


def _rows(sql: str, *params: object) -> list[tuple]:
    return list(database.execute_sql(sql, params).fetchall())


def sample(path: Path, rng: random.Random) -> Samples:
    """Read every input from the archive at `path` (Vault's connection, closed afterwards)."""
    db = open_database(f"sqlite:///{path}")
    try:
        top = _rows("SELECT max(id) FROM folder")[0][0]
        ids = ",".join(map(str, rng.sample(range(1, top + 1), 4000)))
        picked = _rows(f"SELECT code, label_generation, title FROM folder WHERE id IN ({ids})")
        hot = _rows(f"SELECT id, code FROM folder WHERE id IN ({HOT})")
        desks = [d for (d,) in _rows("SELECT id FROM station WHERE kind = 'reading_desk'")]
        found = Samples(
            titles=[t for _, _, t in picked],
            codes=[(c, g) for c, g, _ in picked],
            hot=[c for _, c in hot],
            older=[_deep_event(rng, f, code) for f, code in rng.sample(hot, min(100, len(hot)))],
            out=[c for (c,) in _rows(_OUT)],
            readers=[n for (n,) in _rows("SELECT name FROM person WHERE role = 'reader'")],
            desks=desks,
            resume={d: _rows(_RESUME, d)[0][0] for d in desks},
            history=_rows(_HISTORY),
            open_alarms=[a for (a,) in _rows(_OPEN)],
        )
        found.later = _later_pages(found, rng, 100)
        found.records = page_records.sample(rng)
        return found
    finally:
        db.close()
        database.initialize(None)


_OUT = f"SELECT code FROM folder WHERE state IN {OUT_STATES} ORDER BY code"
_RESUME = "SELECT id FROM custody_event WHERE station_id = ? ORDER BY id DESC LIMIT 1 OFFSET 20"
_HISTORY = (
    "SELECT a.id, a.code, substr(a.at, 1, 10), coalesce(f.title, '') FROM alarm a "
    "LEFT JOIN folder f ON f.id = a.folder_id WHERE a.acknowledged_at IS NOT NULL"
)
_OPEN = "SELECT id FROM alarm WHERE acknowledged_at IS NULL ORDER BY id"


def _deep_event(rng: random.Random, folder: int, code: str) -> tuple[str, int]:
    """An event somewhere in a busy folder's timeline: the page of older events starts there."""
    (count,) = _rows("SELECT count(*) FROM custody_event WHERE folder_id = ?", folder)[0]
    sql = (
        "SELECT id FROM custody_event WHERE folder_id = ? ORDER BY at DESC, id DESC "
        "LIMIT 1 OFFSET ?"
    )
    return code, _rows(sql, folder, rng.randrange(count))[0][0]


def _later_pages(s: Samples, rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Pages 2 to 5 of title searches: each cursor is the one the page before gave."""
    pages = []
    for term in terms(s, rng, 2, count * 2):
        page = search.search_folders(title=term)
        for _ in range(rng.randint(0, 3)):
            if page.next_after is None:
                break
            page = search.search_folders(title=term, after=page.next_after)
        if page.next_after is not None:
            pages.append((term, page.next_after))
    return pages[:count]


def terms(s: Samples, rng: random.Random, length: int, count: int) -> list[str]:
    """Chinese terms cut from real titles at random places; a tenth no title has."""
    found: list[str] = []
    while len(found) < count * 9 // 10:
        title = rng.choice(s.titles)
        start = rng.randrange(max(1, len(title) - length + 1))
        term = title[start : start + length]
        if len(term) == length and CJK.match(term):
            found.append(term)
    found += ["".join(rng.choices(ABSENT, k=length)) for _ in range(count - len(found))]
    rng.shuffle(found)
    return found


def get(path: str, **query: object) -> Call:
    return Call("GET", f"{path}?{urlencode(query)}" if query else path)


def _download(path: str) -> Call:
    return Call("GET", f"{path}?format=csv", download=True)


def _register_search(s: Samples, rng: random.Random) -> Plan:
    plan = {
        f"title, {n} characters": [get("/register", title=t) for t in terms(s, rng, n, 120)]
        for n in (2, 3, 4)
    }
    prefixes = [_prefix(rng, code) for code, _ in rng.sample(s.codes, 100)]
    plan["code prefix"] = [get("/register", code=p) for p in prefixes]
    plan["combined filters"] = [get("/register", **_combined(s, rng)) for _ in range(100)]
    plan["pages 2-5 of a title search"] = [get("/register", title=t, after=a) for t, a in s.later]
    plan["no filter: first page, then pages after random codes"] = [get("/register")] + [
        get("/register", after=code) for code, _ in rng.sample(s.codes, 39)
    ]
    plan["CSV of a page-sized search (10-100 folders)"] = [
        get("/register", format="csv", **_page_sized(s, rng)) for _ in range(60)
    ]
    return plan


def _prefix(rng: random.Random, code: str) -> str:
    cut = code[: rng.choice((2, 5, 10, 13))]
    return cut.lower() if rng.random() < 0.3 else cut


def _combined(s: Samples, rng: random.Random) -> dict[str, str]:
    options = {
        "title": terms(s, rng, rng.randint(2, 4), 1)[0],
        "classification": rng.choice(dataset.LEVELS)[0],
        "location": f"{rng.choice('ABCDEFGH')}-{rng.randint(1, 50):02d}",
        "state": rng.choice(("shelved", *OUT_STATES)),
        "code": f"{rng.choice(dataset.FONDS)}-{rng.choice(dataset.CATALOGUES)}",
    }
    return dict(rng.sample(sorted(options.items()), rng.randint(2, 3)))


def _page_sized(s: Samples, rng: random.Random) -> dict[str, str]:
    """A search that finds about a page: a code to its hundreds, or a batch and a title term."""
    code = rng.choice(s.codes)[0]
    if rng.random() < 0.5:
        return {"code": code[: rng.choice((13, 14))]}
    return {"code": code[:10], "title": terms(s, rng, 2, 1)[0]}


def _out_list(path: str) -> Callable[[Samples, random.Random], Plan]:
    """Outside now or overdue: every page in order (each cursor is a page's last code), pages
    after random folders out, and the whole list as a CSV file, a few times."""

    def plan(s: Samples, rng: random.Random) -> Plan:
        cursors = [None, *s.out[49::50]]
        return {
            f"every page ({len(cursors)} pages of 50)": [
                get(path, after=a) if a else get(path) for a in cursors
            ],
            "pages after random folders out": [
                get(path, after=a) for a in rng.sample(s.out, min(100, len(s.out)))
            ],
            f"the whole list as CSV ({len(s.out):,} folders)": [_download(path)] * 5,
        }

    return plan


def _folder(s: Samples, rng: random.Random) -> Plan:
    def page(code: str, **query: object) -> Call:
        return get("/folders/" + quote(code, safe=""), **query)

    busiest = rng.sample(s.hot, min(100, len(s.hot)))
    return {
        "random folders": [page(c) for c, _ in rng.sample(s.codes, 150)],
        "the busiest folders (thousands of events)": [page(c) for c in busiest],
        "older timeline pages of the busiest": [page(c, before=e) for c, e in s.older],
        "no such folder (404)": [page(f"XX-{n:04d}") for n in range(10)],
    }


def _alarm_history(s: Samples, rng: random.Random) -> Plan:
    rows = rng.sample(s.history, min(200, len(s.history)))
    days = sorted({day for _, _, day, _ in s.history})
    texts = [code[: rng.choice((2, 5, 10, 15))] for _, code, _, _ in rows[:40]]
    texts += terms(s, rng, 2, 20) + [t[5:8] for *_, t in rows[40:60] if len(t) > 8]
    texts += ["已追回", "保卫科", "阅览室", "鑫淼"] * 5
    return {
        "first page, and by rule": [get("/alarms/history")] * 25
        + [get("/alarms/history", rule="left the reading room")] * 25,
        "text search": [get("/alarms/history", q=t) for t in texts],
        "date range": [get("/alarms/history", **_days(rng, days)) for _ in range(50)],
        "older pages": [get("/alarms/history", before=a) for a, *_ in rows[:100]],
        "CSV of a search": [
            get("/alarms/history", format="csv", q=code) for _, code, _, _ in rows[:50]
        ],
        "the whole history as CSV": [_download("/alarms/history")] * 5,
    }


def _days(rng: random.Random, days: list[str]) -> dict[str, str]:
    start = rng.randrange(len(days))
    end = min(len(days) - 1, start + rng.randint(0, 40))
    return {"from": days[start], "to": days[end]}


def _alarm_events(s: Samples, rng: random.Random) -> Plan:
    stream = Call("GET", "/api/alarms/events", stream="event")
    return {"live board: time to the first board event": [stream] * 60}


def _desk(s: Samples, rng: random.Random) -> Plan:
    return {"desk page": [get("/desk", station=rng.choice(s.desks)) for _ in range(200)]}


def _desk_events(s: Samples, rng: random.Random) -> Plan:
    stations = [rng.choice(s.desks) for _ in range(50)]
    return {
        "fresh stream: time to its first line": [
            Call("GET", f"/api/desk/events?station={d}", stream="open") for d in stations
        ],
        "resumed (Last-Event-ID): time to the first scan event": [
            Call(
                "GET",
                f"/api/desk/events?station={d}",
                stream="event",
                headers={"Last-Event-ID": str(s.resume[d])},
            )
            for d in stations
        ],
    }


def _desk_scan(s: Samples, rng: random.Random) -> Plan:
    """A scanner's scans: random folders (a fifth with the label's generation), folders out
    (they move), readers' cards, codes nobody registered; half name the reader served."""
    scans = []
    for n in range(300):
        roll = rng.random()
        code, generation = rng.choice(s.codes)
        if roll < 0.3:
            code = rng.choice(s.out)
        elif roll < 0.4:
            code = f"READER:{rng.choice(s.readers)}"
        elif roll < 0.45:
            code = f"ZZ-NONE-{n:04d}"
        elif roll < 0.65 and generation:
            code = labelcode.compose(code, generation)
        reader = rng.choice(s.readers) if rng.random() < 0.5 else ""
        body = {"station": rng.choice(s.desks), "code": code, "reader": reader}
        scans.append(Call("POST", "/api/desk/scan", json=body))
    return {"scans of random folders at the desk stations": scans}


def _alarm_ack(s: Samples, rng: random.Random) -> Plan:
    form = {"note": "已到阅览室核实", "by": "值班员"}  # "by": the guard-room screen asks for a name
    return {
        "acknowledging the oldest open alarms": [
            Call("POST", f"/alarms/{a}/ack", form=form) for a in s.open_alarms[:200]
        ]
    }


def _admin_users(s: Samples, rng: random.Random) -> Plan:
    return {
        "the list": [get("/admin/users")] * 150,
        "after a change": [get("/admin/users", done="added", user=KIOSK)] * 50,
    }


def _added(n: int) -> str:
    return f"bench-added-{n:03d}"


def _admin_user_add(s: Samples, rng: random.Random) -> Plan:
    """People (their password hashed with scrypt, slow on purpose) and guard-room screens."""
    people, screens = [], []
    for n in range(ADDED):
        role = ("archivist", "security", "leader", "kiosk")[n % 4]
        form = {"username": _added(n), "name": f"测试{n}", "role": role, "language": "zh",
                "password": PASSWORD, "password2": PASSWORD}  # fmt: skip
        (screens if role == "kiosk" else people).append(Call("POST", "/admin/users/add", form=form))
    return {"a person (scrypt)": people, "a guard-room screen": screens}


def _admin_user_password(s: Samples, rng: random.Random) -> Plan:
    people = [_added(n) for n in range(ADDED) if n % 4 != 3][:30]
    form = {"password": PASSWORD + "!", "password2": PASSWORD + "!"}
    calls = [Call("POST", "/admin/users/password", form={"username": u} | form) for u in people]
    return {"a new password (scrypt)": calls}


def _admin_user_disable(s: Samples, rng: random.Random) -> Plan:
    calls = [
        Call("POST", "/admin/users/disable", form={"username": _added(n)}) for n in range(ADDED)
    ]
    return {"disabling an added account": calls}


def _admin_kiosk_link(s: Samples, rng: random.Random) -> Plan:
    calls = [Call("POST", "/admin/users/kiosk-link", form={"username": KIOSK})] * 200
    return {"a screen's one-time link": calls}


def _language(s: Samples, rng: random.Random) -> Plan:
    form = {"language": "zh", "next": "/"}  # the accounts' own language: later pages unchanged
    return {"choosing the page language": [Call("POST", "/account/language", form=form)] * 200}


def plain(path: str, what: str, count: int = 200) -> Callable[[Samples, random.Random], Plan]:
    return lambda s, rng: {what: [get(path)] * count}


# Route name -> its requests. A route not named here is sent 100 plain GETs if its path has no
# wildcard, and otherwise reported as not measured.
PLANS: dict[str, Callable[[Samples, random.Random], Plan]] = {
    "home": plain("/", "the front page (security has one page: a redirect)"),
    "alarm_board": plain("/alarms", "the board (every open alarm, up to 500)"),
    "api_alarms": plain("/api/alarms", "open alarms as JSON"),
    "alarm_events": _alarm_events,
    "alarm_history": _alarm_history,
    "desk": _desk,
    "desk_events": _desk_events,
    "register_search": _register_search,
    "register_outside": _out_list("/register/outside"),
    "register_overdue": _out_list("/register/overdue"),
    "folder": _folder,
    "admin": plain("/admin", "configuration and station health"),
    "api_admin_stations": plain("/api/admin/stations", "station health as JSON"),
    "admin_users": _admin_users,
    **page_records.PLANS,
    # Writes, measured after every read, in this order (acknowledging empties the board last).
    "desk_scan": _desk_scan,
    "account_language": _language,
    "admin_user_add": _admin_user_add,
    "admin_user_password": _admin_user_password,
    "admin_user_disable": _admin_user_disable,
    "admin_kiosk_link": _admin_kiosk_link,
    "alarm_ack": _alarm_ack,
}
