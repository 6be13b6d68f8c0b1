"""Reads recorded through the custody service into a real SQLite file."""

import os
import time
from datetime import date, datetime, timedelta

import pytest

from tests.conftest import SAMPLE_CSV
from vault.db.models import Alarm, CustodyEvent, Folder, RequestItem, Station
from vault.domain.model import Read, StationKind
from vault.services.alarms import acknowledge, open_alarms
from vault.services.custody import record_read
from vault.services.errors import VaultError
from vault.services.register import import_file
from vault.services.requests import approve_request

TODAY = date.today()
KINDS = {
    "door-1": StationKind.WAREHOUSE_DOOR,
    "desk-1": StationKind.READING_DESK,
    "exit-1": StationKind.READING_EXIT,
}


@pytest.fixture
def archive(db):
    import_file(SAMPLE_CSV)
    for sid, kind in KINDS.items():
        Station.create(id=sid, kind=kind.value, port=f"/dev/{sid}")
    return db


def scan(station: str, code: str, n: list[int] = [0]):  # noqa: B006 - a counter for event ids
    n[0] += 1
    read = Read(station, KINDS[station], code, datetime.now(), code.encode() + b"\r\n")
    return record_read(read, f"test-{n[0]}")


def test_the_legitimate_path_raises_no_alarm(archive):
    approve_request("王明", "李局长", "同意", ["WC-TJ-2004-0202"], TODAY, TODAY)
    kinds = [scan(s, "WC-TJ-2004-0202").event_kind for s in ("door-1", "desk-1", "desk-1")]
    assert kinds == ["left_warehouse", "issued", "checked_in"]
    assert scan("door-1", "WC-TJ-2004-0202").event_kind == "returned_to_warehouse"
    assert Alarm.select().count() == 0
    folder = Folder.get(Folder.code == "WC-TJ-2004-0202")
    assert (folder.state, folder.holder_id) == ("shelved", None)
    # The approved trip is over: the same request does not cover a second trip.
    assert RequestItem.get().closed_at is not None
    assert scan("door-1", "WC-TJ-2004-0202").alarm_ids


def test_a_folder_carried_out_of_the_reading_room_is_alarmed_with_its_holder(archive):
    approve_request("张华", "李局长", "同意", ["WC-TJ-2002-0137"], TODAY, TODAY)
    scan("door-1", "WC-TJ-2002-0137")
    assert scan("desk-1", "WC-TJ-2002-0137").event_kind == "issued"
    recorded = scan("exit-1", "WC-TJ-2002-0137")
    assert len(recorded.alarm_ids) == 1
    [alarm] = open_alarms()
    assert alarm["rule"] == "left the reading room"
    assert alarm["title"] == "2002年全县农业普查汇总表"
    assert (alarm["classification"], alarm["marking"]) == ("secret", "机密★ 30年")
    assert (alarm["station"], alarm["holder"], alarm["severity"]) == ("exit-1", "张华", "critical")
    assert Folder.get(Folder.code == "WC-TJ-2002-0137").state == "outside"


def test_an_expired_request_does_not_cover_the_folder(archive):
    old = date(2020, 1, 1)
    approve_request("张华", "李局长", "同意", ["WC-TJ-2002-0137"], old, old)
    assert scan("door-1", "WC-TJ-2002-0137").alarm_ids
    assert open_alarms()[0]["rule"] == "removed without approval"


def test_an_unknown_code_is_recorded_not_alarmed(archive):
    assert scan("exit-1", "NOT-REGISTERED").event_kind == "unknown_code"
    event = CustodyEvent.get(CustodyEvent.code == "NOT-REGISTERED")
    assert event.folder_id is None and event.raw == b"NOT-REGISTERED\r\n"
    assert Alarm.select().count() == 0


def test_the_same_read_recorded_twice_is_stored_once(archive):
    read = Read("exit-1", StationKind.READING_EXIT, "WC-TJ-2002-0137", datetime.now())
    first = record_read(read, "same-id")
    again = record_read(read, "same-id")
    assert again.duplicate and not first.duplicate
    assert CustodyEvent.select().count() == 1
    assert Alarm.select().count() == 1


def test_acknowledging_needs_a_note_and_keeps_the_alarm(archive):
    alarm_id = scan("exit-1", "WC-TJ-2002-0137").alarm_ids[0]
    with pytest.raises(VaultError, match="note"):
        acknowledge(alarm_id, "  ", by="guard")
    acknowledge(alarm_id, "追回，已归还阅览室", by="guard")
    assert open_alarms() == []
    stored = Alarm.get_by_id(alarm_id)
    assert stored.acknowledged_note == "追回，已归还阅览室"
    with pytest.raises(VaultError, match="already acknowledged"):
        acknowledge(alarm_id, "again", by="guard")


def test_approval_refuses_unknown_folders_and_missing_opinions(archive):
    with pytest.raises(VaultError, match="not registered: NOPE"):
        approve_request("张华", "李局长", "同意", ["NOPE"], TODAY, TODAY)
    with pytest.raises(VaultError, match="opinion"):
        approve_request("张华", "李局长", " ", ["WC-TJ-2002-0137"], TODAY, TODAY)


@pytest.fixture
def china_time():
    """The machine runs on the bureau's time zone, UTC+8."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_a_request_dated_today_covers_an_early_morning_read(archive, china_time):
    # 04:00 on 25 November in the reading room is still 24 November in UTC.
    approve_request(
        "张华", "李局长", "同意", ["WC-TJ-2002-0137"], date(2026, 11, 25), date(2026, 11, 25)
    )
    read = Read("door-1", StationKind.WAREHOUSE_DOOR, "WC-TJ-2002-0137", datetime(2026, 11, 24, 20))
    assert record_read(read, "early").alarm_ids == ()


def tag_read(station: str, kind: StationKind, epc: str, at: datetime) -> Read:
    return Read(station, kind, epc, at, bytes.fromhex(epc), tag=True)


def test_a_reprinted_label_voids_the_old_one_at_the_door(archive):
    Folder.update(label_generation=2).where(Folder.code == "WC-TJ-2002-0137").execute()
    recorded = scan("door-1", "WC-TJ-2002-0137+1")
    assert recorded.event_kind == "void_label"
    [alarm] = open_alarms()
    assert alarm["rule"] == "void label read" and alarm["severity"] == "critical"
    assert Folder.get(Folder.code == "WC-TJ-2002-0137").state == "shelved"
    assert scan("desk-1", "WC-TJ-2002-0137").event_kind == "void_label"  # bare = generation 1
    assert len(open_alarms()) == 1  # refused at the desk, not alarmed
    assert scan("door-1", "WC-TJ-2002-0137+2").event_kind == "left_warehouse"


def test_a_pre_encoded_tag_is_recorded_by_barcode_then_tag_at_the_bench(archive):
    Station.create(id="bench-1", kind="label_bench", port="/dev/bench-1")
    at = datetime.now()
    epc = "E2801160600002040B2C1A9F"
    barcode = Read("bench-1", StationKind.LABEL_BENCH, "WC-TJ-2002-0137", at)
    assert record_read(barcode, "bench-a").event_kind == "selected_for_tag"
    tag = tag_read("bench-1", StationKind.LABEL_BENCH, epc, at + timedelta(seconds=3))
    assert record_read(tag, "bench-b").event_kind == "tag_recorded"
    assert Folder.get(Folder.code == "WC-TJ-2002-0137").rfid_epc == epc
    # From now on the tag names the folder wherever it is read.
    exit_read = tag_read("exit-1", StationKind.READING_EXIT, epc.lower(), at)
    assert record_read(exit_read, "bench-c").event_kind == "left_reading_room"
    assert (open_alarms()[0]["code"], open_alarms()[0]["read"]) == ("WC-TJ-2002-0137", epc.lower())


def test_a_tag_read_long_after_the_barcode_is_not_paired(archive):
    Station.create(id="bench-1", kind="label_bench", port="/dev/bench-1")
    at = datetime.now()
    record_read(Read("bench-1", StationKind.LABEL_BENCH, "WC-TJ-2002-0137", at), "late-a")
    tag = tag_read("bench-1", StationKind.LABEL_BENCH, "AABBCCDDEE", at + timedelta(minutes=5))
    assert record_read(tag, "late-b").event_kind == "unknown_code"
    assert Folder.get(Folder.code == "WC-TJ-2002-0137").rfid_epc is None


def test_an_unregistered_tag_at_the_exit_is_recorded_not_alarmed(archive):
    tag = tag_read("exit-1", StationKind.READING_EXIT, "E2000000000000000000FFFF", datetime.now())
    assert record_read(tag, "stray").event_kind == "unknown_code"
    assert Alarm.select().count() == 0
