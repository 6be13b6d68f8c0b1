"""Plain values of the archive's world: classifications, zones, folder states, stations, reads.

These are the words of DESIGN.md, kept free of any storage or transport so the rules can be
read and tested on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Classification(StrEnum):
    """Security classification; the last three are the "three secrets" levels."""

    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"  # 秘密
    SECRET = "secret"  # 机密
    TOP_SECRET = "top_secret"  # 绝密

    @property
    def is_classified(self) -> bool:
        return self in (
            Classification.CONFIDENTIAL,
            Classification.SECRET,
            Classification.TOP_SECRET,
        )


# The bureau's own markings: the level followed by a star, then the retention period.
_MARKINGS = {
    Classification.PUBLIC: "公开",
    Classification.INTERNAL: "内部",
    Classification.CONFIDENTIAL: "秘密★",
    Classification.SECRET: "机密★",
    Classification.TOP_SECRET: "绝密★",
}


def marking(classification: Classification, retention: str) -> str:
    """The marking printed on a label and shown on screens, e.g. "机密★ 30年"."""
    text = _MARKINGS[classification]
    if classification.is_classified and retention:
        return f"{text} {retention}"
    return text


class StationKind(StrEnum):
    WAREHOUSE_DOOR = "warehouse_door"
    READING_DESK = "reading_desk"
    READING_EXIT = "reading_exit"
    HANDHELD = "handheld"
    # The labelling bench: a barcode read there names the folder whose pre-encoded tag is read
    # next, so tags that come from the factory with their own EPC can be recorded.
    LABEL_BENCH = "label_bench"
    # One of the two readers of a portal; its reads only tell the portal which way a tag went.
    PORTAL_READER = "portal_reader"


class FolderState(StrEnum):
    """Where a folder physically is, as far as the reads tell."""

    SHELVED = "shelved"  # in the warehouse
    IN_READING_ROOM = "in_reading_room"  # out of the warehouse, at the desk
    ISSUED = "issued"  # in the reading room, handed to a named reader
    OUTSIDE = "outside"  # carried out of the reading room
    DESTROYED = "destroyed"  # pulped in a confirmed destruction: never issued again


class EventKind(StrEnum):
    """What a custody event records."""

    LEFT_WAREHOUSE = "left_warehouse"
    RETURNED_TO_WAREHOUSE = "returned_to_warehouse"
    ISSUED = "issued"
    CHECKED_IN = "checked_in"
    LEFT_READING_ROOM = "left_reading_room"
    BACK_IN_READING_ROOM = "back_in_reading_room"  # carried back in through an exit portal
    SEEN = "seen"  # a handheld read during a count: no movement
    UNKNOWN_CODE = "unknown_code"
    VOID_LABEL = "void_label"  # a label that a reprint replaced: refused, the folder does not move
    REFUSED = "refused"  # the desk refused to issue or take back: the folder does not move
    SELECTED_FOR_TAG = "selected_for_tag"  # barcode read at the labelling bench
    TAG_RECORDED = "tag_recorded"  # a pre-encoded tag recorded against the selected folder
    DESTROYED = "destroyed"  # the folder was in a destruction batch confirmed as pulped
    DESTROYED_READ = "destroyed_read"  # a label of a destroyed folder was read


class AlarmRule(StrEnum):
    """Why an alarm was raised; the value is the wording security staff read."""

    LEFT_READING_ROOM = "left the reading room"
    REMOVED_WITHOUT_APPROVAL = "removed without approval"
    VOID_LABEL = "void label read"
    STATION_OFFLINE = "station offline"
    WRONG_READER = "issue to the wrong reader"
    NOT_RETURNED = "not returned at closing time"
    DESTROYED_READ = "destroyed folder read"
    BYPASSED_DESK = "returned without check-in at the desk"


class Severity(StrEnum):
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True)
class Read:
    """One code read at one station: what the bridge hands over for every scan."""

    station_id: str
    station_kind: StationKind
    code: str  # the barcode text as scanned, or the tag identity (hex) for an RFID read
    at: datetime
    raw: bytes = b""
    tag: bool = False  # an RFID read: the tag names the folder, no label generation to check
    inbound: bool = False  # a portal saw it pass inwards (back into the reading room)
    reader: str | None = None  # the reader the archivist named at the desk, if any
    staff: str | None = None  # the archivist signed in at the desk page, if any
    witness: str | None = None  # a second member of staff who confirmed the issue, if any


@dataclass(frozen=True)
class FolderView:
    """What the rules need to know about a registered folder at the moment of a read."""

    code: str
    classification: Classification
    state: FolderState
    holder: str | None = None  # reader the folder is issued to, if any
    label_generation: int = 0  # the current label's generation; 0 if none was ever recorded


@dataclass(frozen=True)
class ApprovalView:
    """The request that covers this folder now (valid today, not yet returned), with what it
    still lacks: `problem` says why the folder may not leave on it (approvals missing, the
    visitor's letter run out); `witness_problem` why an issue needs a second member of staff."""

    request_id: int
    reader: str
    problem: str | None = None
    witness_problem: str | None = None

    @property
    def approved(self) -> bool:
        return self.problem is None
