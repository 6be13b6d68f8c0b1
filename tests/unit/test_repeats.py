"""An RFID reader's repeated reports of a tag collapse into one read per pass."""

import threading
import time

import pytest

from firmware_bridge.repeats import RepeatFilter


def sightings(f: RepeatFilter, reports: list[tuple[str, str, float]]) -> list[bool]:
    return [f.first_sighting(station, code, now) for station, code, now in reports]


def test_the_first_report_is_a_read_and_repeats_are_not():
    f = RepeatFilter(window=1.0)
    assert sightings(f, [("gate", "T1", 0.0), ("gate", "T1", 0.1), ("gate", "T1", 0.2)]) == [
        True,
        False,
        False,
    ]


def test_the_window_slides_with_each_report():
    f = RepeatFilter(window=1.0)
    # The tag stays in the field for 5 s, reported every 0.9 s: one pass, one read.
    reports = [("gate", "T1", 0.9 * i) for i in range(7)]
    assert sightings(f, reports) == [True] + [False] * 6


def test_a_gap_of_the_window_or_more_starts_a_new_pass():
    f = RepeatFilter(window=1.0)
    reports = [("gate", "T1", 0.0), ("gate", "T1", 0.5), ("gate", "T1", 1.5), ("gate", "T1", 3.0)]
    assert sightings(f, reports) == [True, False, True, True]


def test_a_gap_just_under_the_window_is_still_the_same_pass():
    f = RepeatFilter(window=2.0)
    assert sightings(f, [("gate", "T1", 10.0), ("gate", "T1", 11.999)]) == [True, False]


def test_stations_and_tags_are_counted_apart():
    f = RepeatFilter(window=1.0)
    reports = [
        ("gate", "T1", 0.0),
        ("desk", "T1", 0.1),  # same tag, another reader: its own read
        ("gate", "T2", 0.2),
        ("gate", "T1", 0.3),
        ("desk", "T1", 0.4),
        ("gate", "T2", 0.5),
    ]
    assert sightings(f, reports) == [True, True, True, False, False, False]


def test_tags_whose_pass_ended_are_forgotten():
    f = RepeatFilter(window=1.0)
    for i in range(10_000):
        f.first_sighting("gate", f"T{i}", i * 0.001)  # 10,000 tags within 10 s
    assert len(f) <= 1_001
    f.first_sighting("gate", "late", 100.0)
    assert len(f) == 1


def test_memory_never_exceeds_the_tag_limit_and_only_extra_reads_result():
    f = RepeatFilter(window=60.0, max_tags=100)
    assert all(f.first_sighting("gate", f"T{i}", 0.0) for i in range(1_000))
    assert len(f) == 100
    assert f.first_sighting("gate", "T0", 1.0)  # forgotten early: read again, not lost
    assert not f.first_sighting("gate", "T999", 1.0)  # still remembered


def test_shared_between_station_threads_each_station_gets_one_read_per_tag():
    f = RepeatFilter(window=100.0)
    firsts: dict[str, int] = {}

    def station(name: str) -> None:
        firsts[name] = sum(f.first_sighting(name, f"T{i % 50}", 1.0) for i in range(20_000))

    threads = [threading.Thread(target=station, args=(f"st-{k}",)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert firsts == {f"st-{k}": 50 for k in range(4)}


def test_keeps_up_with_a_hundred_thousand_reports_a_second():
    f = RepeatFilter(window=0.5)
    codes = [f"E2003412{i:08X}" for i in range(2_000)]
    start = time.perf_counter()
    for i in range(200_000):
        f.first_sighting("gate", codes[i % 2_000], i * 0.00001)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"{200_000 / elapsed:,.0f} reports/s"


def test_a_window_must_be_positive():
    with pytest.raises(ValueError):
        RepeatFilter(window=0)
