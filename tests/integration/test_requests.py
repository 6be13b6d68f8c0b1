"""Requests and approvals over a real SQLite file: a reader's request, the leaders' decisions
folder by folder, a visitor's letter checked again at every issue, and what the door and the desk
then do (`record_read`, the same path as every read). One scenario runs as processes: requests
made and approved with the `vault` command, read by `vault bridge` from pseudo-terminals."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests import databases
from tests.conftest import PASSWORD, SAMPLE_CSV, add_user, run_vault, wait_until, write_config
from vault.db.models import Alarm, CustodyEvent, Letter, Person, Request, Station, database
from vault.domain.approvals import Duty, Policy, Requirement
from vault.domain.model import Classification, Read, StationKind
from vault.services import accounts, audit, policy
from vault.services.clock import today, utcnow
from vault.services.custody import record_read
from vault.services.errors import VaultError
from vault.services.letters import LetterForm
from vault.services.register import import_file
from vault.services.request_status import request_detail, request_rows
from vault.services.requests import covering, create_request, decide_request, withdraw_request

AGRICULTURE = "WC-TJ-2002-0137"  # secret
INDUSTRY = "WC-TJ-2002-0138"  # confidential
CENSUS_1, CENSUS_2 = "WC-TJ-2003-0011", "WC-TJ-2003-0012"  # top secret
ECONOMY = "WC-TJ-2005-0033"  # secret
HOUSEHOLDS = "WC-TJ-2005-0034"  # confidential
VISITOR = "王五（县发改委）"


@pytest.fixture
def archive(db):
    import_file(SAMPLE_CSV)
    Station.create(id="door-1", kind="warehouse_door", port="/dev/null")
    Station.create(id="desk-1", kind="reading_desk", port="/dev/null")
    accounts.add_user("wu", "archivist", PASSWORD)
    for leader in ("li", "wang", "zhao"):
        accounts.add_user(leader, "leader", PASSWORD)


def letter(until_days: int = 10, covering_lines=("WC-TJ-2002",), seal: str = "wu") -> LetterForm:
    day = today()
    return LetterForm(
        "县发改委",
        "发改函〔2026〕3号",
        day - timedelta(days=30),
        day + timedelta(days=until_days),
        covering_lines,
        seal,
    )


def request(codes, reader="张华", days=5, form: LetterForm | None = None) -> int:
    day = today()
    return create_request(reader, codes, "核对数据", day, day + timedelta(days=days), "wu", form)


def read(station: str, code: str, reader: str | None = None, later_days: int = 0):
    kind = StationKind.WAREHOUSE_DOOR if station == "door-1" else StationKind.READING_DESK
    at = utcnow() + timedelta(days=later_days)
    return record_read(Read(station, kind, code, at, reader=reader), f"t-{uuid.uuid4()}")


def test_a_visitors_request_with_a_valid_letter_is_approved_and_issued(archive):
    request_id = request([AGRICULTURE], reader="王五", form=letter())
    stored = Request.get_by_id(request_id)
    assert stored.reader.name == VISITOR and stored.created_by == "wu"
    assert (stored.letter.seal_confirmed_by, stored.letter.covers) == ("wu", "WC-TJ-2002")
    assert request_detail(request_id)["status"] == "waiting"
    decide_request(request_id, "li", "同意在阅览室查阅", None)
    assert request_detail(request_id)["status"] == "approved"
    assert read("door-1", AGRICULTURE).alarm_ids == ()
    issued = read("desk-1", AGRICULTURE, reader=VISITOR)
    assert (issued.event_kind, issued.refusal) == ("issued", None)
    assert audit.verify().ok


def test_the_letter_is_checked_again_at_every_issue(archive):
    request_id = request([AGRICULTURE, ECONOMY], reader="王五", days=5, form=letter(until_days=1))
    decide_request(request_id, "li", "同意", None)
    ran_out = read("desk-1", AGRICULTURE, reader=VISITOR, later_days=3)
    end = today() + timedelta(days=1)
    assert ran_out.event_kind == "refused"
    assert ran_out.refusal == (
        f"request {request_id}: letter 发改函〔2026〕3号 of 县发改委 ran out on {end}"
    )
    uncovered = read("desk-1", ECONOMY, reader=VISITOR)
    assert uncovered.refusal == (
        f"request {request_id}: letter 发改函〔2026〕3号 of 县发改委 does not cover {ECONOMY}"
    )
    [line] = [f for f in request_detail(request_id)["folders"] if f.code == ECONOMY]
    assert line.status == "approved" and "does not cover" in line.letter_problem
    door = read("door-1", ECONOMY)
    [reason] = [a.reason for a in Alarm.select().where(Alarm.id.in_(door.alarm_ids))]
    assert "does not cover WC-TJ-2005-0033" in reason
    assert read("desk-1", AGRICULTURE, reader=VISITOR).event_kind == "issued"  # today it does
    assert audit.verify().ok


def test_a_top_secret_folder_needs_the_head_of_the_unit(archive):
    plain = request([CENSUS_1])
    decide_request(plain, "li", "同意", None)
    door = read("door-1", CENSUS_1)
    [alarm] = Alarm.select().where(Alarm.id.in_(door.alarm_ids))
    assert alarm.rule == "removed without approval"
    assert "needs approval by the head of the unit" in alarm.reason
    refused = read("desk-1", CENSUS_1, reader="张华")
    assert refused.refusal == (
        f"request {plain}: needs approval by the head of the unit "
        "(0 of 1 approvals recorded for this folder)"
    )
    policy.set_policy(Policy(heads=frozenset({"li"})))  # li is named the head of the unit
    headed = request([CENSUS_2])
    assert decide_request(headed, "li", "同意", None).duty == Duty.HEAD.value
    assert read("door-1", CENSUS_2).alarm_ids == ()
    assert read("desk-1", CENSUS_2, reader="张华").event_kind == "issued"
    assert audit.verify().ok


def test_configured_counts_need_different_leaders_and_a_refusal_blocks(archive):
    levels = dict(Policy().levels) | {Classification.CONFIDENTIAL: Requirement(2, Duty.LEADER)}
    policy.set_policy(Policy(levels=levels))
    request_id = request([INDUSTRY, HOUSEHOLDS])
    decide_request(request_id, "li", "同意", None)
    folder = Request.get_by_id(request_id).items[0].folder
    assert "(1 of 2 approvals recorded" in covering(folder, today()).problem
    with pytest.raises(VaultError, match="li has already decided on request"):
        decide_request(request_id, "li", "再次同意", [INDUSTRY])
    decide_request(request_id, "wang", "同意", [INDUSTRY])
    decide_request(request_id, "zhao", "不同意", [HOUSEHOLDS], approved=False)
    lines = {f.code: f for f in request_detail(request_id)["folders"]}
    assert (lines[INDUSTRY].status, lines[INDUSTRY].needs) == ("approved", None)
    assert (lines[HOUSEHOLDS].status, lines[HOUSEHOLDS].needs) == ("refused", "refused by zhao")
    assert request_detail(request_id)["status"] == "approved"
    assert read("desk-1", INDUSTRY, reader="张华").event_kind == "issued"
    blocked = read("desk-1", HOUSEHOLDS, reader="张华")
    assert blocked.refusal == f"request {request_id}: refused by zhao"
    assert audit.verify().ok


def test_an_approval_covers_the_folders_it_names_only(archive):
    request_id = request([AGRICULTURE, ECONOMY])
    decide_request(request_id, "li", "只同意农业普查资料", [AGRICULTURE])
    assert read("door-1", AGRICULTURE).alarm_ids == ()
    door = read("door-1", ECONOMY)
    [reason] = [a.reason for a in Alarm.select().where(Alarm.id.in_(door.alarm_ids))]
    assert "needs approval by a leader (0 of 1" in reason
    assert read("desk-1", ECONOMY, reader="张华").event_kind == "refused"
    assert request_detail(request_id)["status"] == "waiting"


def test_refused_requests_and_decisions_write_nothing(archive):
    with pytest.raises(VaultError, match="confirm the official seal"):
        request([AGRICULTURE], reader="王五", form=letter(seal=""))
    with pytest.raises(VaultError, match="not registered: WC-NO-1, WC-NO-2"):
        request([AGRICULTURE, "WC-NO-1", "WC-NO-2"])
    with pytest.raises(VaultError, match="ran out on"):
        request([AGRICULTURE], reader="王五", form=letter(until_days=-1))
    with pytest.raises(VaultError, match="ends before it starts"):
        request([AGRICULTURE], days=-1)
    with pytest.raises(VaultError, match="active archivist"):
        create_request("张华", [AGRICULTURE], "核对", today(), today(), "li")
    assert (Request.select().count(), Letter.select().count()) == (0, 0)
    assert not Person.select().where(Person.name == VISITOR).exists()
    request_id = request([AGRICULTURE])
    with pytest.raises(VaultError, match="active leader, not 'wu'"):
        decide_request(request_id, "wu", "同意", None)
    with pytest.raises(VaultError, match="written opinion"):
        decide_request(request_id, "li", "  ", None)
    with pytest.raises(VaultError, match=f"does not ask for {ECONOMY}"):
        decide_request(request_id, "li", "同意", [ECONOMY])
    with pytest.raises(VaultError, match="there is no request 999"):
        decide_request(999, "li", "同意", None)
    withdraw_request(request_id)
    with pytest.raises(VaultError, match="is withdrawn: it can no longer be decided"):
        decide_request(request_id, "li", "同意", None)
    assert read("desk-1", AGRICULTURE, reader="张华").refusal == (
        "no approved request covers this folder today"
    )
    assert audit.verify().ok


def test_each_status_and_the_list_open_first(archive):
    day = today()
    ended = create_request(
        "张华", [ECONOMY], "旧", day - timedelta(days=3), day - timedelta(1), "wu"
    )
    closed = request([AGRICULTURE])
    decide_request(closed, "li", "同意", None)
    read("door-1", AGRICULTURE)  # out, and back into the warehouse: the trip is over
    read("door-1", AGRICULTURE)
    withdrawn = request([INDUSTRY])
    withdraw_request(withdrawn)
    refused = request([HOUSEHOLDS])
    decide_request(refused, "wang", "不同意", None, approved=False)
    waiting = request([ECONOMY])
    approved = request([INDUSTRY])
    decide_request(approved, "wang", "同意", None)
    rows = request_rows()
    assert [(r["id"], r["status"]) for r in rows] == [
        (approved, "approved"),
        (waiting, "waiting"),
        (refused, "refused"),
        (withdrawn, "withdrawn"),
        (closed, "closed"),
        (ended, "ended"),
    ]
    assert [r["id"] for r in request_rows("refused")] == [refused]
    assert [r["id"] for r in request_rows(waiting_for="li")] == [waiting]
    decide_request(waiting, "li", "同意", None)
    assert request_rows(waiting_for="li") == []


def _database_rows(folder: Path, query) -> list:
    databases.open_archive(folder)
    try:
        return list(query())
    finally:
        database.close()


def test_requests_made_on_the_command_line_and_read_by_the_bridge(tmp_path, make_pty, processes):
    door, desk = make_pty(), make_pty()
    extra = 'approvals = { heads = ["zhao"], second_person = ["top_secret"] }'
    config = write_config(
        tmp_path,
        [
            {"id": "door-1", "kind": "warehouse_door", "port": door.path},
            {"id": "desk-1", "kind": "reading_desk", "port": desk.path},
        ],
        extra,
    )
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    add_user(config, "wu", "archivist")
    add_user(config, "zhao", "leader")
    start, until = str(today()), str(today() + timedelta(days=3))
    made = run_vault(
        config, "request", "add", AGRICULTURE, CENSUS_1, "--reader", "王五", "--purpose", "核对",
        "--from", start, "--until", until, "--by", "wu", "--visitor-unit", "县发改委",
        "--letter-number", "发改函3号", "--letter-date", start, "--letter-until", until,
        "--covers", "WC-TJ-2002", "人口", "--seal-confirmed-by", "wu",
    )  # fmt: skip
    assert made.stdout.startswith("request 1 recorded for 王五")
    no_seal = run_vault(
        config, "request", "add", AGRICULTURE, "--reader", "赵六", "--purpose", "核对",
        "--by", "wu", "--visitor-unit", "县统计局", "--letter-number", "1",
        "--letter-date", start, "--letter-until", until, "--covers", "WC-TJ", check=False,
    )  # fmt: skip
    assert no_seal.returncode == 2 and "confirm the official seal" in no_seal.stderr
    approved = run_vault(config, "request", "approve", "1", "--by", "zhao", "--opinion", "同意")
    assert "now approved" in approved.stdout
    shown = run_vault(config, "request", "show", "1").stdout
    assert "王五（县发改委）" in shown and "seal confirmed by wu" in shown
    assert "zhao (head) approved" in shown

    processes.start(config, "bridge")
    for sid in ("door-1", "desk-1"):
        wait_until(
            lambda s=sid: (
                _database_rows(tmp_path, lambda: [Station.get_by_id(s).status]) == ["connected"]
            ),
            what=f"{sid} open",
        )

    def events() -> list[tuple[str, str, str, str | None]]:
        query = CustodyEvent.select().order_by(CustodyEvent.id)
        return _database_rows(
            tmp_path, lambda: [(e.station_id, e.code, e.kind, e.witness) for e in query]
        )

    door.write(f"{AGRICULTURE}\r\n{CENSUS_1}\r\n".encode())
    wait_until(lambda: len(events()) == 2, what="both folders out of the warehouse")
    desk.write(f"{AGRICULTURE}\r\n{CENSUS_1}\r\n".encode())
    wait_until(lambda: len(events()) == 4, what="four events")
    assert sorted(events()) == [
        ("desk-1", AGRICULTURE, "issued", None),
        ("desk-1", CENSUS_1, "refused", None),  # a serial scan cannot carry a second person
        ("door-1", AGRICULTURE, "left_warehouse", None),
        ("door-1", CENSUS_1, "left_warehouse", None),
    ]
    assert _database_rows(tmp_path, lambda: Alarm.select()) == []
    listed = run_vault(config, "request", "list").stdout
    assert "approved" in listed and "1 request(s)" in listed
    assert "the record verifies" in run_vault(config, "audit", "verify").stdout


def test_a_read_after_the_requests_last_day_finds_no_request(archive):
    """The request is dated in the site's calendar; a read the next day is not covered."""
    request_id = request([AGRICULTURE], days=0)
    decide_request(request_id, "li", "同意", None)
    at = datetime.combine(today(), datetime.min.time()) + timedelta(days=1, hours=12)
    late = Read("desk-1", StationKind.READING_DESK, AGRICULTURE, at, reader="张华")
    assert "no approved request" in record_read(late, "late-1").refusal
