"""The archive's rules: what one read means.

`decide` takes a read, the folder it names (or None for a code nobody registered) and the
approved request that covers the folder now, and returns the decision: the custody event to
record, the folder's new state and holder, and the alarms to raise. It touches no storage; the
service layer (`vault.services.custody`) fetches the inputs and writes the outputs.

Rules from DESIGN.md implemented here:
  2. any read of a folder at the reading-room exit raises "left the reading room";
  4. a folder taken out of the warehouse without an approved request raises
     "removed without approval" (it is still recorded as out: the log says where things are,
     the rules say what is alarming).
  6. a read of a void label (one that a reprint replaced) is refused: the folder does not move;
     at a warehouse door or the reading-room exit it also raises "void label read".
  7. a read of a destroyed folder's label anywhere raises "destroyed folder read"; the desk
     refuses it (a destroyed folder is never issued again).
Custody through the desk: a desk read of a folder at the desk issues it to the approved reader;
the next desk read takes it back. A folder carried back into the warehouse while still issued
to a reader skipped the desk: it is recorded as back, and "returned without check-in" is raised.
A request that lacks an approval, or whose visitor's letter no longer covers the folder, covers
nothing: the door alarms and the desk refuses, saying what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vault.domain import labelcode
from vault.domain.model import (
    AlarmRule,
    ApprovalView,
    EventKind,
    FolderState,
    FolderView,
    Read,
    Severity,
    StationKind,
)


@dataclass(frozen=True)
class AlarmSpec:
    rule: AlarmRule
    severity: Severity
    reason: str  # why the rule fired, in words for the guard room


@dataclass(frozen=True)
class Decision:
    event: EventKind
    state: FolderState | None  # None: the folder is unknown or does not move
    holder: str | None = None
    alarms: tuple[AlarmSpec, ...] = field(default_factory=tuple)
    closes_approval: bool = False  # the approved trip is over: the folder is back on the shelf
    refusal: str | None = None  # why the desk refused, in words for the archivist


def decide(read: Read, folder: FolderView | None, approval: ApprovalView | None) -> Decision:
    """Apply the rules to one read."""
    if folder is None:
        return Decision(EventKind.UNKNOWN_CODE, None)
    if folder.state is FolderState.DESTROYED:
        return _destroyed(read, folder)
    problem = label_problem(read, folder)
    if problem is not None:
        return _void(read, folder, problem)
    match read.station_kind:
        case StationKind.READING_EXIT if read.inbound:
            # Coming back through the exit portal is no breach; the outward pass was alarmed.
            return Decision(EventKind.BACK_IN_READING_ROOM, FolderState.IN_READING_ROOM)
        case StationKind.READING_EXIT:
            return _exit(read, folder)
        case StationKind.WAREHOUSE_DOOR:
            return _door(read, folder, approval)
        case StationKind.READING_DESK:
            return _desk(read, folder, approval)
        case StationKind.LABEL_BENCH if not read.tag:
            return Decision(EventKind.SELECTED_FOR_TAG, None)
        case _:
            return Decision(EventKind.SEEN, folder.state, folder.holder)


def label_problem(read: Read, folder: FolderView) -> str | None:
    """Why the label read is not the folder's current label, or None when it is.

    Tag reads are not checked: the tag identifies the folder, not a print of its label."""
    if read.tag:
        return None
    generation = labelcode.parse(read.code).generation
    current = folder.label_generation
    if generation is None:
        return f"the label generation in {read.code!r} cannot be read"
    if generation < current:
        return f"label generation {generation} was voided when generation {current} was printed"
    if generation > max(current, 1):
        return f"label generation {generation} was never recorded as printed (current {current})"
    return None


def _void(read: Read, folder: FolderView, problem: str) -> Decision:
    if read.station_kind not in (StationKind.WAREHOUSE_DOOR, StationKind.READING_EXIT):
        return Decision(EventKind.VOID_LABEL, None, refusal=f"void label: {problem}")
    alarm = AlarmSpec(
        AlarmRule.VOID_LABEL,
        Severity.CRITICAL,
        f"void label read at {read.station_id}: {problem}; the current label is the only valid one",
    )
    return Decision(EventKind.VOID_LABEL, None, folder.holder, (alarm,))


def _destroyed(read: Read, folder: FolderView) -> Decision:
    alarm = AlarmSpec(
        AlarmRule.DESTROYED_READ,
        Severity.CRITICAL,
        f"read at {read.station_id}: this folder was destroyed; its label should not exist",
    )
    refusal = "destroyed: a destroyed folder is never issued again"
    return Decision(EventKind.DESTROYED_READ, None, alarms=(alarm,), refusal=refusal)


def _severity(folder: FolderView) -> Severity:
    return Severity.CRITICAL if folder.classification.is_classified else Severity.WARNING


def _exit(read: Read, folder: FolderView) -> Decision:
    who = f", last issued to {folder.holder}" if folder.holder else ""
    alarm = AlarmSpec(
        AlarmRule.LEFT_READING_ROOM,
        _severity(folder),
        f"read at the reading-room exit {read.station_id}{who}; folders are never taken out",
    )
    return Decision(EventKind.LEFT_READING_ROOM, FolderState.OUTSIDE, folder.holder, (alarm,))


def _door(read: Read, folder: FolderView, approval: ApprovalView | None) -> Decision:
    if folder.state is not FolderState.SHELVED:
        # Coming back in through the warehouse door ends the approved trip.
        alarms = ()
        if folder.state is FolderState.ISSUED:
            alarms = (
                AlarmSpec(
                    AlarmRule.BYPASSED_DESK,
                    Severity.WARNING,
                    f"read at {read.station_id} going into the warehouse while issued to "
                    f"{folder.holder}; it was never taken back at the desk",
                ),
            )
        return Decision(
            EventKind.RETURNED_TO_WAREHOUSE, FolderState.SHELVED, None, alarms, closes_approval=True
        )
    if approval is not None and approval.approved:
        return Decision(EventKind.LEFT_WAREHOUSE, FolderState.IN_READING_ROOM)
    return Decision(
        EventKind.LEFT_WAREHOUSE,
        FolderState.IN_READING_ROOM,
        alarms=(_unapproved(read, folder, approval),),
    )


def _desk(read: Read, folder: FolderView, approval: ApprovalView | None) -> Decision:
    if read.reader is not None:
        refused = _desk_refusal(read, folder, approval)
        if refused is not None:
            return refused
    if folder.state is FolderState.ISSUED:
        return Decision(EventKind.CHECKED_IN, FolderState.IN_READING_ROOM)
    approved = approval is not None and approval.approved
    alarms: tuple[AlarmSpec, ...] = ()
    if folder.state is FolderState.SHELVED and not approved:
        # It reached the desk without passing the door against a request.
        alarms = (_unapproved(read, folder, approval),)
    if not approved:
        return Decision(EventKind.CHECKED_IN, FolderState.IN_READING_ROOM, alarms=alarms)
    if approval.witness_problem:
        return Decision(EventKind.REFUSED, None, alarms=alarms, refusal=approval.witness_problem)
    return Decision(EventKind.ISSUED, FolderState.ISSUED, approval.reader, alarms)


def _desk_refusal(read: Read, folder: FolderView, approval: ApprovalView | None) -> Decision | None:
    """With a reader named at the desk, a folder goes only to the reader its request approves,
    and comes back only from the reader who holds it."""
    if folder.state is FolderState.ISSUED:
        if folder.holder == read.reader:
            return None
        why = f"issued to {folder.holder}, not {read.reader}: take it back from {folder.holder}"
        return Decision(EventKind.REFUSED, None, folder.holder, refusal=why)
    if approval is None:
        why = "no approved request covers this folder today"
        return Decision(EventKind.REFUSED, None, refusal=why)
    if not approval.approved:
        why = f"request {approval.request_id}: {approval.problem}"
        return Decision(EventKind.REFUSED, None, refusal=why)
    if approval.reader != read.reader:
        alarm = AlarmSpec(
            AlarmRule.WRONG_READER,
            _severity(folder),
            f"offered at {read.station_id} to {read.reader}; the request approves "
            f"{approval.reader} only",
        )
        why = f"approved for {approval.reader}, not {read.reader}"
        return Decision(EventKind.REFUSED, None, read.reader, (alarm,), refusal=why)
    if approval.witness_problem:
        return Decision(EventKind.REFUSED, None, refusal=approval.witness_problem)
    return None


def _unapproved(read: Read, folder: FolderView, approval: ApprovalView | None) -> AlarmSpec:
    why = f"read at {read.station_id} on its way out of the warehouse with no approved request"
    if approval is not None and approval.problem:
        why = (
            f"read at {read.station_id} on its way out of the warehouse; "
            f"request {approval.request_id}: {approval.problem}"
        )
    return AlarmSpec(AlarmRule.REMOVED_WITHOUT_APPROVAL, _severity(folder), why)
