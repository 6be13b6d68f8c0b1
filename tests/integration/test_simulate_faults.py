"""`vault simulate` playing several protocols and their faults against a running bridge."""

from __future__ import annotations

from tests.conftest import SAMPLE_CSV, run_vault, wait_until
from tests.integration.test_bridge_devices import EM_TAG, FOLDER, events, query, write_config

SCENARIO = """\
# a 125 kHz exit reader, a serial door scanner and a home-built gate
0.2 exit-1 !noise 48
0.1 exit-1 !badcrc 62E3086CED
0.1 exit-1 !truncated 62E3086CED
0.3 exit-1 !repeat 62E3086CED 10
0.1 door-1 WC-TJ-2004-0202
0.1 door-1 !unplug 2
3.5 door-1 WC-TJ-2003-0011  # once the bridge has found it again
0.1 gate-1 AABBCCDDEE
"""


def test_simulated_faults_are_rejected_and_an_unplugged_scanner_comes_back(tmp_path, processes):
    dev = tmp_path / "dev"
    config = write_config(
        tmp_path,
        [
            {
                "id": "exit-1",
                "kind": "reading_exit",
                "port": str(dev / "exit-1"),
                "protocol": "rdm6300",
            },
            {
                "id": "door-1",
                "kind": "warehouse_door",
                "port": str(dev / "serial" / "by-id" / "usb-Honeywell_Scanner-if00"),
            },
            {
                "id": "gate-1",
                "kind": "handheld",
                "port": str(dev / "gate-1"),
                "protocol": "vault",
                "heartbeat": 4,
                "options": {"device": "gate-1"},
            },
        ],
    )
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    run_vault(config, "labels", "tag", FOLDER, EM_TAG)
    (tmp_path / "scenario.txt").write_text(SCENARIO)
    processes.start(config, "bridge")
    simulate = processes.start(
        config, "simulate", "--scenario", str(tmp_path / "scenario.txt"), "--exit"
    )
    assert simulate.wait(timeout=60) == 0, processes.output(simulate)
    wait_until(lambda: len(events(tmp_path)) >= 4, timeout=20, what="every good read")
    assert sorted(events(tmp_path)) == [
        ("door-1", "WC-TJ-2003-0011", "left_warehouse"),
        ("door-1", "WC-TJ-2004-0202", "left_warehouse"),
        ("exit-1", EM_TAG, "left_reading_room"),  # ten reports in the field: one read
        ("gate-1", "AABBCCDDEE", "unknown_code"),
    ]
    rejected = lambda: query(tmp_path, "SELECT rejected FROM station WHERE id = 'exit-1'")[0][0]  # noqa: E731
    wait_until(lambda: rejected() >= 3, what="the noise, bad checksum and cut frame counted")
    status = run_vault(config, "bridge", "status").stdout
    assert "exit-1" in status and "gate-1" in status
