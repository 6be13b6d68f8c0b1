"""The README's run command ends in `vault demo`: it must show a newcomer an alarm by itself."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.error
import urllib.request

from tests.conftest import free_port, wait_until


def open_alarms(base: str) -> list[dict]:
    try:
        with urllib.request.urlopen(base + "/api/alarms", timeout=5) as response:
            return json.load(response)["alarms"]
    except (urllib.error.URLError, ConnectionError):
        return []


def test_the_demo_scenario_raises_the_exit_alarm_and_only_the_alarms_it_should(tmp_path):
    port = free_port()
    demo = subprocess.Popen(
        [sys.executable, "-m", "vault", "demo", "--dir", str(tmp_path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: any(a["rule"] == "left the reading room" for a in open_alarms(base)),
            timeout=60,
            what="the demo's exit alarm",
        )
        wait_until(lambda: len(open_alarms(base)) == 3, timeout=30, what="the later alarms")
        alarms = {(a["code"], a["rule"], a["station"]) for a in open_alarms(base)}
        assert alarms == {
            ("WC-TJ-2002-0137", "left the reading room", "exit-1"),
            ("WC-TJ-2003-0011", "removed without approval", "door-1"),
            ("WC-TJ-2003-0012", "left the reading room", "exit-portal"),
        }
        assert (tmp_path / "labels.pdf").stat().st_size > 0
    finally:
        demo.send_signal(signal.SIGINT)
        output, _ = demo.communicate(timeout=30)
    assert f"Open http://127.0.0.1:{port}/alarms" in output
    assert demo.returncode == 0, output
