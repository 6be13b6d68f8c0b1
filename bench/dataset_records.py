"""The big archive's records beyond custody (`bench.dataset`): visitors' letters, holds,
destruction batches (some destroyed), data released to outside units and closing-time checks
with the alarms they raised, so the pages of requests, retention, releases and reports have a
bureau's twenty years of them to show.

Planned here as plain values from the archive's own folders before anything is written (a
destroyed folder is read no more after its day, so the custody log is planned around it); the
dataset writes them with plain SQL and records each in the audit log in time order. Ids follow
time in every table, as rows written one after another get them. No stocktakes: their tables
are being reworked.

- ~300 requests are visitors' (a letter from their unit naming the folders, its seal seen).
- 1,000 holds on random folders over ten years, a third lifted since.
- 20 destruction batches of one fonds-catalogue-year's folders due for appraisal (10 and 30
  year retention), from 2020 on: 6 confirmed destroyed (their folders "destroyed", each with its
  "destroyed" custody event), 2 refused, the others approved, awaiting a second approval or
  drafts.
- 5,000 releases of statistical data to 40 units over twenty years.
- The closing check of each of the last 30 working days, an alarm for every folder still out
  then (those the dataset leaves out), acknowledged by the guard room the same evening, but for
  20 of the last day's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from vault.domain import closing
from vault.domain.model import AlarmRule, Classification, FolderState
from vault.domain.retention import appraisal_date

LETTERS, HOLDS, BATCHES, RELEASES, CLOSINGS = 300, 1000, 20, 5000, 30
CLOSING_TIME, CLOSING_AT = "17:30", "17:30:05"  # the check runs just after closing


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


LEADERS = tuple(f"{s}局长" for s in "王李张刘陈")  # the archives leading group
UNITS = _words(
    "县发展和改革局 县财政局 县农业农村局 县住房和城乡建设局 县人力资源和社会保障局 县审计局 "
    "县市场监督管理局 县教育局 县卫生健康局 县自然资源局 县生态环境局 县交通运输局 县水利局 "
    "县商务局 县文化和旅游局 县应急管理局 县税务局 县人民银行支行 县委办公室 县政府办公室 "
    "县委组织部 县委宣传部 县委政策研究室 县人大常委会办公室 县政协办公室 县纪委监委 "
    "县人民法院 县人民检察院 县公安局 县档案馆 县地方志办公室 市统计局 市发展和改革委员会 "
    "市财政局 市社会科学院 省统计局 国家统计局调查队 县乡村振兴局 县医疗保障局 县退役军人事务局"
)
PURPOSES = (
    "编制年度工作报告",
    "编写地方志",
    "开展专项审计",
    "制定发展规划",
    "课题研究",
    "核实历史数据",
    "编制财政预算",
    "申报项目材料",
    "开展执法检查",
    "编写统计分析",
)
PROVIDED = (
    "国内生产总值分季度数据",
    "人口普查汇总资料",
    "农业普查主要指标",
    "工业企业主要指标",
    "城乡居民收入数据",
    "固定资产投资分行业数据",
    "社会消费品零售总额月度数据",
    "经济普查单位名录",
    "劳动工资年报数据",
    "粮食产量调查结果",
    "价格指数月度数据",
)
HOLD_REASONS = ("审计调查中", "纪检监察调阅", "法院调查取证", "待鉴定是否延长保管期",
                "统计执法检查取证", "编研利用中", "档案移交核对")  # fmt: skip
BATCH_REASONS = ("保管期限已满，经鉴定无继续保存价值", "到期档案鉴定销毁")
SITES = ("县造纸厂碎浆车间", "市保密销毁中心")
SUPERVISORS = ("档案员01\n县保密局 周伟", "档案员02\n县保密局 吴敏", "档案员05\n县纪委 孙强")


@dataclass
class Batch:
    """A destruction batch as planned: its folders and decisions, and the pulping if done."""

    id: int
    created_at: str
    folders: list[int]
    reason: str
    site: str
    supervisors: str
    decisions: list[tuple[str, bool, str, str]] = field(default_factory=list)  # approver, …, at
    destroyed_on: date | None = None
    confirmed_at: str | None = None


def _stamp(day: date, rng: random.Random, low: int = 8, high: int = 17) -> str:
    second = rng.randrange(low * 3600, high * 3600)
    return f"{day} {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"


def _working(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def appraisal_on(year: int | None, retention: str) -> str | None:
    due = appraisal_date(year, retention)
    return due.isoformat() if due else None


def plan_batches(folders: list[tuple], avoid: set[int], end: date, seed: int) -> list[Batch]:
    """Twenty batches, each of one fonds-catalogue-year's folders due when it was made."""
    rng = random.Random(seed)
    groups: dict[str, list[tuple]] = {}
    for row in folders:
        fid, code, _title, year, _level, retention = row[:6]
        if fid not in avoid and retention in ("10年", "30年"):
            groups.setdefault(code.rsplit("-", 1)[0], []).append((fid, year, retention))
    batches, first = [], date(2020, 1, 6)
    span = (end - timedelta(days=60) - first).days
    made = sorted(first + timedelta(days=rng.randrange(span)) for _ in range(BATCHES))
    names = sorted(groups)
    for number, day in enumerate(made, start=1):
        day = _working(day)
        due = []
        while not due:
            group = groups.pop(rng.choice(names), [])
            names = sorted(groups)
            due = [f for f, y, r in group if (d := appraisal_date(y, r)) and d <= day]
        batch = Batch(number, _stamp(day, rng), sorted(due), rng.choice(BATCH_REASONS),
                      rng.choice(SITES), rng.choice(SUPERVISORS))  # fmt: skip
        status = _status(number)
        votes = {"draft": 0, "awaiting": 1}.get(status, 2)
        for n in range(votes):
            approved = not (status == "refused" and n == 1)
            opinion = "同意销毁" if approved else "部分档案仍有查考价值，不同意销毁"
            when = _stamp(_working(day + timedelta(days=2 + 3 * n)), rng)
            batch.decisions.append((LEADERS[n], approved, opinion, when))
        if status == "destroyed":
            batch.destroyed_on = _working(day + timedelta(days=30))
            batch.confirmed_at = f"{batch.destroyed_on} 16:30:00"
        batches.append(batch)
    return batches


def _status(number: int) -> str:
    if number >= BATCHES - 2:
        return "draft"
    if number in (5, 11):
        return "refused"
    if number in (14, 17):
        return "awaiting"
    return "destroyed" if number % 3 == 1 else "approved"


def destroyed_days(batches: list[Batch]) -> dict[int, tuple[date, Batch]]:
    """Folder id -> the day its batch was pulped, and the batch."""
    return {f: (b.destroyed_on, b) for b in batches if b.destroyed_on for f in b.folders}


def batch_rows(batches: list[Batch]) -> dict[str, list[tuple]]:
    """The rows of the destruction tables, ids in time order."""
    rows: dict[str, list[tuple]] = {"batch": [], "item": [], "approval": [], "destruction": []}
    for b in batches:
        rows["batch"].append((b.id, b.reason, b.site, b.supervisors, "档案员01", b.created_at))
        rows["item"] += [(b.id, f) for f in b.folders]
        rows["approval"] += [(b.id, *d) for d in b.decisions]
        if b.destroyed_on:
            note = f"共销毁{len(b.folders)}卷，监销人签字见销毁清册"
            rows["destruction"].append((b.id, str(b.destroyed_on), "档案员01", b.confirmed_at,
                                        note))  # fmt: skip
    rows["approval"].sort(key=lambda r: r[4])
    rows["destruction"].sort(key=lambda r: r[3])
    return rows


def hold_rows(folders: int, avoid: set[int], start: date, end: date, seed: int) -> list[tuple]:
    """(folder, reason, placed_by, placed_at, lifted_by, lifted_at, lift_note), by time."""
    rng, rows = random.Random(seed), []
    first = max(start, end - timedelta(days=3650))
    while len(rows) < HOLDS:
        folder = rng.randint(1, folders)
        if folder in avoid:
            continue
        placed = first + timedelta(days=rng.randrange((end - first).days))
        lifted = placed + timedelta(days=rng.randint(10, 400))
        lift = ("档案员02", _stamp(lifted, rng), "调查已结束") if rng.random() < 0.33 else None
        if lift and lifted >= end:
            lift = None
        rows.append((folder, rng.choice(HOLD_REASONS), "档案员03", _stamp(placed, rng),
                     *(lift or ("", None, ""))))  # fmt: skip
    return sorted(rows, key=lambda r: r[3])


def release_rows(start: date, end: date, seed: int) -> list[tuple]:
    """(unit, letter_number, letter_date, purpose, seal_confirmed_by, approved_by, provided,
    provided_on, recorded_by, recorded_at), by time."""
    rng, rows, numbers = random.Random(seed), [], {}
    for _ in range(RELEASES):
        day = _working(start + timedelta(days=rng.randrange((end - start).days)))
        unit = rng.choice(UNITS)
        numbers[unit, day.year] = numbers.get((unit, day.year), 0) + 1
        letter = f"{unit[:2]}函〔{day.year}〕{numbers[unit, day.year]}号"
        archivist = f"档案员{rng.randint(1, 30):02d}"
        provided = "、".join(rng.sample(PROVIDED, rng.randint(1, 3)))
        rows.append((unit, letter, str(day - timedelta(days=rng.randint(0, 20))),
                     rng.choice(PURPOSES), archivist, f"leader-{rng.randint(1, 5)}", provided,
                     str(day), archivist, _stamp(day, rng)))  # fmt: skip
    return sorted(rows, key=lambda r: r[9])


def letters(requests: list[list], items: list[tuple], codes: list[str], seed: int) -> list[tuple]:
    """Visitors' letters for LETTERS historical requests (each request row gets its letter's id
    appended, None for the others); returns the letter rows (unit, number, issued_on,
    valid_until, covers, seal_confirmed_by, recorded_at), by time."""
    rng = random.Random(seed)
    named: dict[int, list[str]] = {}
    for request, folder, _closed in items:
        named.setdefault(request, []).append(codes[folder])
    chosen = sorted(rng.sample(range(len(requests)), LETTERS), key=lambda n: requests[n][2])
    rows, given = [], {}
    for letter_id, n in enumerate(chosen, start=1):
        request_id, _reader, valid_from, valid_until, _leader = requests[n][:5]
        unit = rng.choice(UNITS)
        number = f"{unit[:2]}函〔{valid_from.year}〕{100 + letter_id}号"
        covers = "\n".join(named.get(request_id, []))
        rows.append((unit, number, str(valid_from - timedelta(days=rng.randint(1, 10))),
                     str(valid_until + timedelta(days=rng.randint(0, 30))), covers,
                     f"档案员{rng.randint(1, 30):02d}", f"{valid_from} 08:30:00"))  # fmt: skip
        given[n] = letter_id
    for n, row in enumerate(requests):
        row.append(given.get(n))
    return rows


@dataclass(frozen=True)
class Closing:
    day: date
    ran_at: str
    alarms: list[tuple]  # (at, severity, reason, code, folder, ack_at, ack_by, ack_note)


def closings(days: list[date], out_on: dict[int, date], out: dict, folders: list[tuple],
             people: list[tuple], seed: int) -> list[Closing]:  # fmt: skip
    """The closing check of each of the last CLOSINGS working days: an alarm for each folder
    still out then (left on or before that day, never back), in code order."""
    rng, names = random.Random(seed), {p[0]: p[1] for p in people}
    runs = []
    for n, day in enumerate(days[-CLOSINGS:]):
        ran_at, alarms = f"{day} {CLOSING_AT}", []
        last = n == CLOSINGS - 1
        found = sorted((folders[f - 1][1], f) for f, d in out_on.items() if d <= day)
        for k, (code, folder) in enumerate(found):
            state, holder = out[folder]
            level = Classification(folders[folder - 1][4])
            reason = closing.reason(CLOSING_TIME, FolderState(state), names.get(holder), None)
            ack = (None, "", "") if last and k < 20 else (
                f"{day} 18:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}", "保卫科",
                "已电话核实，次日归还")  # fmt: skip
            alarms.append((ran_at, closing.severity(level).value, reason, code, folder, *ack))
        runs.append(Closing(day, ran_at, alarms))
    return runs


NOT_RETURNED = AlarmRule.NOT_RETURNED.value
