"""A doorway's two readers tell which way a folder went."""

import threading

import pytest

from firmware_bridge.portal import LoneSighting, Passage, Portal


def portal(window: float = 2.0, max_tags: int = 100_000) -> Portal:
    return Portal("door-1", inside="room-in", outside="room-out", window=window, max_tags=max_tags)


def walk(p: Portal, sightings: list[tuple[str, str, float]]) -> list[Passage]:
    return [x for s in sightings if (x := p.observe(*s)) is not None]


def test_inside_then_outside_is_a_folder_leaving():
    p = portal()
    assert p.observe("room-in", "F1", 10.0) is None
    assert p.observe("room-out", "F1", 10.5) == Passage("door-1", "F1", "out", 10.5)


def test_outside_then_inside_is_a_folder_coming_back():
    p = portal()
    assert walk(p, [("room-out", "F1", 0.0), ("room-in", "F1", 1.0)]) == [
        Passage("door-1", "F1", "in", 1.0)
    ]


def test_repeats_on_either_side_report_the_passage_once():
    p = portal()
    sightings = [("room-in", "F1", t / 10) for t in range(10)]
    sightings += [("room-out", "F1", 1.0 + t / 10) for t in range(10)]
    assert walk(p, sightings) == [Passage("door-1", "F1", "out", 1.0)]


def test_a_folder_carried_in_and_straight_back_out_raises_the_exit():
    p = portal()
    sightings = [("room-out", "F1", 0.0), ("room-in", "F1", 0.5), ("room-in", "F1", 0.7)]
    sightings += [("room-out", "F1", 1.2), ("room-out", "F1", 1.3)]
    assert [x.direction for x in walk(p, sightings)] == ["in", "out"]


def test_sides_further_apart_than_the_window_are_no_passage():
    p = portal(window=2.0)
    assert walk(p, [("room-in", "F1", 0.0), ("room-out", "F1", 2.0)]) == []
    assert walk(p, [("room-in", "F2", 0.0), ("room-out", "F2", 1.9)]) != []


def test_the_window_slides_with_each_sighting():
    p = portal(window=1.0)
    lingering = [("room-in", "F1", 0.8 * t) for t in range(6)]  # 4 s at the inside reader
    assert walk(p, [*lingering, ("room-out", "F1", 4.5)]) == [Passage("door-1", "F1", "out", 4.5)]


def test_interleaved_folders_are_told_apart():
    p = portal()
    sightings = [
        ("room-in", "F1", 0.0),
        ("room-out", "F2", 0.1),
        ("room-in", "F3", 0.2),
        ("room-in", "F2", 0.3),
        ("room-out", "F1", 0.4),
        ("room-in", "F3", 0.5),
    ]
    assert walk(p, sightings) == [
        Passage("door-1", "F2", "in", 0.3),
        Passage("door-1", "F1", "out", 0.4),
    ]


def test_a_tag_seen_only_outside_comes_back_from_expired_once():
    p = portal(window=2.0)
    walk(p, [("room-out", "F9", 0.0), ("room-out", "F9", 1.0), ("room-in", "F1", 1.0)])
    assert p.expired(2.5) == []  # F9's track has not ended yet
    assert p.expired(3.0) == [LoneSighting("door-1", "room-out", "F9", 0.0, 1.0)]
    assert p.expired(10.0) == []


def test_a_lone_outside_sighting_is_kept_when_the_tag_returns_too_late():
    p = portal(window=2.0)
    assert walk(p, [("room-out", "F9", 0.0), ("room-in", "F9", 5.0)]) == []
    assert p.expired(5.0) == [LoneSighting("door-1", "room-out", "F9", 0.0, 0.0)]


def test_passages_and_tags_seen_only_inside_leave_nothing_behind():
    p = portal(window=1.0)
    walk(p, [("room-in", "F1", 0.0), ("room-out", "F1", 0.5), ("room-in", "F2", 0.5)])
    assert p.expired(5.0) == []
    assert len(p) == 0


def test_memory_is_bounded_by_the_window_and_the_tag_limit():
    p = portal(window=1.0, max_tags=100)
    for i in range(1_000):
        p.observe("room-in", f"F{i}", 0.0)
    assert len(p) == 100
    p.observe("room-out", "late", 5.0)
    assert len(p) == 1


def test_lone_sightings_awaiting_collection_are_bounded():
    p = portal(window=1.0, max_tags=10)
    for i in range(50):
        p.observe("room-out", f"F{i}", float(i) * 2)
    lone = p.expired(1_000.0)
    assert [s.code for s in lone] == [f"F{i}" for i in range(40, 50)]


def test_both_readers_threads_can_share_a_portal():
    p = portal(window=100.0)
    found: list[Passage] = []

    def reader(station: str) -> None:
        for i in range(5_000):
            if (x := p.observe(station, f"F{i % 500}", 1.0)) is not None:
                found.append(x)

    threads = [threading.Thread(target=reader, args=(s,)) for s in ("room-in", "room-out")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Alternating sides may report several passages per tag; every tag crossed at least once.
    assert {x.code for x in found} == {f"F{i}" for i in range(500)}


def test_a_station_that_is_not_one_of_its_readers_is_refused():
    with pytest.raises(ValueError):
        portal().observe("desk-1", "F1", 0.0)
