"""The bridge's spool on real files with real fsync: order, ids, reopen, damage, threads, and
`kill -9` of a real process at random moments."""

import logging
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from firmware_bridge.spool import Spool, SpoolEntry, SpoolError, SpoolRecord

pytestmark = pytest.mark.no_database  # the spool on disk, no Vault database: run once

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2024, 5, 6, 7, 8, 9, 123456)


def reads(n: int, station: str = "exit-1", start: int = 0) -> list[SpoolRecord]:
    return [
        SpoolRecord(station, f"WC-TJ-2004-{i:04d}", b"WC-TJ-2004-%04d\r\n" % i, AT, False)
        for i in range(start, start + n)
    ]


def everything(spool: Spool) -> list[SpoolEntry]:
    return spool.pending(10**9)


def segments(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.seg"))


def test_reads_come_back_in_order_with_their_ids_after_reopen(tmp_path):
    with Spool(tmp_path) as spool:
        given = (
            spool.append(reads(3))
            + spool.append(reads(1, start=3))
            + spool.append(reads(5, start=4))
        )
        assert spool.backlog == 9
        assert everything(spool) == given
        assert spool.pending(4) == given[:4]
    with Spool(tmp_path) as spool:
        assert everything(spool) == given
        assert [e.record for e in given] == reads(9)
        assert spool.backlog == 9


def test_forwarded_reads_are_not_pending_again_even_after_reopen(tmp_path):
    with Spool(tmp_path) as spool:
        given = spool.append(reads(10))
        spool.forwarded(spool.pending(4))
        spool.forwarded(given[:4])  # told twice: harmless
        assert everything(spool) == given[4:]
        assert spool.backlog == 6
    with Spool(tmp_path) as spool:
        assert everything(spool) == given[4:]
        assert spool.backlog == 6
        spool.forwarded(everything(spool))
        assert everything(spool) == [] and spool.backlog == 0
    with Spool(tmp_path) as spool:
        assert everything(spool) == []


def test_every_byte_and_microsecond_is_kept(tmp_path):
    records = [
        SpoolRecord("出口-1", "档案-0001", bytes(range(256)) + b"VSR1", AT, True, "portal_out"),
        SpoolRecord("desk", "", b"", datetime(1969, 12, 31, 23, 59, 59, 999999), False),
        SpoolRecord("desk", "X", b"\x00" * 70_000, datetime(2100, 1, 1, 0, 0, 0, 1), True, "in"),
    ]
    with Spool(tmp_path) as spool:
        spool.append(records)
    with Spool(tmp_path) as spool:
        assert [e.record for e in everything(spool)] == records


def test_ids_are_unique_across_reopens_and_spools(tmp_path):
    ids = []
    for _ in range(3):
        with Spool(tmp_path / "a", segment_bytes=200) as spool:
            ids += [e.id for e in spool.append(reads(7))]
    with Spool(tmp_path / "b") as other:
        ids += [e.id for e in other.append(reads(7))]
    assert len(set(ids)) == len(ids) == 28
    assert len({i.split("-")[0] for i in ids}) == 2


def test_segments_roll_and_forwarded_ones_are_deleted(tmp_path):
    with Spool(tmp_path, segment_bytes=1_000) as spool:
        given = [e for i in range(40) for e in spool.append(reads(5, start=5 * i))]
        assert len(segments(tmp_path)) >= 10
        assert all(p.stat().st_size <= 1_000 for p in segments(tmp_path))
        spool.forwarded(given[:100])
        assert segments(tmp_path)[0].name == f"{given[100].segment:010d}.seg"
        assert everything(spool) == given[100:]
        spool.forwarded(everything(spool))
        assert len(segments(tmp_path)) == 1
    for _ in range(3):  # restarts with nothing to forward leave nothing behind
        with Spool(tmp_path, segment_bytes=1_000) as spool:
            assert spool.backlog == 0
    assert len(segments(tmp_path)) == 1


def last_segment(folder: Path) -> Path:
    return segments(folder)[-1]


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param(lambda whole: whole[: len(whole) // 2], id="half-a-record"),
        pytest.param(lambda whole: whole[:7], id="half-a-header"),
        pytest.param(lambda whole: b"\x00" * 4096, id="zeros"),
        pytest.param(lambda whole: random.randbytes(300), id="garbage"),
    ],
)
def test_an_unfinished_write_at_the_end_is_cut_off_on_reopen(tmp_path, caplog, tail):
    with Spool(tmp_path) as spool:
        given = spool.append(reads(20))
    path = last_segment(tmp_path)
    size = path.stat().st_size
    whole = path.read_bytes()[given[-1].offset :]
    with open(path, "ab") as segment:
        segment.write(tail(whole))
    with caplog.at_level(logging.WARNING), Spool(tmp_path) as spool:
        assert everything(spool) == given
        assert path.stat().st_size == size
        more = spool.append(reads(3, start=20))
    assert "did not finish" in caplog.text and path.name in caplog.text
    assert "damaged" not in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING), Spool(tmp_path) as spool:
        assert everything(spool) == given + more
    assert caplog.text == ""


DAMAGE = {
    "payload": lambda data, at: data[: at + 20] + bytes([data[at + 20] ^ 0x01]) + data[at + 21 :],
    "length": lambda data, at: data[: at + 4] + b"\xff\x00\x00\x00" + data[at + 8 :],
    "magic": lambda data, at: data[:at] + b"XXXX" + data[at + 4 :],
}


@pytest.mark.parametrize("where", DAMAGE)
def test_a_damaged_record_in_the_middle_is_reported_and_skipped(tmp_path, caplog, where):
    with Spool(tmp_path) as spool:
        given = (
            spool.append(reads(3))
            + spool.append(reads(3, start=3))
            + spool.append(reads(3, start=6))
        )
    path, bad = last_segment(tmp_path), given[4]
    path.write_bytes(DAMAGE[where](path.read_bytes(), bad.offset))
    with caplog.at_level(logging.ERROR), Spool(tmp_path) as spool:
        assert everything(spool) == given[:4] + given[5:]
        assert spool.backlog == 8
    assert f"{path.name} is damaged at bytes {bad.offset}-{bad.end}" in caplog.text


def test_damage_found_while_running_is_reported_and_skipped(tmp_path, caplog):
    with caplog.at_level(logging.ERROR), Spool(tmp_path) as spool:
        given = spool.append(reads(5))
        path = last_segment(tmp_path)
        path.write_bytes(DAMAGE["payload"](path.read_bytes(), given[2].offset))
        assert everything(spool) == given[:2] + given[3:]
        spool.forwarded(everything(spool))
        assert spool.backlog == 0 and not spool.wait(0.01)
    assert "damaged" in caplog.text


def test_a_torn_checkpoint_falls_back_to_the_one_before(tmp_path):
    with Spool(tmp_path) as spool:
        given = spool.append(reads(10))
        spool.forwarded(given[:3])
        spool.forwarded(given[3:6])
    checkpoint = tmp_path / "checkpoint"
    slots = checkpoint.read_bytes()
    newest = max((0, 32), key=lambda at: int.from_bytes(slots[at + 4 : at + 12], "little"))
    checkpoint.write_bytes(slots[:newest] + b"\x00" * 32 + slots[newest + 32 :])
    with Spool(tmp_path) as spool:
        assert everything(spool) == given[3:]  # forwarded again with the same ids: stored once


def test_station_threads_and_a_forwarder_see_every_read_once_in_order(tmp_path):
    spool = Spool(tmp_path, segment_bytes=32_000)
    stations, per_station = 4, 2_500
    given: list[SpoolEntry] = []
    forwarded: list[SpoolEntry] = []
    stop = threading.Event()

    def station(k: int) -> None:
        rng, n = random.Random(k), 0
        while n < per_station:
            size = min(rng.randint(1, 25), per_station - n)
            given.extend(spool.append(reads(size, f"station-{k}", n)))
            n += size

    def forwarder() -> None:
        while not stop.is_set() or spool.backlog:
            if spool.wait(0.05):
                entries = spool.pending(random.randint(1, 300))
                forwarded.extend(entries)
                spool.forwarded(entries)

    threads = [threading.Thread(target=station, args=(k,)) for k in range(stations)]
    forwarding = threading.Thread(target=forwarder)
    for t in [*threads, forwarding]:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    forwarding.join(timeout=10)
    spool.close()
    assert not forwarding.is_alive()
    assert sorted(e.id for e in forwarded) == sorted(e.id for e in given)
    assert len({e.id for e in forwarded}) == stations * per_station
    for k in range(stations):
        mine = [e.record for e in forwarded if e.record.station == f"station-{k}"]
        assert mine == reads(per_station, f"station-{k}")


def test_wait_sleeps_until_a_read_arrives_or_the_spool_closes(tmp_path):
    spool = Spool(tmp_path)
    started = time.monotonic()
    assert spool.wait(0.2) is False
    assert time.monotonic() - started >= 0.15
    threading.Timer(0.1, spool.append, args=(reads(1),)).start()
    started = time.monotonic()
    assert spool.wait(5.0) is True
    assert time.monotonic() - started < 2.0
    spool.forwarded(spool.pending(10))
    threading.Timer(0.1, spool.close).start()
    started = time.monotonic()
    assert spool.wait(5.0) is False
    assert time.monotonic() - started < 2.0
    with pytest.raises(SpoolError):
        spool.append(reads(1))


def test_one_process_at_a_time_and_never_without_its_identity(tmp_path):
    with Spool(tmp_path) as spool:
        spool.append(reads(1))
        with pytest.raises(SpoolError, match="open in another process"):
            Spool(tmp_path)
    (tmp_path / "spool.id").unlink()
    with pytest.raises(SpoolError, match="spool.id is missing"):
        Spool(tmp_path)


def acknowledged(output: bytes) -> list[int]:
    """Numbers from complete "first last" lines; a line cut by the kill was never finished."""
    lines = output.split(b"\n")[:-1]
    return [n for line in lines for n in range(int(line.split()[0]), int(line.split()[1]) + 1)]


def run_and_kill(spool_dir: Path, database: Path, rng: random.Random) -> list[int]:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.spool_child", str(spool_dir), str(database)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first = child.stdout.readline()  # appending has begun
    time.sleep(rng.uniform(0.0, 0.4))
    os.kill(child.pid, signal.SIGKILL)
    out, err = child.communicate(timeout=10)
    assert first and b"Traceback" not in err, err.decode(errors="replace")
    return acknowledged(first + out)


def test_kill_9_at_random_moments_loses_and_doubles_no_acknowledged_read(tmp_path):
    seed = random.randrange(2**32)
    rng, acked = random.Random(seed), []
    spool_dir, database = tmp_path / "spool", tmp_path / "events.db"
    for _ in range(20):
        acked += run_and_kill(spool_dir, database, rng)
    ids_by_number: dict[int, set[str]] = {}
    with sqlite3.connect(database) as db:
        stored = db.execute("SELECT event_id, number FROM events").fetchall()
    with Spool(spool_dir) as spool:
        spooled = [(e.id, int(e.record.code)) for e in everything(spool)]
    for event_id, number in stored + spooled:
        ids_by_number.setdefault(number, set()).add(event_id)
    context = f"seed {seed}"
    assert len(acked) == len(set(acked)) > 500, context
    assert set(acked) <= set(ids_by_number), context
    assert [n for n, ids in ids_by_number.items() if len(ids) != 1] == [], context
    all_ids = [i for ids in ids_by_number.values() for i in ids]
    assert len(all_ids) == len(set(all_ids)), context
    assert len(stored) > len(acked) // 2, context  # the forwarder was really at work


def test_each_stations_last_read_is_known_after_any_number_of_restarts(tmp_path):
    """A restarted bridge must know each station's last stored read, forwarded or not, also
    after restarts with no reads in between (their segments are gone by then)."""
    with Spool(tmp_path) as spool:
        assert spool.last_raw == {}
        spool.append(reads(3) + reads(2, station="desk-1", start=10))
    with Spool(tmp_path) as spool:
        assert spool.last_raw == {
            "exit-1": b"WC-TJ-2004-0002\r\n",
            "desk-1": b"WC-TJ-2004-0011\r\n",
        }
        spool.forwarded(spool.pending(100))  # in the database now; its segment may go
        spool.append(reads(1, station="exit-1", start=20))
        spool.forwarded(spool.pending(100))
    for _ in range(3):
        with Spool(tmp_path) as spool:
            assert spool.last_raw == {
                "exit-1": b"WC-TJ-2004-0020\r\n",
                "desk-1": b"WC-TJ-2004-0011\r\n",
            }
