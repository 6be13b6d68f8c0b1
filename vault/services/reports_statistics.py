"""Alarm and overdue figures over a period, as a report: for the guard room's shift reviews and
the archive's yearly secrecy self-inspection.

Alarms are counted per local day, rule and severity, with how many were acknowledged and how
long that took; the closing checks of the period and the folders overdue now close the report.
The alarms are read once, in time order, and only the counts are kept.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peewee import SQL, NodeList, SqliteDatabase, fn

from vault.db.models import Alarm, ClosingRun, Folder, database
from vault.domain import closing
from vault.services import clock, search
from vault.services.errors import VaultError
from vault.services.report import Report
from vault.services.reports import produced

DEFAULT_DAYS = 30  # the period when none is asked for: the last 30 days, today included
MAX_DAYS = 3660
OVERDUE_NAMED = 20  # codes the report names; the register's overdue list has them all

COLUMNS = (
    ("day", "day"),
    ("rule", "alarm"),
    ("severity", "severity"),
    ("raised", "raised"),
    ("acknowledged", "acknowledged"),
    ("open", "still open"),
    ("mean_ack", "mean time to acknowledge"),
    ("max_ack", "longest time to acknowledge"),
)


@dataclass
class Counts:
    raised: int = 0
    acknowledged: int = 0
    seconds: float = 0.0  # time to acknowledge, summed over the acknowledged
    longest: float = 0.0

    def add(self, waited: float | None) -> None:
        self.raised += 1
        if waited is not None:
            self.acknowledged += 1
            self.seconds += waited
            self.longest = max(self.longest, waited)

    def add_group(self, raised: int, acknowledged: int, seconds, longest) -> None:
        """A group of alarms counted by the database (`seconds`, `longest`: None if none was
        acknowledged)."""
        self.raised += raised
        self.acknowledged += acknowledged
        self.seconds += float(seconds or 0)
        self.longest = max(self.longest, float(longest or 0))

    def cells(self) -> dict:
        mean = self.seconds / self.acknowledged if self.acknowledged else None
        return {
            "raised": self.raised,
            "acknowledged": self.acknowledged,
            "open": self.raised - self.acknowledged,
            "mean_ack": duration(mean),
            "max_ack": duration(self.longest if self.acknowledged else None),
        }


def period(start: date | None, until: date | None) -> tuple[date, date]:
    """The days asked for, or the last DEFAULT_DAYS; refused when they run backwards."""
    until = until or clock.today()
    start = start or until - timedelta(days=DEFAULT_DAYS - 1)
    if until < start:
        raise VaultError(f"the period ends ({until}) before it starts ({start})")
    if (until - start).days >= MAX_DAYS:
        raise VaultError(f"ask for at most {MAX_DAYS} days at a time")
    return start, until


def statistics(start: date | None = None, until: date | None = None) -> Report:
    start, until = period(start, until)
    zone = clock.zone()
    begin, end = closing.day_bounds(start, zone)[0], closing.day_bounds(until, zone)[1]
    per_day: dict[tuple, Counts] = defaultdict(Counts)
    overall: dict[tuple, Counts] = defaultdict(Counts)
    total = Counts()
    # Counted by the database, a group per moment: a closing check raises all its alarms at
    # one time, and a busy month's tens of thousands of alarms, one by one in Python, cost more
    # than the rest of the report. Each moment's local day is then worked out once.
    waited = _seconds(Alarm.acknowledged_at, Alarm.at)
    query = (
        Alarm.select(
            Alarm.at,
            Alarm.rule,
            Alarm.severity,
            fn.COUNT(Alarm.id),
            fn.COUNT(Alarm.acknowledged_at),
            fn.SUM(waited),
            fn.MAX(waited),
        )  # fmt: skip
        .where(Alarm.at >= begin, Alarm.at < end)
        .group_by(Alarm.at, Alarm.rule, Alarm.severity)
    )
    for at, rule, severity, *counts in database.execute(query).fetchall():
        day = closing.local_day(_moment(at), zone)
        for counted in (per_day[(day, rule, severity)], overall[(rule, severity)], total):
            counted.add_group(*counts)
    span = f"{start.isoformat()} – {until.isoformat()}"
    rows = [
        {"day": day.isoformat(), "rule": rule, "severity": severity} | counts.cells()
        for (day, rule, severity), counts in sorted(per_day.items())
    ]
    rows += [
        {"day": span, "rule": rule, "severity": severity} | counts.cells()
        for (rule, severity), counts in sorted(overall.items())
    ]
    return Report(
        f"Alarm and overdue statistics from {start.isoformat()} to {until.isoformat()}",
        [produced()],
        COLUMNS,
        rows,
        [*_totals(total), *_closing_lines(start, until), *_overdue_lines()],
        name=f"statistics-{start.isoformat()}-{until.isoformat()}",
    )


def _totals(total: Counts) -> list[str]:
    cells = total.cells()
    return [
        f"Alarms raised: {total.raised}",
        f"Acknowledged: {total.acknowledged}",
        f"Still open: {cells['open']}",
        f"Mean time to acknowledge: {cells['mean_ack'] or '-'}",
        f"Longest time to acknowledge: {cells['max_ack'] or '-'}",
    ]


def _closing_lines(start: date, until: date) -> list[str]:
    runs = list(
        ClosingRun.select()
        .where(ClosingRun.day >= start, ClosingRun.day <= until)
        .order_by(ClosingRun.day)
    )
    lines = [f"Closing checks run: {len(runs)}"]
    lines += [f"Not returned at closing on {r.day}: {r.not_returned}" for r in runs]
    return lines


def _seconds(later, earlier):
    """Seconds from `earlier` to `later` (None when `later` is), as the database works it."""
    if isinstance(database.obj, SqliteDatabase):
        return (fn.julianday(later) - fn.julianday(earlier)) * 86400.0
    return fn.EXTRACT(NodeList((SQL("EPOCH FROM"), later - earlier)))


def _moment(value):
    """A stored time as SQLite hands it back (text) or as PostgreSQL does (a datetime)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _overdue_lines() -> list[str]:
    """How many folders are overdue, counted in one query by the overdue list's own rule
    (`search.overdue`), and the first OVERDUE_NAMED of that list; not the whole list walked."""
    today = clock.today()
    due = fn.COALESCE(search._due(), "0001-01-01")  # the last day of its open requests
    count = (
        Folder.select()
        .where(Folder.state.in_([s.value for s in search.OUT_STATES]), due < today.isoformat())
        .count()
    )
    lines = [f"Folders overdue now: {count}"]
    if count:
        codes = [row["code"] for row in search.overdue(today, limit=OVERDUE_NAMED).rows]
        named = ", ".join(codes) + (", …" if count > OVERDUE_NAMED else "")
        lines.append(f"Overdue now: {named}")
    return lines


def duration(seconds: float | None) -> str:
    """A wait as hours, minutes and seconds, "3:05:09"; "" when there is none."""
    if seconds is None:
        return ""
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
