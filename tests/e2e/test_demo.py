"""The README's run command ends in `vault demo`: it must show a newcomer an alarm by itself."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.conftest import free_port, signed_in_opener, wait_until
from vault.demo import DEMO_PASSWORD

pytestmark = pytest.mark.no_database  # the demo makes its own SQLite archive: run once


def signed_in(base: str) -> urllib.request.OpenerDirector | None:
    """The demo's guard, signed in with the password the demo prints (None: not up yet)."""
    try:
        return signed_in_opener(base, "guard", DEMO_PASSWORD)
    except (urllib.error.URLError, ConnectionError):
        return None


def open_alarms(guard: urllib.request.OpenerDirector, base: str) -> list[dict]:
    try:
        with guard.open(base + "/api/alarms", timeout=5) as response:
            return json.load(response)["alarms"]
    except (urllib.error.URLError, ConnectionError):
        return []


def count_page(opener, base: str) -> str:
    """Room B's stocktake, as the demo opened it (until the handheld's reads arrive)."""
    with opener.open(base + "/stocktakes/1", timeout=5) as response:
        return response.read().decode()


def misplaced(page: str) -> str:
    return page.split('id="misplaced"')[1].split("</section>")[0]


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
        guard = wait_until(lambda: signed_in(base), timeout=60, what="the demo's sign-in page")
        wait_until(
            lambda: any(a["rule"] == "left the reading room" for a in open_alarms(guard, base)),
            timeout=60,
            what="the demo's exit alarm",
        )
        wait_until(lambda: len(open_alarms(guard, base)) == 3, timeout=30, what="the later alarms")
        alarms = {(a["code"], a["rule"], a["station"]) for a in open_alarms(guard, base)}
        assert alarms == {
            ("WC-TJ-2002-0137", "left the reading room", "exit-1"),
            ("WC-TJ-2003-0011", "removed without approval", "door-1"),
            ("WC-TJ-2003-0012", "left the reading room", "exit-portal"),
        }
        assert (tmp_path / "labels.pdf").stat().st_size > 0
        # The handheld counted room B: one folder found on the wrong shelf.
        archivist = signed_in_opener(base, "archivist", DEMO_PASSWORD)
        wait_until(
            lambda: "WC-TJ-2006-0101" in misplaced(count_page(archivist, base)),
            timeout=30,
            what="the misplaced folder in room B's count",
        )
        assert "WC-TJ-2004-0201" not in misplaced(count_page(archivist, base))
    finally:
        demo.send_signal(signal.SIGINT)
        output, _ = demo.communicate(timeout=30)
    assert f"Open http://127.0.0.1:{port}/alarms and sign in as guard" in output
    assert f"password {DEMO_PASSWORD}" in output
    assert demo.returncode == 0, output
