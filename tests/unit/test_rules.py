"""The archive's rules on plain values: no database, no ports."""

from datetime import datetime

import pytest

from vault.domain.model import (
    AlarmRule,
    ApprovalView,
    Classification,
    EventKind,
    FolderState,
    FolderView,
    Read,
    Severity,
    StationKind,
)
from vault.domain.rules import decide

AT = datetime(2026, 11, 25, 10, 0)
APPROVAL = ApprovalView(request_id=7, reader="张华")


def read(kind: StationKind, code: str = "WC-TJ-2002-0137") -> Read:
    return Read(f"{kind.value}-1", kind, code, AT)


def folder(state: FolderState, level=Classification.SECRET, holder=None) -> FolderView:
    return FolderView("WC-TJ-2002-0137", level, state, holder)


LIVE_STATES = [s for s in FolderState if s is not FolderState.DESTROYED]


@pytest.mark.parametrize("state", LIVE_STATES)
def test_any_read_at_the_exit_raises_left_the_reading_room(state):
    decision = decide(read(StationKind.READING_EXIT), folder(state, holder="张华"), APPROVAL)
    assert [a.rule for a in decision.alarms] == [AlarmRule.LEFT_READING_ROOM]
    assert decision.state is FolderState.OUTSIDE
    assert "张华" in decision.alarms[0].reason


def test_leaving_the_warehouse_without_approval_is_alarmed_and_still_recorded_as_out():
    decision = decide(read(StationKind.WAREHOUSE_DOOR), folder(FolderState.SHELVED), None)
    assert [a.rule for a in decision.alarms] == [AlarmRule.REMOVED_WITHOUT_APPROVAL]
    assert decision.event is EventKind.LEFT_WAREHOUSE
    assert decision.state is FolderState.IN_READING_ROOM


def test_leaving_the_warehouse_with_approval_raises_nothing():
    decision = decide(read(StationKind.WAREHOUSE_DOOR), folder(FolderState.SHELVED), APPROVAL)
    assert decision.alarms == ()
    assert decision.state is FolderState.IN_READING_ROOM


def test_coming_back_through_the_door_shelves_the_folder_and_ends_the_approved_trip():
    decision = decide(
        read(StationKind.WAREHOUSE_DOOR), folder(FolderState.IN_READING_ROOM), APPROVAL
    )
    assert decision.event is EventKind.RETURNED_TO_WAREHOUSE
    assert decision.state is FolderState.SHELVED
    assert decision.closes_approval
    assert decision.alarms == ()


def test_desk_issues_to_the_approved_reader_then_takes_it_back():
    issued = decide(read(StationKind.READING_DESK), folder(FolderState.IN_READING_ROOM), APPROVAL)
    assert (issued.event, issued.state, issued.holder) == (
        EventKind.ISSUED,
        FolderState.ISSUED,
        "张华",
    )
    back = decide(
        read(StationKind.READING_DESK), folder(FolderState.ISSUED, holder="张华"), APPROVAL
    )
    assert (back.event, back.state, back.holder) == (
        EventKind.CHECKED_IN,
        FolderState.IN_READING_ROOM,
        None,
    )


def test_a_shelved_folder_reaching_the_desk_without_approval_is_alarmed():
    decision = decide(read(StationKind.READING_DESK), folder(FolderState.SHELVED), None)
    assert [a.rule for a in decision.alarms] == [AlarmRule.REMOVED_WITHOUT_APPROVAL]
    assert decision.holder is None


def test_unregistered_code_is_recorded_as_unknown_without_alarm():
    decision = decide(read(StationKind.READING_EXIT, "NOT-OURS"), None, None)
    assert decision.event is EventKind.UNKNOWN_CODE
    assert decision.alarms == ()
    assert decision.state is None


def test_handheld_read_moves_nothing():
    decision = decide(read(StationKind.HANDHELD), folder(FolderState.SHELVED), None)
    assert decision.event is EventKind.SEEN
    assert decision.state is FolderState.SHELVED
    assert decision.alarms == ()


@pytest.mark.parametrize(
    ("level", "severity"),
    [
        (Classification.PUBLIC, Severity.WARNING),
        (Classification.INTERNAL, Severity.WARNING),
        (Classification.CONFIDENTIAL, Severity.CRITICAL),
        (Classification.SECRET, Severity.CRITICAL),
        (Classification.TOP_SECRET, Severity.CRITICAL),
    ],
)
def test_three_secrets_folders_raise_critical_alarms(level, severity):
    decision = decide(read(StationKind.READING_EXIT), folder(FolderState.ISSUED, level), None)
    assert decision.alarms[0].severity is severity


def printed(generation: int, state=FolderState.SHELVED) -> FolderView:
    return FolderView("WC-TJ-2002-0137", Classification.SECRET, state, None, generation)


@pytest.mark.parametrize("kind", [StationKind.WAREHOUSE_DOOR, StationKind.READING_EXIT])
def test_a_void_label_at_a_door_is_alarmed_and_moves_nothing(kind):
    decision = decide(read(kind, "WC-TJ-2002-0137+1"), printed(2), APPROVAL)
    assert decision.event is EventKind.VOID_LABEL
    assert decision.state is None
    assert [a.rule for a in decision.alarms] == [AlarmRule.VOID_LABEL]
    assert "generation 1 was voided when generation 2" in decision.alarms[0].reason


def test_a_void_label_is_refused_at_the_desk_without_alarm():
    decision = decide(read(StationKind.READING_DESK, "WC-TJ-2002-0137"), printed(3), APPROVAL)
    assert (decision.event, decision.state, decision.alarms) == (EventKind.VOID_LABEL, None, ())


def test_the_current_label_is_accepted():
    decision = decide(read(StationKind.WAREHOUSE_DOOR, "WC-TJ-2002-0137+2"), printed(2), APPROVAL)
    assert decision.event is EventKind.LEFT_WAREHOUSE and decision.alarms == ()


def test_a_label_from_a_print_never_recorded_is_refused():
    decision = decide(read(StationKind.READING_DESK, "WC-TJ-2002-0137+5"), printed(2), APPROVAL)
    assert decision.event is EventKind.VOID_LABEL


def test_a_folder_never_printed_through_vault_accepts_its_bare_code():
    decision = decide(read(StationKind.READING_DESK, "WC-TJ-2002-0137"), printed(0), APPROVAL)
    assert decision.event is EventKind.ISSUED


def test_a_tag_read_has_no_generation_to_check():
    tag = Read("exit-1", StationKind.READING_EXIT, "3414257BF4000000000004D2", AT, tag=True)
    decision = decide(tag, printed(4, FolderState.ISSUED), APPROVAL)
    assert [a.rule for a in decision.alarms] == [AlarmRule.LEFT_READING_ROOM]


def test_a_folder_carried_back_in_through_the_exit_portal_is_not_alarmed():
    back = Read("gate-1", StationKind.READING_EXIT, "E2801160", AT, tag=True, inbound=True)
    decision = decide(back, folder(FolderState.OUTSIDE), APPROVAL)
    assert decision.event is EventKind.BACK_IN_READING_ROOM and decision.alarms == ()
    assert decision.state is FolderState.IN_READING_ROOM


def desk_read(reader: str | None, code: str = "WC-TJ-2002-0137") -> Read:
    return Read("desk-1", StationKind.READING_DESK, code, AT, reader=reader)


def test_the_desk_issues_to_the_named_reader_of_the_approved_request():
    decision = decide(desk_read("张华"), folder(FolderState.IN_READING_ROOM), APPROVAL)
    assert (decision.event, decision.holder, decision.refusal) == (EventKind.ISSUED, "张华", None)


def test_the_desk_refuses_and_alarms_an_issue_to_another_reader():
    decision = decide(desk_read("李四"), folder(FolderState.IN_READING_ROOM), APPROVAL)
    assert decision.event is EventKind.REFUSED and decision.state is None
    assert decision.refusal == "approved for 张华, not 李四"
    assert [a.rule for a in decision.alarms] == [AlarmRule.WRONG_READER]


def test_the_desk_refuses_a_folder_no_request_covers():
    decision = decide(desk_read("张华"), folder(FolderState.IN_READING_ROOM), None)
    assert decision.refusal == "no approved request covers this folder today"
    assert decision.alarms == ()


def test_a_folder_comes_back_only_from_its_holder():
    issued = folder(FolderState.ISSUED, holder="张华")
    assert decide(desk_read("张华"), issued, APPROVAL).event is EventKind.CHECKED_IN
    refused = decide(desk_read("李四"), issued, APPROVAL)
    assert refused.event is EventKind.REFUSED and "issued to 张华" in refused.refusal


def test_a_void_label_at_the_desk_says_why():
    decision = decide(desk_read("张华", "WC-TJ-2002-0137+1"), printed(2), APPROVAL)
    assert decision.refusal.startswith("void label: label generation 1 was voided")


@pytest.mark.parametrize("kind", list(StationKind))
def test_a_destroyed_folder_read_anywhere_is_alarmed_and_never_moves(kind):
    decision = decide(read(kind), folder(FolderState.DESTROYED), APPROVAL)
    assert [a.rule for a in decision.alarms] == [AlarmRule.DESTROYED_READ]
    assert decision.alarms[0].severity is Severity.CRITICAL
    assert decision.state is None
    assert decision.event is EventKind.DESTROYED_READ


def test_the_desk_refuses_a_destroyed_folder_even_for_its_approved_reader():
    desk = Read("desk-1", StationKind.READING_DESK, "WC-TJ-2002-0137", AT, reader="张华")
    decision = decide(desk, folder(FolderState.DESTROYED), APPROVAL)
    assert decision.refusal and "destroyed" in decision.refusal
    assert decision.state is None


def test_a_folder_carried_into_the_warehouse_while_issued_bypassed_the_desk():
    decision = decide(
        read(StationKind.WAREHOUSE_DOOR), folder(FolderState.ISSUED, holder="张华"), APPROVAL
    )
    assert decision.state is FolderState.SHELVED
    assert [a.rule for a in decision.alarms] == [AlarmRule.BYPASSED_DESK]
    assert "张华" in decision.alarms[0].reason


def test_a_request_lacking_an_approval_covers_nothing():
    lacking = ApprovalView(7, "张华", problem="needs approval by the head of the unit")
    out = decide(read(StationKind.WAREHOUSE_DOOR), folder(FolderState.SHELVED), lacking)
    assert [a.rule for a in out.alarms] == [AlarmRule.REMOVED_WITHOUT_APPROVAL]
    assert "request 7: needs approval by the head of the unit" in out.alarms[0].reason
    desk = Read("desk-1", StationKind.READING_DESK, "WC-TJ-2002-0137", AT, reader="张华")
    refused = decide(desk, folder(FolderState.IN_READING_ROOM), lacking)
    assert refused.event is EventKind.REFUSED
    assert refused.refusal == "request 7: needs approval by the head of the unit"


def test_an_issue_needing_a_second_person_is_refused_without_one():
    needs = ApprovalView(7, "张华", witness_problem="a second member of staff must confirm")
    desk = Read("desk-1", StationKind.READING_DESK, "WC-TJ-2002-0137", AT, reader="张华")
    refused = decide(desk, folder(FolderState.IN_READING_ROOM), needs)
    assert refused.event is EventKind.REFUSED and refused.state is None
    serial = Read("desk-1", StationKind.READING_DESK, "WC-TJ-2002-0137", AT)
    assert decide(serial, folder(FolderState.IN_READING_ROOM), needs).event is EventKind.REFUSED
