"""The folders due for appraisal: their retention period has run (`Folder.appraisal_on`, from
`vault.domain.retention`), and someone must decide to destroy them or keep them longer.

The list feeds destruction batches, so each row says what would keep the folder out of one: a
hold, a request still open, a batch it is already in. Folders whose retention period nobody
can read have no appraisal date and would never come up; they are listed apart, for someone to
correct, rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Iterator

from vault.db.models import Folder, database
from vault.domain.destruction import hold_problem
from vault.domain.model import Classification, FolderState, marking
from vault.domain.retention import PERMANENT, RetentionUnreadable, retention_years
from vault.services import destruction
from vault.services.clock import today
from vault.services.report import Report

PAGE = 100  # folders on one page of the list
COLUMNS = [
    ("code", "Folder"),
    ("title", "Title"),
    ("marking", "Classification"),
    ("retention", "Retention"),
    ("appraisal_on", "Due for appraisal"),
    ("blocked", "Held"),
    ("batch", "Destruction batch"),
]


def _due_query(after: str = ""):
    query = Folder.select().where(
        Folder.appraisal_on <= today(), Folder.state != FolderState.DESTROYED.value
    )
    if after:
        query = query.where(Folder.code > after)
    return query.order_by(Folder.code)


def _rows(folders: list[Folder]) -> list[dict]:
    known = destruction.facts(folders)
    batches = destruction.live_batches_of(known)
    return [
        {
            "code": f.code,
            "title": f.title,
            "marking": marking(Classification(f.classification), f.retention),
            "retention": f.retention,
            "appraisal_on": f.appraisal_on,
            "blocked": hold_problem(known[f.id]) or "",
            "batch": batches.get(f.id),
        }
        for f in folders
    ]


def due_page(after: str = "", size: int = PAGE) -> tuple[list[dict], str | None]:
    """One page of the due list, by code after `after`; and the code the next page starts
    after (None: this is the last page)."""
    folders = list(_due_query(after).limit(size + 1))
    more = len(folders) > size
    folders = folders[:size]
    return _rows(folders), (folders[-1].code if more and folders else None)


def due_count() -> int:
    """The due folders not destroyed: all those due (counted in the appraisal date's index,
    reading no folder) less the destroyed ones (by the state's index: a few thousand at most).
    Counting them in one query read every due folder: a quarter of the archive."""
    due = Folder.select().where(Folder.appraisal_on <= today()).count()
    gone = Folder.select().where(
        Folder.state == FolderState.DESTROYED.value, Folder.appraisal_on <= today()
    )
    return due - gone.count()


def due_rows() -> Iterator[dict]:
    """Every due folder, in code order, a page at a time (for the CSV and PDF files)."""
    after = ""
    while True:
        rows, after = due_page(after, 500)
        yield from rows
        if after is None:
            return


def due_report() -> Report:
    return Report(
        title="Folders due for appraisal",
        lines=[f"Due on or before {today()}"],
        columns=COLUMNS,
        rows=due_rows(),
        name=f"appraisal-due-{today()}",
    )


def unreadable() -> list[dict]:
    """Folders with a retention period written that is neither years nor a known word: they
    have no appraisal date until someone corrects it.

    An archive writes a handful of different periods, so those are found first, by seeking
    through the retention index from one to the next, and only the folders of an unreadable one
    are read (reading every folder without an appraisal date read a quarter of the archive)."""
    bad: dict[str, str] = {}
    for retention in _written_periods():
        if not retention or retention.strip().lower() in PERMANENT:
            continue
        try:
            retention_years(retention)
        except RetentionUnreadable as e:
            bad[retention] = str(e)
    if not bad:
        return []
    query = (
        Folder.select(Folder.code, Folder.title, Folder.retention)
        .where(Folder.appraisal_on.is_null(), Folder.retention.in_(sorted(bad)))
        .order_by(Folder.code)
    )
    return [
        {"code": code, "title": title, "retention": retention, "problem": bad[retention]}
        for code, title, retention in query.tuples().iterator()
    ]


def _written_periods() -> list[str]:
    """Every distinct retention period written, a seek in the index each (SQLite and
    PostgreSQL both run this recursive query)."""
    table = Folder._meta.table_name
    sql = (
        f"WITH RECURSIVE periods(value) AS (SELECT MIN(retention) FROM {table} "
        f"UNION ALL SELECT (SELECT MIN(retention) FROM {table} WHERE retention > value) "
        "FROM periods WHERE value IS NOT NULL) SELECT value FROM periods WHERE value IS NOT NULL"
    )
    return [value for (value,) in database.execute_sql(sql).fetchall()]
