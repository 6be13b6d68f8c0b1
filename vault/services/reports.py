"""Custody histories as reports (`vault.services.report.Report`): of a folder, of a person, of
a day. Each is the custody log read in time order, with the alarms and approvals beside the
events, so one table tells the whole story of what it covers.

The rows are generators over ordered queries, merged by time as they are read: a folder read
ten thousand times, or a busy day, is never held in memory. Times are the site's local time;
cells keep the services' identifiers (event kinds, states, rules), which `in_words` turns into
a language's words for the page, the files and the command line.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Callable, Iterable, Iterator
from datetime import date, time

from peewee import JOIN

from vault.db.models import (
    Alarm,
    Approval,
    ApprovalFolder,
    CustodyEvent,
    Folder,
    Person,
    Request,
    RequestItem,
)
from vault.domain import closing
from vault.domain.model import Classification, marking
from vault.services import clock
from vault.services.clock import shown, utcnow
from vault.services.errors import VaultError
from vault.services.report import Report

# Columns whose cells are fixed words (event kinds, states, rules, severities, levels) or an
# alarm's sentence: the pages and files show them in the reader's language.
TERM_KEYS = (
    "what",
    "rule",
    "state",
    "severity",
    "classification",
    "ended_by",
    "last_kind",
    "reason",
)
HISTORY = (
    ("at", "time"),
    ("what", "what"),
    ("code", "folder"),
    ("station", "station"),
    ("person", "holder or approver"),
    ("state", "state after"),
    ("staff", "archivist"),
    ("witness", "witness"),
    ("detail", "detail"),
)
FOLDER_HISTORY = tuple(c for c in HISTORY if c[0] != "code")


def produced() -> str:
    return f"Produced {shown(utcnow())}"


def folder_history(code: str) -> Report:
    """Every custody event of one folder, the alarms raised on it and the approvals naming it."""
    folder = Folder.get_or_none(Folder.code == code.strip())
    if folder is None:
        raise VaultError(f"not registered: {code.strip()}")
    level = Classification(folder.classification)
    events = _events(CustodyEvent.folder == folder.id)
    alarms = _alarms(Alarm.folder == folder.id)
    named = ApprovalFolder.select(ApprovalFolder.approval).where(ApprovalFolder.folder == folder.id)
    approvals = _approvals(Approval.id.in_(named))
    return Report(
        f"Custody history of folder {folder.code}",
        [f"{folder.code} {folder.title} {marking(level, folder.retention)}", produced()],
        FOLDER_HISTORY,
        _merged(events, alarms, approvals),
        name=f"history-{folder.code}",
    )


def person_history(name: str) -> Report:
    """Every event where the person held the folder, and the requests they made."""
    person = Person.get_or_none(Person.name == name.strip())
    if person is None:
        raise VaultError(f"no one named '{name.strip()}' is in the records")
    events = _events(CustodyEvent.person == person.id)
    requests = _requests(person)
    approvals = _approvals(Request.reader == person.id)
    return Report(
        f"Custody history of {person.name}",
        [produced()],
        HISTORY,
        _merged(events, requests, approvals),
        name=f"history-person-{person.id}",
    )


def day_history(day: date) -> Report:
    """Every custody event of a local day, and the alarms raised that day."""
    start, end = closing.day_bounds(day, clock.zone())
    events = _events((CustodyEvent.at >= start) & (CustodyEvent.at < end))
    alarms = _alarms((Alarm.at >= start) & (Alarm.at < end))
    return Report(
        f"Custody events of {day.isoformat()}",
        [produced()],
        HISTORY,
        _merged(events, alarms),
        name=f"history-{day.isoformat()}",
    )


def in_words(report: Report, words: Callable[[str], str]) -> Report:
    """The report with its fixed-word cells (TERM_KEYS) in a language's words."""

    def rows() -> Iterator[dict]:
        for row in report.rows:
            yield {k: words(v) if k in TERM_KEYS and v else v for k, v in row.items()}

    return dataclasses.replace(report, rows=rows())


def _merged(*streams: Iterable[dict]) -> Iterator[dict]:
    """Rows of several time-ordered streams in one time order (each row's "_at", stored)."""
    return heapq.merge(*streams, key=lambda row: row["_at"])


def _events(where) -> Iterator[dict]:
    query = (
        CustodyEvent.select(
            CustodyEvent.at,
            CustodyEvent.kind,
            CustodyEvent.code,
            CustodyEvent.station,
            Person.name,
            CustodyEvent.state_after,
            CustodyEvent.staff,
            CustodyEvent.witness,
        )
        .join(Person, JOIN.LEFT_OUTER, on=(CustodyEvent.person == Person.id))
        .where(where)
        .order_by(CustodyEvent.at, CustodyEvent.id)
        .tuples()
    )
    for at, kind, code, station, person, state, staff, witness in query.iterator():
        yield {
            "_at": at,
            "at": shown(at),
            "what": kind,
            "code": code,
            "station": station or "",
            "person": person or "",
            "state": state or "",
            "staff": staff or "",
            "witness": witness or "",
            "detail": "",
        }


def _alarms(where) -> Iterator[dict]:
    query = Alarm.select().where(where).order_by(Alarm.at, Alarm.id)
    for alarm in query.iterator():
        detail = f"{alarm.severity}: {alarm.reason}"
        if alarm.acknowledged_at:
            detail += (
                f"\n✓ {shown(alarm.acknowledged_at)} {alarm.acknowledged_by}: "
                f"{alarm.acknowledged_note}"
            )
        yield {
            "_at": alarm.at,
            "at": shown(alarm.at),
            "what": alarm.rule,
            "code": alarm.code,
            "station": alarm.station_id or "",
            "detail": detail,
        }


def _approvals(where) -> Iterator[dict]:
    """Approvals (and refusals) of requests, each with the folders it names."""
    query = (
        Approval.select(Approval, Request, Person)
        .join(Request)
        .join(Person, on=(Request.reader == Person.id))
        .where(where)
        .order_by(Approval.at, Approval.id)
    )
    for approval in query.iterator():
        codes = (
            Folder.select(Folder.code)
            .join(ApprovalFolder)
            .where(ApprovalFolder.approval == approval.id)
            .order_by(Folder.code)
        )
        request = approval.request
        yield {
            "_at": approval.at,
            "at": shown(approval.at),
            "what": "approval" if approval.approved else "refusal",
            "code": ", ".join(f.code for f in codes),
            "person": approval.approver,
            "detail": f"#{request.id} {request.reader.name}: {approval.opinion}",
        }


def _requests(person: Person) -> Iterator[dict]:
    query = Request.select().where(Request.reader == person.id).order_by(Request.id)
    rows = []
    for request in query:
        # Requests from before the archivist's record kept no time: their first valid day.
        at = request.created_at or closing.local_moment(request.valid_from, time(), clock.zone())
        codes = (
            Folder.select(Folder.code)
            .join(RequestItem)
            .where(RequestItem.request == request.id)
            .order_by(Folder.code)
        )
        span = f"{request.valid_from} – {request.valid_until}"
        withdrawn = f" ✗ {shown(request.withdrawn_at)}" if request.withdrawn_at else ""
        rows.append(
            {
                "_at": at,
                "at": shown(at),
                "what": "request",
                "code": ", ".join(f.code for f in codes),
                "staff": request.created_by,
                "detail": f"#{request.id} {span} {request.purpose}{withdrawn}".strip(),
            }
        )
    rows.sort(key=lambda row: row["_at"])  # a person's requests: a few hundred at most
    return iter(rows)


def parse_day(text: str) -> date:
    """A date as people write it in a form or on the command line, or a clear refusal."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise VaultError(f"'{text.strip()}' is not a date: write dates like 2024-05-31") from None
