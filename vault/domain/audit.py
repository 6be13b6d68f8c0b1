"""The tamper-evident record: entries chained by hashes, and how a chain is checked.

Each entry holds a canonical text of what it records and the hash of the entry before it; its own
hash covers both and its number. Changing an entry changes its hash; removing one leaves a gap
in the numbers or a broken link; inserting one breaks the next entry's link. Writing the head
hash into a paper ledger each day lets anyone check later that the record up to that day is the
one that was written then.

Pure: the storage walks its rows through `ChainCheck` one entry at a time, in order.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

GENESIS = "0" * 64  # the link of the first entry


def canonical(kind: str, payload: dict) -> str:
    """One text for one record: keys sorted, no spaces, Chinese kept as it is."""
    return json.dumps(
        {"kind": kind, "record": payload}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def entry_hash(seq: int, prev_hash: str, body: str) -> str:
    return hashlib.sha256(f"{seq}|{prev_hash}|{body}".encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    seq: int
    body: str
    prev_hash: str
    hash: str


class ChainCheck:
    """Feed entries in order; the first problem found is kept in `problem`."""

    def __init__(self) -> None:
        self.last_seq = 0
        self.last_hash = GENESIS
        self.problem: str | None = None
        self.count = 0

    def feed(self, entry: Entry) -> bool:
        """False once a problem is found (the rest of the chain proves nothing more)."""
        if self.problem is not None:
            return False
        self.problem = self._check(entry)
        if self.problem is None:
            self.last_seq, self.last_hash = entry.seq, entry.hash
            self.count += 1
        return self.problem is None

    def _check(self, entry: Entry) -> str | None:
        expected = self.last_seq + 1
        if entry.seq > expected:
            gone = f"{expected}" if entry.seq == expected + 1 else f"{expected}–{entry.seq - 1}"
            return f"entry {gone} was removed (the next entry is {entry.seq})"
        if entry.seq < expected:
            return f"entry {entry.seq} appears twice or out of order"
        if entry.prev_hash != self.last_hash:
            return f"entry {entry.seq} does not follow entry {self.last_seq}: one was inserted"
        if entry_hash(entry.seq, entry.prev_hash, entry.body) != entry.hash:
            return f"entry {entry.seq} was changed"
        return None
