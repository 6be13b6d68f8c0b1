"""A stocktake's reconciliation: what the shelves showed against what the register expected.

When a count opens, the register's folders in its scope are frozen as the expected list; the
handheld (or the desk) then reads shelf labels and folder labels. Each folder label read is a
sighting on the shelf read last before it. This module decides, folder by folder, what the
count found (DESIGN.md rule 6: every "three secrets" folder must be accounted for):

- found: seen on its home shelf, or seen with no shelf read before it;
- misplaced: seen, but only on other shelves — or a folder from outside the scope seen on a
  shelf of the scope (it belongs elsewhere);
- missing: on its shelf when the count opened, and not seen;
- issued: not on its shelf when the count opened (out with a reader, in the reading room…);
- unregistered: a code read on a shelf of the scope that names no folder of the register.

Everything here is plain values: the service (`vault.services.stocktake`) streams the expected
rows and the sightings, both in folder order, and `reconcile` merges them without holding them,
so a count of a whole warehouse is written out row by row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

SHELF_PREFIX = "LOC:"  # how a shelf label prints its location: "LOC:A-03-02"
SHELVED = "shelved"
CLASSIFIED = frozenset({"confidential", "secret", "top_secret"})
RANGE = ".."


class ScopeKind(StrEnum):
    ALL = "all"  # the whole warehouse
    ROOM = "room"  # every shelf whose location starts with the room's prefix, e.g. "A"
    SHELVES = "shelves"  # a range of shelves in string order, both ends included
    CLASSIFIED = "classified"  # every "three secrets" folder, wherever it is


class Category(StrEnum):
    """What the count says about one folder (or one code), in the order reports list them."""

    MISSING = "missing"
    MISPLACED = "misplaced"
    ISSUED = "issued at the time of the count"
    UNREGISTERED = "unregistered"
    FOUND = "found"


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    value: str = ""

    @classmethod
    def parse(cls, kind: str, value: str = "") -> Scope:
        """The scope as typed; ValueError with a sentence for the archivist when it is not."""
        try:
            scope_kind = ScopeKind(kind.strip())
        except ValueError:
            known = ", ".join(k.value for k in ScopeKind)
            raise ValueError(f"a stocktake's scope is one of {known}, not {kind!r}") from None
        value = value.strip().upper()
        if scope_kind is ScopeKind.ROOM and not value:
            raise ValueError("name the room to count, e.g. A")
        if scope_kind is ScopeKind.SHELVES:
            low, sep, high = (part.strip() for part in value.partition(RANGE))
            if not sep or not low or not high:
                raise ValueError("write the shelves to count as FIRST..LAST, e.g. A-01-01..A-03-09")
            if low > high:
                raise ValueError(f"the first shelf {low} comes after the last shelf {high}")
            value = f"{low}{RANGE}{high}"
        if scope_kind in (ScopeKind.ALL, ScopeKind.CLASSIFIED):
            value = ""
        return cls(scope_kind, value)

    @property
    def shelf_range(self) -> tuple[str, str]:
        """The first and last shelf of a range of shelves."""
        low, _, high = self.value.partition(RANGE)
        return low, high

    def covers_shelf(self, shelf: str) -> bool:
        """Whether a shelf is one this count counts ("" — no shelf read yet — counts as one).

        A classified count covers no shelf of its own: a public folder read during it is not
        part of it, wherever it stands."""
        if not shelf or self.kind is ScopeKind.ALL:
            return True
        if self.kind is ScopeKind.ROOM:
            return shelf == self.value or shelf.startswith(self.value + "-")
        if self.kind is ScopeKind.SHELVES:
            low, high = self.shelf_range
            return low <= shelf <= high
        return False

    def describe(self) -> str:
        match self.kind:
            case ScopeKind.ALL:
                return "the whole warehouse"
            case ScopeKind.ROOM:
                return f"room {self.value}"
            case ScopeKind.SHELVES:
                low, high = self.shelf_range
                return f"shelves {low} to {high}"
        return "every three secrets folder"


@dataclass(frozen=True)
class Expected:
    """A folder of the frozen list: as the register had it when the count opened."""

    folder_id: int
    code: str
    location: str  # its home shelf
    state: str
    holder: str = ""
    classification: str = "public"


@dataclass(frozen=True)
class Seen:
    """A registered folder read during the count, with every shelf it was read on."""

    folder_id: int
    code: str
    home: str  # its home shelf in the register now
    classification: str
    shelves: frozenset[str]  # "" when read before any shelf label
    state: str = SHELVED  # its state in the register now


@dataclass(frozen=True)
class Movement:
    """A custody event that moved the folder after the count opened, its time as shown."""

    kind: str  # an event kind, e.g. "left_warehouse"
    at: str  # e.g. "10:42"


@dataclass(frozen=True)
class Line:
    """One row of the reconciliation."""

    category: Category
    code: str
    home: str = ""
    found_on: tuple[str, ...] = ()
    state: str = ""
    holder: str = ""
    classification: str = ""
    note: str = ""
    explanation: str = ""  # why it is missing, as staff wrote it
    folder_id: int | None = None
    listed: bool = True  # on the frozen list (False: a stranger or an unregistered code)

    @property
    def classified(self) -> bool:
        return self.classification in CLASSIFIED


def shelf_code(text: str) -> str:
    """The location a read may name: "LOC:A-03-02" and "A-03-02" both name A-03-02 (whether
    such a shelf is registered is for the service to say)."""
    text = text.strip()
    if text[: len(SHELF_PREFIX)].upper() == SHELF_PREFIX:
        text = text[len(SHELF_PREFIX) :].strip()
    return text.upper()


def marks_shelf(code: str, shelf: str) -> bool:
    """Whether a stored scan is a shelf label read (it is stored as "LOC:" + the shelf)."""
    return bool(shelf) and code == SHELF_PREFIX + shelf


def classify(
    expected: Expected,
    shelves: Iterable[str] = (),
    moves: Sequence[Movement] = (),
    explanation: str = "",
) -> Line:
    """What the count says about one expected folder, given the shelves it was read on."""
    seen = frozenset(shelves)
    found_on = tuple(sorted(s for s in seen if s))
    category, note = _result(expected, seen, found_on, moves)
    return Line(
        category,
        expected.code,
        expected.location,
        found_on,
        expected.state,
        expected.holder,
        expected.classification,
        note,
        explanation,
        expected.folder_id,
    )


def _result(
    expected: Expected, seen: frozenset[str], found_on: tuple[str, ...], moves: Sequence[Movement]
) -> tuple[Category, str]:
    if expected.state != SHELVED:
        if found_on:
            return Category.ISSUED, f"also seen on {', '.join(found_on)}"
        return Category.ISSUED, "also seen during the count" if seen else ""
    if not seen:
        return Category.MISSING, moved(moves)
    if expected.location in seen or "" in seen:
        return Category.FOUND, ""
    return Category.MISPLACED, f"found on {', '.join(found_on)}"


def moved(moves: Sequence[Movement]) -> str:
    """ "left warehouse 10:42 after the count opened; …" — or "" when it did not move."""
    return "; ".join(f"{m.kind.replace('_', ' ')} {m.at} after the count opened" for m in moves[:3])


def stranger(seen: Seen, scope: Scope) -> Line | None:
    """A registered folder read during the count that the count did not expect: misplaced
    when read on a shelf of the scope (it belongs elsewhere), nothing otherwise."""
    here = tuple(sorted(s for s in seen.shelves if scope.covers_shelf(s)))
    if not here:
        return None
    note = f"belongs on {seen.home}, outside this count"
    if seen.state == "destroyed":
        note = "registered as destroyed"
    return Line(
        Category.MISPLACED,
        seen.code,
        home=seen.home,
        found_on=tuple(s for s in here if s),
        state=seen.state,
        classification=seen.classification,
        note=note,
        folder_id=seen.folder_id,
        listed=False,
    )


def reconcile(
    expected: Iterable[Expected],
    seen: Iterable[Seen],
    scope: Scope,
    moves: Mapping[int, Sequence[Movement]] | None = None,
    explanations: Mapping[int, str] | None = None,
    strangers: bool = True,
) -> Iterator[Line]:
    """Every expected folder's line, and (unless `strangers` is False) a line for every
    unexpected folder read on a shelf of the scope. Both inputs must come in folder-id order;
    neither is held in memory."""
    moves, explanations = moves or {}, explanations or {}
    sightings = iter(seen)
    sighting = next(sightings, None)
    for row in expected:
        while sighting is not None and sighting.folder_id < row.folder_id:
            extra = stranger(sighting, scope) if strangers else None
            if extra is not None:
                yield extra
            sighting = next(sightings, None)
        shelves: frozenset[str] = frozenset()
        if sighting is not None and sighting.folder_id == row.folder_id:
            shelves = sighting.shelves
            sighting = next(sightings, None)
        folder = row.folder_id
        yield classify(row, shelves, moves.get(folder, ()), explanations.get(folder, ""))
    while sighting is not None:
        extra = stranger(sighting, scope) if strangers else None
        if extra is not None:
            yield extra
        sighting = next(sightings, None)


def unregistered(reads: Iterable[tuple[str, str]], scope: Scope) -> Iterator[Line]:
    """Lines for codes that named no folder, from (code, shelf) reads; shelf labels and reads
    on shelves outside the scope are left out, each code once with every shelf it was on."""
    shelves: dict[str, set[str]] = {}
    for code, shelf in reads:
        if marks_shelf(code, shelf) or not scope.covers_shelf(shelf):
            continue
        shelves.setdefault(code, set()).add(shelf)
    for code, where in shelves.items():
        found_on = tuple(sorted(s for s in where if s))
        yield Line(Category.UNREGISTERED, code, found_on=found_on, listed=False)


def must_be_explained(line: Line, scope: Scope) -> bool:
    """A missing folder that stops the count from closing until staff say why (rule 6): every
    classified one, and in a count of the classified folders every one of them."""
    if line.category is not Category.MISSING or line.explanation:
        return False
    return line.classified or scope.kind is ScopeKind.CLASSIFIED


@dataclass
class Tally:
    """Counts per category and the first `keep` lines of each, from one pass over the lines
    (a page shows these; the files have every line)."""

    scope: Scope
    keep: int = 200
    counts: dict[Category, int] = field(default_factory=lambda: dict.fromkeys(Category, 0))
    lines: dict[Category, list[Line]] = field(default_factory=lambda: {c: [] for c in Category})
    unexplained: int = 0
    unexplained_codes: list[str] = field(default_factory=list)
    expected: int = 0  # lines of the frozen list (strangers and unknown codes are not)

    def add(self, line: Line) -> None:
        self.counts[line.category] += 1
        self.expected += line.listed
        kept = self.lines[line.category]
        if len(kept) < self.keep:
            kept.append(line)
        if must_be_explained(line, self.scope):
            self.unexplained += 1
            if len(self.unexplained_codes) < 10:
                self.unexplained_codes.append(line.code)

    def add_all(self, lines: Iterable[Line]) -> Tally:
        for line in lines:
            self.add(line)
        return self

    def close_refusal(self) -> str | None:
        """Why the count may not close yet, or None."""
        if not self.unexplained:
            return None
        codes = ", ".join(self.unexplained_codes)
        more = f" and {self.unexplained - 10} more" if self.unexplained > 10 else ""
        return (
            f"{self.unexplained} missing folder(s) must be explained before the count can "
            f"close: {codes}{more}"
        )
