"""Closing time: the day's check names every folder that was out at closing time and who had it
last; it runs once however many processes try; the watch runs it by itself once closing time
has come; the CLI runs and summarises a day. Reads are recorded through `record_read` on a real
SQLite file, in a site zone (Asia/Shanghai) other than UTC."""

from __future__ import annotations

import threading
import time as wall
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests import databases
from tests.conftest import (
    SAMPLE_CSV,
    run_vault,
    wait_until,
    write_config,
)
from vault.config import Config
from vault.db.models import Alarm, ClosingRun, Station, database
from vault.domain import closing as rules
from vault.domain.model import AlarmRule, Read, StationKind
from vault.services import alarms, audit, clock, closing
from vault.services.closing_watch import ClosingWatch
from vault.services.custody import record_read
from vault.services.register import import_file
from vault.services.requests import approve_request

ZONE = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 3, 2)  # a Monday long past: the requests are dated then
DOOR, DESK, EXIT = StationKind.WAREHOUSE_DOOR, StationKind.READING_DESK, StationKind.READING_EXIT
STATION_IDS = {DOOR: "door-1", DESK: "desk-1", EXIT: "exit-1"}


def add_stations() -> None:
    for kind, station in STATION_IDS.items():
        Station.get_or_create(id=station, defaults={"kind": kind.value, "port": "/dev/null"})


def at(hhmm: str, day: date = DAY) -> datetime:
    return rules.local_moment(day, rules.clock_time(hhmm), ZONE)


def read(kind: StationKind, code: str, hhmm: str, reader: str | None = None, day: date = DAY):
    station = STATION_IDS[kind]
    when = at(hhmm, day)
    event_id = f"{station}-{code}-{day}-{hhmm}"
    return record_read(Read(station, kind, code, when, reader=reader), event_id)


@pytest.fixture
def shanghai():
    clock.set_zone(ZONE)
    yield
    clock.set_zone(None)


@pytest.fixture
def day_out(db, shanghai):
    """Folders out in every way at DAY's closing time (17:30 Shanghai), one back in time, one
    back only after closing, one first taken out after closing."""
    import_file(SAMPLE_CSV)
    add_stations()
    approve_request("张华", "李局长", "同意", ["WC-TJ-2002-0137"], DAY, DAY)
    approve_request("王明", "李局长", "同意", ["WC-TJ-2002-0138", "WC-TJ-2005-0033"], DAY, DAY)
    approve_request("李四", "李局长", "同意", ["WC-TJ-2004-0201", "WC-TJ-2004-0202"], DAY, DAY)
    read(DOOR, "WC-TJ-2002-0137", "09:00")
    read(DESK, "WC-TJ-2002-0137", "09:05", reader="张华")  # issued until closing
    read(DOOR, "WC-TJ-2002-0138", "09:10")
    read(DESK, "WC-TJ-2002-0138", "09:15", reader="王明")
    read(EXIT, "WC-TJ-2002-0138", "10:00")  # carried out of the reading room
    read(DOOR, "WC-TJ-2004-0201", "09:20")  # at the desk, never issued
    read(DOOR, "WC-TJ-2004-0202", "09:30")
    read(DOOR, "WC-TJ-2004-0202", "11:00")  # back on the shelf in time
    read(DOOR, "WC-TJ-2005-0033", "09:40")
    read(DOOR, "WC-TJ-2005-0033", "18:00")  # back, but only after closing
    read(DOOR, "WC-TJ-2005-0034", "18:10")  # first out after closing (and without approval)


def test_the_closing_check_names_every_folder_out_at_closing_and_who_had_it(day_out):
    done = closing.close_day(DAY, "17:30")
    assert done is not None and done.day == DAY and done.not_returned == 4
    found = {a.code: a for a in Alarm.select().where(Alarm.rule == AlarmRule.NOT_RETURNED.value)}
    assert sorted(found) == [
        "WC-TJ-2002-0137",
        "WC-TJ-2002-0138",
        "WC-TJ-2004-0201",
        "WC-TJ-2005-0033",
    ]
    said = "not back in the warehouse at closing time 17:30; "
    assert found["WC-TJ-2002-0137"].reason == said + "last held by 张华 (issued)"
    assert found["WC-TJ-2002-0138"].reason == said + "last held by 王明 (outside)"
    assert found["WC-TJ-2004-0201"].reason == said + "last read at door-1 (in the reading room)"
    assert found["WC-TJ-2005-0033"].reason == said + "last read at door-1 (in the reading room)"
    assert found["WC-TJ-2002-0137"].severity == "critical"  # secret
    assert found["WC-TJ-2004-0201"].severity == "warning"  # public
    for alarm in found.values():
        assert alarm.station_id is None and alarm.event_id is None
        assert alarm.folder.code == alarm.code
    run = ClosingRun.get_by_id(DAY)
    assert run.not_returned == 4 and all(a.at == run.ran_at for a in found.values())
    # The guard room sees them on the board: no station, the folder's title and marking.
    board = {a["code"]: a for a in alarms.open_alarms() if a["rule"] == AlarmRule.NOT_RETURNED}
    assert board["WC-TJ-2002-0137"]["station"] == ""
    assert board["WC-TJ-2002-0137"]["title"] == "2002年全县农业普查汇总表"
    assert board["WC-TJ-2002-0137"]["marking"] == "机密★ 30年"
    # Run again: the day is done, nothing more is written.
    entries = audit.head()[0]
    assert closing.close_day(DAY, "17:30") is None
    assert Alarm.select().where(Alarm.rule == AlarmRule.NOT_RETURNED.value).count() == 4
    assert audit.head()[0] == entries
    assert audit.verify().ok


def test_the_daily_summary_shows_holders_and_acknowledgements(day_out):
    empty = closing.summary(DAY)
    assert list(empty.rows) == [] and empty.lines == [f"No closing check was run on {DAY}."]
    closing.close_day(DAY, "17:30")
    first = Alarm.select().where(Alarm.code == "WC-TJ-2002-0137").get()
    alarms.acknowledge(first.id, "张华 returned it at 17:50", by="guard 1")
    report = closing.summary(DAY)
    rows = {row["code"]: row for row in report.rows}
    assert rows["WC-TJ-2002-0137"]["holder"] == "张华"
    assert rows["WC-TJ-2002-0137"]["acknowledged_by"] == "guard 1"
    assert rows["WC-TJ-2002-0138"]["holder"] == "王明"
    assert rows["WC-TJ-2004-0201"]["holder"] == "" and rows["WC-TJ-2004-0201"]["marking"] == "公开"
    assert report.footer == ["Not returned: 4", "Acknowledged: 1", "Still open: 3"]
    assert audit.verify().ok


def test_racing_processes_write_the_day_once(day_out, tmp_path):
    """Eight threads, each its own connection to the file (as the bridges and the web server
    each have their own), try the same day at once: one writes it, the others nothing."""
    start = threading.Barrier(8)
    results: list = []

    def attempt() -> None:
        databases.open_archive(tmp_path).connect(reuse_if_open=True)
        start.wait()
        results.append(closing.close_day(DAY, "17:30", ZONE))
        database.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8 and sum(r is not None for r in results) == 1
    assert Alarm.select().where(Alarm.rule == AlarmRule.NOT_RETURNED.value).count() == 4
    assert ClosingRun.select().count() == 1
    assert audit.verify().ok


def test_the_watch_runs_the_check_once_closing_time_has_come(day_out, tmp_path):
    later = DAY + timedelta(days=1)
    read(DOOR, "WC-TJ-2007-0007", "10:00", day=later)  # out without approval, still out
    config = Config(
        path=tmp_path / "vault.toml", database="", closing_time="17:30", timezone="Asia/Shanghai"
    )
    now = [at("17:29", later)]
    watch = ClosingWatch(config, threading.Event(), interval=0.02, now=lambda: now[0])
    assert watch.check() is None and not closing.has_run(later)  # not yet
    now[0] = at("17:30", later)
    done = watch.check()
    # Still out from the day before (0137, 0138, 0201, 0034), and 0007 taken out that day.
    assert done is not None and done.day == later and done.not_returned == 5
    assert watch.check() is None  # once a day
    # The thread: started after closing time, it catches the next day up at once.
    now[0] = at("23:00", later + timedelta(days=1))
    stop = threading.Event()
    thread = ClosingWatch(config, stop, interval=0.02, now=lambda: now[0])
    thread.start()
    wait_until(lambda: closing.has_run(later + timedelta(days=1)), what="the watch's check")
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert not closing.has_run(DAY)  # an earlier day is never run by the watch
    assert audit.verify().ok


def test_due_is_the_local_day_once_its_closing_time_has_come():
    # 09:29 UTC is 17:29 in Shanghai; 16:00 UTC is midnight there, the next day.
    assert rules.due(datetime(2026, 3, 2, 9, 29), "17:30", ZONE) is None
    assert rules.due(datetime(2026, 3, 2, 9, 30), "17:30", ZONE) == date(2026, 3, 2)
    assert rules.due(datetime(2026, 3, 2, 15, 59), "17:30", ZONE) == date(2026, 3, 2)
    assert rules.due(datetime(2026, 3, 2, 16, 0), "17:30", ZONE) is None
    assert rules.due(datetime(2026, 3, 2, 16, 0), "", ZONE) is None
    assert rules.day_bounds(date(2026, 3, 2), ZONE) == (
        datetime(2026, 3, 1, 16, 0),
        datetime(2026, 3, 2, 16, 0),
    )


def test_the_cli_runs_a_day_refuses_again_and_the_future_and_prints_the_summary(tmp_path):
    extra = 'closing_time = "17:30"\ntimezone = "Asia/Shanghai"'
    config = write_config(tmp_path, [], extra)
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    day = DAY.isoformat()
    run_vault(config, "approve", "WC-TJ-2002-0137", "--reader", "张华", "--leader", "李局长",
              "--opinion", "同意", "--from", day, "--until", day)  # fmt: skip
    databases.open_archive(tmp_path)
    clock.set_zone(ZONE)
    try:
        add_stations()
        read(DOOR, "WC-TJ-2002-0137", "09:00")
        read(DESK, "WC-TJ-2002-0137", "09:05", reader="张华")
    finally:
        clock.set_zone(None)
        database.close()
        database.initialize(None)
    ran = run_vault(config, "closing", "run", "--day", day)
    assert "1 folder(s) not returned" in ran.stdout and "last held by 张华 (issued)" in ran.stdout
    again = run_vault(config, "closing", "run", "--day", day, check=False)
    assert again.returncode == 2 and "has already run" in again.stderr
    future = (datetime.now(ZONE).date() + timedelta(days=1)).isoformat()
    ahead = run_vault(config, "closing", "run", "--day", future, check=False)
    assert ahead.returncode == 2 and "still to come" in ahead.stderr
    bad = run_vault(config, "closing", "run", "--day", "2026-13-01", check=False)
    assert bad.returncode == 2 and "is not a date" in bad.stderr
    text = run_vault(config, "closing", "summary", "--day", day).stdout
    assert "WC-TJ-2002-0137" in text and "张华" in text and "Not returned: 1" in text
    out = tmp_path / "closing.csv"
    run_vault(config, "closing", "summary", "--day", day, "--format", "csv", "--out", str(out))
    assert "张华" in out.read_text(encoding="utf-8-sig")
    assert "verifies" in run_vault(config, "audit", "verify").stdout


def minute_past_in(zone: ZoneInfo) -> str:
    """A closing time a minute or so ago today in `zone` (never yesterday's: just after
    midnight it is 00:00; in the last minute of a day, wait for the next)."""
    now = datetime.now(zone)
    if now.time() >= time(23, 59):
        wall.sleep(61 - now.second)
        now = datetime.now(zone)
    minutes = max(now.hour * 60 + now.minute - 1, 0)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def test_a_served_site_raises_the_alarms_by_itself_after_closing_time(tmp_path, processes):
    """`vault serve` started after today's closing time catches the day up on its own."""
    from tests.conftest import free_port

    zone = ZoneInfo("Asia/Shanghai")
    stations = [
        {"id": "door-1", "kind": "warehouse_door", "port": "/dev/null"},
        {"id": "desk-1", "kind": "reading_desk", "port": "/dev/null"},
    ]
    closing_time = minute_past_in(zone)
    config = write_config(
        tmp_path, stations, f'closing_time = "{closing_time}"\ntimezone = "Asia/Shanghai"'
    )
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    run_vault(config, "approve", "WC-TJ-2002-0137", "--reader", "张华", "--leader", "李局长",
              "--opinion", "同意")  # fmt: skip
    databases.open_archive(tmp_path)
    clock.set_zone(zone)
    try:
        add_stations()
        start = rules.local_moment(datetime.now(zone).date(), rules.clock_time(closing_time), zone)
        for n, (kind, reader) in enumerate(((DOOR, None), (DESK, "张华"))):
            when = start - timedelta(minutes=2 - n)  # both before closing
            record_read(Read(STATION_IDS[kind], kind, "WC-TJ-2002-0137", when, reader=reader),
                        f"served-{n}")  # fmt: skip
        processes.start(config, "serve", "--port", str(free_port()))
        found = wait_until(
            lambda: Alarm.select().where(Alarm.rule == AlarmRule.NOT_RETURNED.value).first(),
            timeout=40,
            what="the web server's closing check",
        )
        assert found.code == "WC-TJ-2002-0137" and "last held by 张华 (issued)" in found.reason
        assert ClosingRun.get_by_id(datetime.now(zone).date()).not_returned == 1
        assert audit.verify().ok
    finally:
        clock.set_zone(None)
        database.close()
        database.initialize(None)
