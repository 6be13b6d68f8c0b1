"""A recorded table's rows read back fast and matched against the entries that record them.

Rows are read as plain tuples a page at a time (keyset pages: bounded memory on SQLite and
PostgreSQL alike, no server-side cursor needed). For the big tables (custody events, alarms,
approvals) each row's canonical text is built straight from its columns, key by key in sorted
order, with the same string escaping `json.dumps` uses: about a microsecond, against five for a
model instance and a dict. Whenever that text differs from the entry, the row is checked again
the exact way, through its model and `vault.services.audit`'s record builder, and only that check
can call it changed; so the fast text can only save time, never decide.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from json.encoder import encode_basestring as _text  # json.dumps's escaping, ensure_ascii=False

from vault.db.models import database
from vault.domain.audit import canonical
from vault.services import audit

PAGE = 50_000  # rows a query fetches: a few MB, and the per-query cost lost in the rows


def pages(
    table: str,
    columns: tuple[str, ...],
    keys: int = 1,
    start: tuple | None = None,
    stop: int | None = None,
) -> Iterator[tuple]:
    """The rows of `table` in the order of its first `keys` columns (unique together), from the
    key `start` on and up to `stop` (of the first column) if given, a page at a time."""
    p, order = database.param, ", ".join(columns[:keys])
    marks = ", ".join([p] * keys)  # a row value when keys > 1: SQLite 3.15+, PostgreSQL
    select = f"SELECT {', '.join(columns)} FROM {table} WHERE "
    upto, upto_params = (f" AND {columns[0]} <= {p}", (stop,)) if stop is not None else ("", ())
    by = f" ORDER BY {order} LIMIT {PAGE}"
    first, params = ("1 = 1", ()) if start is None else (f"({order}) >= ({marks})", start)
    rows = database.execute_sql(select + first + upto + by, (*params, *upto_params)).fetchall()
    while rows:
        yield from rows
        if len(rows) < PAGE:
            return
        after = f"({order}) > ({marks})"
        params = (*rows[-1][:keys], *upto_params)
        rows = database.execute_sql(select + after + upto + by, params).fetchall()


def _null(value) -> str:
    return "null" if value is None else _text(value)


def _number(value) -> str:
    return "null" if value is None else str(value)


def _time(value) -> str:
    """A stored time as `audit._when` writes it: SQLite hands back the text peewee stored."""
    return _text(value if value.__class__ is str else value.isoformat(sep=" "))


EVENT_COLUMNS = ("id", "event_id", "at", "station_id", "code", "folder_id", "kind", "person_id",
                 "state_after", "raw", "staff", "witness")  # fmt: skip


def _event_text(row: tuple) -> str:
    """`canonical(EVENT, audit.event_record(e))` from the row's columns."""
    id_, event_id, at, station, code, folder, kind, person, state_after, raw, staff, witness = row
    staff = f',"staff":{_text(staff)}' if staff else ""
    witness = f',"witness":{_text(witness)}' if witness else ""
    return (
        f'{{"kind":"{audit.EVENT}","record":{{"at":{_time(at)},"code":{_text(code)},'
        f'"event_id":{_text(event_id)},"folder":{_number(folder)},"id":{id_},'
        f'"kind":{_text(kind)},"person":{_number(person)},"raw":"{bytes(raw or b"").hex()}"'
        f'{staff},"state_after":{_null(state_after)},"station":{_null(station)}{witness}}}}}'
    )


ALARM_COLUMNS = ("id", "at", "rule", "severity", "reason", "code", "folder_id", "station_id",
                 "event_id")  # fmt: skip


def _alarm_text(row: tuple) -> str:
    id_, at, rule, severity, reason, code, folder, station, event = row
    return (
        f'{{"kind":"{audit.ALARM}","record":{{"at":{_time(at)},"code":{_text(code)},'
        f'"event":{_number(event)},"folder":{_number(folder)},"id":{id_},'
        f'"reason":{_text(reason)},"rule":{_text(rule)},"severity":{_text(severity)},'
        f'"station":{_null(station)}}}}}'
    )


APPROVAL_COLUMNS = ("id", "request_id", "approver", "duty", "approved", "opinion", "at")
_BOOLEAN = {True: "true", False: "false"}  # 1 and 0, as SQLite stores them, are the same keys


class _ApprovalTexts:
    """Approvals with the folders each names, read beside them in the same order."""

    def __init__(self) -> None:
        self.links = pages("approval_folder", ("approval_id", "folder_id"), keys=2)
        self.link = next(self.links, None)

    def folders(self, approval: int) -> str:
        while self.link is not None and self.link[0] < approval:
            self.link = next(self.links, None)
        named = []
        while self.link is not None and self.link[0] == approval:
            named.append(str(self.link[1]))
            self.link = next(self.links, None)
        return ",".join(named)

    def __call__(self, row: tuple) -> str:
        id_, request, approver, duty, approved, opinion, at = row
        return (
            f'{{"kind":"{audit.APPROVAL}","record":{{"approved":{_BOOLEAN[approved]},'
            f'"approver":{_text(approver)},"at":{_time(at)},"duty":{_text(duty)},'
            f'"folders":[{self.folders(id_)}],"id":{id_},"opinion":{_text(opinion)},'
            f'"request":{request}}}}}'
        )


def _fast(kind: str) -> tuple[tuple[str, ...], Callable[[tuple], str] | None]:
    """The columns to read of a recorded table, and its fast text if it has one."""
    if kind == audit.EVENT:
        return EVENT_COLUMNS, _event_text
    if kind == audit.ALARM:
        return ALARM_COLUMNS, _alarm_text
    if kind == audit.APPROVAL:
        return APPROVAL_COLUMNS, _ApprovalTexts()
    return ("id",), None  # a few rows a day at most: the exact way each time


class Rows:
    """A recorded table's rows in id order, matched one by one against their entries. The rows
    are read from the first one an entry names (`first`) on; `last` is the last one matched."""

    def __init__(self, table: audit.Recorded) -> None:
        self.table = table
        self.columns, self.text = _fast(table.kind)
        self.rows: Iterator[tuple] | None = None
        self.pending: tuple | None = None
        self.first: int | None = None
        self.last: int | None = None

    def match(self, ref: int, body: str) -> str | None:
        row = self.pending
        if row is None or row[0] != ref:  # not the row expected next (or none read yet)
            if self.rows is None:
                self.rows = pages(self.table.model._meta.table_name, self.columns, start=(ref,))
                self.pending, self.first = next(self.rows, None), ref
                return self.match(ref, body)
            if row is not None and row[0] < ref:
                return f"{self.table.name} {row[0]} is not in the record: it was inserted"
            return f"{self.table.name} {ref} was removed"
        self.pending, self.last = next(self.rows, None), ref
        text = self.text
        if text is not None:
            try:
                if text(row) == body:
                    return None
            except (TypeError, AttributeError, KeyError, ValueError):
                pass  # a value of an unexpected type: the exact check decides
        return None if self._exact(ref) == body else f"{self.table.name} {ref} was changed"

    def _exact(self, ref: int) -> str | None:
        model = self.table.model
        try:
            return canonical(self.table.kind, self.table.record(model.get_by_id(ref)))
        except Exception:  # noqa: BLE001 - a value the model cannot read is a changed row
            return None
