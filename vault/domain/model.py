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


class FolderState(StrEnum):
    """Where a folder physically is, as far as the reads tell."""

    SHELVED = "shelved"  # in the warehouse
    IN_READING_ROOM = "in_reading_room"  # out of the warehouse, at the desk
    ISSUED = "issued"  # in the reading room, handed to a named reader
    OUTSIDE = "outside"  # carried out of the reading room


class EventKind(StrEnum):
    """What a custody event records."""

    LEFT_WAREHOUSE = "left_warehouse"
    RETURNED_TO_WAREHOUSE = "returned_to_warehouse"
    ISSUED = "issued"
    CHECKED_IN = "checked_in"
    LEFT_READING_ROOM = "left_reading_room"
    SEEN = "seen"  # a handheld read during a count: no movement
    UNKNOWN_CODE = "unknown_code"


class AlarmRule(StrEnum):
    """Why an alarm was raised; the value is the wording security staff read."""

    LEFT_READING_ROOM = "left the reading room"
    REMOVED_WITHOUT_APPROVAL = "removed without approval"


class Severity(StrEnum):
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True)
class Read:
    """One code read at one station: what the bridge hands over for every scan."""

    station_id: str
    station_kind: StationKind
    code: str
    at: datetime
    raw: bytes = b""


@dataclass(frozen=True)
class FolderView:
    """What the rules need to know about a registered folder at the moment of a read."""

    code: str
    classification: Classification
    state: FolderState
    holder: str | None = None  # reader the folder is issued to, if any


@dataclass(frozen=True)
class ApprovalView:
    """An approved request that covers this folder now (valid today, not yet returned)."""

    request_id: int
    reader: str
