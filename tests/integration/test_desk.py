"""The desk: scans issue folders to the named reader and take them back, on a real SQLite file."""

from datetime import date

import pytest

from tests.conftest import SAMPLE_CSV
from vault.db.models import Alarm, CustodyEvent, Folder, Station
from vault.services import desk
from vault.services.errors import VaultError
from vault.services.register import import_file
from vault.services.requests import approve_request

TODAY = date.today()


@pytest.fixture
def archive(db):
    import_file(SAMPLE_CSV)
    Station.create(id="desk-1", kind="reading_desk", port="/dev/desk-1")
    Station.create(id="door-1", kind="warehouse_door", port="/dev/door-1")
    approve_request("张华", "李局长", "同意", ["WC-TJ-2002-0137"], TODAY, TODAY)
    Folder.update(state="in_reading_room").where(Folder.code == "WC-TJ-2002-0137").execute()
    return db


def test_issue_to_the_approved_reader_then_take_it_back(archive):
    issued = desk.scan("desk-1", "WC-TJ-2002-0137", "张华")
    assert (issued.accepted, issued.event, issued.holder) == (True, "issued", "张华")
    assert issued.message == "issued to 张华" and issued.marking == "机密★ 30年"
    back = desk.scan("desk-1", "WC-TJ-2002-0137", "张华")
    assert (back.accepted, back.event, back.state) == (True, "checked_in", "in_reading_room")


def test_offering_a_folder_to_another_reader_is_refused_and_alarmed(archive):
    answer = desk.scan("desk-1", "WC-TJ-2002-0137", "李四")
    assert not answer.accepted and answer.message == "approved for 张华, not 李四"
    assert Folder.get(Folder.code == "WC-TJ-2002-0137").state == "in_reading_room"
    assert Alarm.get().rule == "issue to the wrong reader"
    assert CustodyEvent.get().kind == "refused"


def test_an_unknown_code_and_an_empty_scan(archive):
    assert desk.scan("desk-1", "NOPE-1", "张华").message == "not in the register"
    with pytest.raises(VaultError, match="nothing was scanned"):
        desk.scan("desk-1", "  ", "张华")
    with pytest.raises(VaultError, match="not a reading-room desk"):
        desk.scan("door-1", "WC-TJ-2002-0137", "张华")
