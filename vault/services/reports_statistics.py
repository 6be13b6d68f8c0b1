"""Alarm and overdue figures over a period, as a report: for the guard room's shift reviews and
the archive's yearly secrecy self-inspection.

Alarms are counted per local day, rule and severity, with how many were acknowledged and how
long that took; the closing checks of the period and the folders overdue now close the report.
The alarms are read once, in time order, and only the counts are kept.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from vault.db.models import Alarm, ClosingRun
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
    query = (
        Alarm.select(Alarm.at, Alarm.rule, Alarm.severity, Alarm.acknowledged_at)
        .where(Alarm.at >= begin, Alarm.at < end)
        .order_by(Alarm.at)
        .tuples()
    )
    for at, rule, severity, acknowledged_at in query.iterator():
        waited = (acknowledged_at - at).total_seconds() if acknowledged_at else None
        per_day[(closing.local_day(at, zone), rule, severity)].add(waited)
        overall[(rule, severity)].add(waited)
        total.add(waited)
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


def _overdue_lines() -> list[str]:
    codes = [row["code"] for row in search.every_row(search.overdue, today=clock.today())]
    lines = [f"Folders overdue now: {len(codes)}"]
    if codes:
        named = ", ".join(codes[:OVERDUE_NAMED]) + (", …" if len(codes) > OVERDUE_NAMED else "")
        lines.append(f"Overdue now: {named}")
    return lines


def duration(seconds: float | None) -> str:
    """A wait as hours, minutes and seconds, "3:05:09"; "" when there is none."""
    if seconds is None:
        return ""
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
