"""The stocktake's reconciliation with plain values: what the count says about each folder."""

from __future__ import annotations

import pytest

from vault.domain.stocktake import (
    Category,
    Expected,
    Movement,
    Scope,
    ScopeKind,
    Seen,
    Tally,
    classify,
    marks_shelf,
    must_be_explained,
    reconcile,
    shelf_code,
    unregistered,
)

ROOM_A = Scope(ScopeKind.ROOM, "A")


def shelved(folder_id: int, code: str, home: str, classification: str = "public") -> Expected:
    return Expected(folder_id, code, home, "shelved", "", classification)


def seen(folder_id: int, code: str, home: str, *shelves: str, **kw: str) -> Seen:
    return Seen(folder_id, code, home, kw.get("classification", "public"), frozenset(shelves))


def test_seen_on_its_own_shelf_or_with_no_shelf_read_is_found():
    folder = shelved(1, "F-1", "A-01-01")
    assert classify(folder, {"A-01-01"}).category is Category.FOUND
    assert classify(folder, {""}).category is Category.FOUND
    assert classify(folder, {"A-02-02", "A-01-01"}).category is Category.FOUND


def test_seen_only_elsewhere_is_misplaced_with_the_shelves_it_was_on():
    line = classify(shelved(1, "F-1", "A-01-01"), {"A-02-02", "A-03-01"})
    assert line.category is Category.MISPLACED
    assert line.found_on == ("A-02-02", "A-03-01")
    assert line.note == "found on A-02-02, A-03-01"


def test_not_seen_is_missing_and_says_how_it_moved_after_the_count_opened():
    folder = shelved(1, "F-1", "A-01-01", "secret")
    line = classify(folder, (), [Movement("left_warehouse", "10:42")])
    assert line.category is Category.MISSING
    assert line.note == "left warehouse 10:42 after the count opened"
    assert classify(folder).note == ""


def test_a_folder_out_when_the_count_opened_is_issued_at_the_time_and_seen_is_noted():
    folder = Expected(1, "F-1", "A-01-01", "issued", "张华", "secret")
    line = classify(folder)
    assert (line.category, line.holder, line.note) == (Category.ISSUED, "张华", "")
    assert classify(folder, {"A-01-01"}).note == "also seen on A-01-01"
    assert classify(folder, {""}).note == "also seen during the count"


def test_reconcile_merges_in_folder_order_and_lists_strangers_on_shelves_of_the_scope():
    expected = [
        shelved(1, "F-1", "A-01-01"),
        shelved(3, "F-3", "A-01-02"),
        shelved(5, "F-5", "A-02"),
    ]
    sightings = [
        seen(1, "F-1", "A-01-01", "A-01-01"),
        seen(2, "F-2", "B-01-01", "A-01-02"),  # from room B, on a shelf of room A
        seen(4, "F-4", "B-01-02", "B-01-02"),  # read on room B's shelf: not this count's
        seen(5, "F-5", "A-02", "A-01-02"),
        seen(9, "F-9", "C-01-01", ""),  # no shelf read yet: counts as here
    ]
    got = [
        (line.code, line.category, line.listed) for line in reconcile(expected, sightings, ROOM_A)
    ]
    assert got == [
        ("F-1", Category.FOUND, True),
        ("F-2", Category.MISPLACED, False),
        ("F-3", Category.MISSING, True),
        ("F-5", Category.MISPLACED, True),
        ("F-9", Category.MISPLACED, False),
    ]
    stranger = list(reconcile([], sightings[1:2], ROOM_A))[0]
    assert (stranger.home, stranger.found_on) == ("B-01-01", ("A-01-02",))
    assert stranger.note == "belongs on B-01-01, outside this count"


def test_unregistered_codes_once_each_leaving_out_shelf_labels_and_other_rooms():
    reads = [
        ("LOC:A-01-01", "A-01-01"),
        ("X-1", "A-01-01"),
        ("X-1", "A-01-02"),
        ("X-2", "B-01-01"),
        ("X-3", ""),
    ]
    got = [(line.code, line.found_on) for line in unregistered(reads, ROOM_A)]
    assert got == [("X-1", ("A-01-01", "A-01-02")), ("X-3", ())]


@pytest.mark.parametrize(
    ("kind", "value", "shelf", "covered"),
    [
        ("room", "a", "A-03-02", True),
        ("room", "A", "AB-01-01", False),
        ("room", "A-03", "A-03-09", True),
        ("shelves", "A-01-01..A-03-09", "A-03-09", True),
        ("shelves", "A-01-01..A-03-09", "A-03-10", False),
        ("shelves", "A-01-01 .. A-03-09", "A-00-99", False),
        ("all", "", "Z-9", True),
        ("classified", "", "A-01-01", False),
    ],
)
def test_which_shelves_a_scope_covers(kind, value, shelf, covered):
    assert Scope.parse(kind, value).covers_shelf(shelf) is covered


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("floor", "", "a stocktake's scope is one of all, room, shelves, classified"),
        ("room", " ", "name the room to count"),
        ("shelves", "A-01-01", "write the shelves to count as FIRST..LAST"),
        ("shelves", "B-01..A-01", "the first shelf B-01 comes after the last shelf A-01"),
    ],
)
def test_a_scope_that_makes_no_sense_is_refused_in_words(kind, value, message):
    with pytest.raises(ValueError, match=message):
        Scope.parse(kind, value)


def test_shelf_labels_are_read_with_or_without_their_prefix():
    assert shelf_code("LOC:a-03-02") == "A-03-02" == shelf_code(" A-03-02 ")
    assert marks_shelf("LOC:A-03-02", "A-03-02")
    assert not marks_shelf("LOC:Z-99", "A-03-02") and not marks_shelf("F-1", "")


def test_classified_missing_folders_must_be_explained_and_in_a_classified_count_all_of_them():
    secret = classify(shelved(1, "S-1", "A-01-01", "secret"))
    public = classify(shelved(2, "P-1", "A-01-01", "public"))
    assert must_be_explained(secret, ROOM_A) and not must_be_explained(public, ROOM_A)
    assert must_be_explained(public, Scope(ScopeKind.CLASSIFIED))
    explained = classify(shelved(1, "S-1", "A-01-01", "secret"), explanation="at repair")
    assert not must_be_explained(explained, ROOM_A)
    found = classify(shelved(1, "S-1", "A-01-01", "secret"), {"A-01-01"})
    assert not must_be_explained(found, ROOM_A)


def test_the_tally_counts_keeps_the_first_lines_and_names_the_unexplained():
    folders = [shelved(i, f"S-{i:02d}", "A-01-01", "secret") for i in range(1, 14)]
    tally = Tally(ROOM_A, keep=5).add_all(
        reconcile(folders, [seen(1, "S-01", "A-01-01", "")], ROOM_A)
    )
    assert tally.counts[Category.FOUND] == 1 and tally.counts[Category.MISSING] == 12
    assert tally.expected == 13 and len(tally.lines[Category.MISSING]) == 5
    assert tally.close_refusal() == (
        "12 missing folder(s) must be explained before the count can close: "
        "S-02, S-03, S-04, S-05, S-06, S-07, S-08, S-09, S-10, S-11 and 2 more"
    )
    assert Tally(ROOM_A).add_all([classify(folders[0], {""})]).close_refusal() is None
