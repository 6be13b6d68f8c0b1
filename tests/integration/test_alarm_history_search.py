"""A search of the alarm history looks through a bounded stretch of alarms per page and goes on
from where it stopped, so years of alarms cost a page what a month does; nothing is skipped."""

from __future__ import annotations

from datetime import datetime, timedelta

from vault.db.models import Alarm
from vault.services import alarms
from vault.services.alarms import HistoryQuery

START = datetime(2026, 11, 1, 8, 0)


def acknowledged(n: int, note: str) -> Alarm:
    at = START + timedelta(minutes=n)
    return Alarm.create(
        at=at, rule="left the reading room", severity="critical", reason="read at exit-1",
        code=f"F-{n:03d}", acknowledged_at=at, acknowledged_by="保卫科", acknowledged_note=note,
    )  # fmt: skip


def test_a_rare_word_is_found_pages_back_and_every_match_exactly_once(db, monkeypatch):
    monkeypatch.setattr(alarms, "SEARCH_WINDOW", 4)
    monkeypatch.setattr(alarms, "SEARCH_PER_PAGE", 8)
    monkeypatch.setattr(alarms, "EXPORT_WINDOW", 5)
    made = [acknowledged(n, "已追回" if n in (3, 17) else "误报") for n in range(1, 31)]
    query = HistoryQuery(text="追回")

    first = alarms.history_page(query, limit=5)
    assert first.rows == [] and first.searched_to == first.next_before == made[-1].id + 1 - 8
    pages, before = [first], first.next_before
    while before is not None:
        page = alarms.history_page(query, before, limit=5)
        pages.append(page)
        before = page.next_before
    found = [row["code"] for page in pages for row in page.rows]
    assert found == ["F-017", "F-003"]
    assert [row["code"] for row in alarms.history_all(query, batch=5)] == found
    # Without words the page is the newest `limit`, and the next starts after the last shown.
    plain = alarms.history_page(HistoryQuery(), limit=5)
    assert [r["code"] for r in plain.rows] == [f"F-{n:03d}" for n in range(30, 25, -1)]
    assert plain.next_before == plain.rows[-1]["id"] and plain.searched_to is None
    assert len(list(alarms.history_all(HistoryQuery(), batch=7))) == 30
