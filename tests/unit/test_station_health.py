"""When a station counts as offline, and when it is back: rules on explicit clock values."""

from firmware_bridge.health import PORT_GRACE, StationHealth


def test_a_heartbeat_device_silent_too_long_goes_offline_and_comes_back_when_heard():
    health = StationHealth("gate-1", heartbeat=5.0, now=0.0)
    health.opened(0.0, "/dev/ttyACM0")
    assert health.check(4.9) is None
    assert health.check(5.0) == "offline"
    assert health.check(6.0) is None  # reported once
    assert "silent for 5 s" in health.snapshot().detail
    health.heard(7.0)
    assert health.check(7.1) == "online"
    assert not health.snapshot().offline


def test_a_barcode_scanner_may_be_silent_for_hours():
    health = StationHealth("desk-1", heartbeat=0.0, now=0.0)
    health.opened(0.0, "/dev/ttyUSB0")
    assert health.check(36_000.0) is None


def test_an_unplugged_port_is_offline_after_the_grace_and_back_when_reopened():
    health = StationHealth("door-1", heartbeat=0.0, now=0.0)
    health.opened(0.0, "/dev/ttyUSB0")
    health.closed(100.0, "lost: device disconnected")
    assert health.check(100.0 + PORT_GRACE - 0.1) is None
    assert health.check(100.0 + PORT_GRACE) == "offline"
    assert "device disconnected" in health.snapshot().detail
    health.opened(120.0, "/dev/ttyUSB1")
    assert health.check(120.1) == "online"


def test_a_port_that_never_opens_goes_offline():
    health = StationHealth("exit-1", heartbeat=0.0, now=0.0)
    health.closed(0.0, "cannot open: No such file or directory")
    assert health.check(PORT_GRACE) == "offline"


def test_counters_accumulate_reads_and_take_the_drivers_totals():
    health = StationHealth("exit-1", heartbeat=0.0, now=0.0)
    health.counted(9, 3, rejected=1, lost=0, at=None)
    health.counted(2, 2, rejected=4, lost=2, at=None)
    snap = health.snapshot()
    assert (snap.frames, snap.reads, snap.rejected, snap.lost) == (11, 5, 4, 2)
