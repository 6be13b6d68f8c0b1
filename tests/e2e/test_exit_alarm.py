"""From a barcode line on the exit's serial port to the alarm on the guard's screen.

The bridge and the web server run as separate processes, as in production; the scan is written
into the exit station's pseudo-terminal; the alarm is checked in `/api/alarms` and on the page
in headless Chromium, which must show it by itself, without a reload. Everyone signs in first,
as security staff.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest

from tests.conftest import (
    PASSWORD,
    SAMPLE_CSV,
    free_port,
    run_vault,
    signed_in_opener,
    wait_until,
    write_config,
)
from tests.e2e.conftest import sign_in


def get_json(opener: urllib.request.OpenerDirector, url: str) -> dict:
    with opener.open(url, timeout=5) as response:
        return json.load(response)


def stations_connected(opener: urllib.request.OpenerDirector, base: str) -> bool:
    # The board's stream carries station health; here we read it from the page's data source.
    with opener.open(base + "/api/alarms/events", timeout=5) as response:
        response.readline()  # retry:
        response.readline()
        response.readline()  # event: board
        data = json.loads(response.readline().decode().removeprefix("data: "))
    return all(s["status"] == "connected" for s in data["stations"])


@pytest.fixture
def running(tmp_path, make_pty, processes):
    """Bridge and web server running on a fresh archive, a guard signed in; returns (base URL,
    exit pty, door pty, the guard's urllib opener)."""
    exit_pty, door_pty = make_pty(), make_pty()
    config = write_config(
        tmp_path,
        [
            {"id": "door-1", "kind": "warehouse_door", "port": door_pty.path},
            {"id": "exit-1", "kind": "reading_exit", "port": exit_pty.path},
        ],
        extra='site_name = "县统计局档案室"',
    )
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    # The guard reads English: the test compares the board's English words.
    english = ("--language", "en")
    run_vault(config, "user", "add", "guard", "--role", "security", *english, input=PASSWORD + "\n")
    port = free_port()
    processes.start(config, "bridge")
    processes.start(config, "serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"

    def serving() -> bool:
        try:
            urllib.request.urlopen(base + "/signin", timeout=5).close()
            return True
        except (urllib.error.URLError, ConnectionError):
            return False

    wait_until(serving, timeout=20, what="the web server")
    guard = signed_in_opener(base, "guard")
    wait_until(lambda: stations_connected(guard, base), timeout=20, what="both stations")
    return base, exit_pty, door_pty, guard


def test_an_exit_read_appears_on_the_board_without_a_reload(running, browser):
    base, exit_pty, _, guard = running
    page = browser.new_page()
    sign_in(page, base, "guard")
    page.goto(base + "/alarms")
    page.wait_for_selector("#live.on")  # the live stream is open
    assert page.locator("tr.alarm").count() == 0
    page.evaluate("window.loadedOnce = true")  # gone if the page reloads

    exit_pty.write(b"WC-TJ-2002-0137\r\n")
    row = page.locator("tr.alarm", has_text="WC-TJ-2002-0137")
    # By itself, without a reload. How fast is measured in bench/scan_to_screen.py.
    row.wait_for(timeout=5000)

    assert page.evaluate("window.loadedOnce") is True
    assert row.locator(".rule").inner_text() == "left the reading room"
    assert row.locator(".title").inner_text() == "2002年全县农业普查汇总表"
    assert row.locator(".marking").inner_text() == "机密★ 30年"
    assert row.locator(".station").inner_text() == "exit-1"
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", row.locator(".time").inner_text())

    [alarm] = get_json(guard, base + "/api/alarms")["alarms"]
    assert (alarm["code"], alarm["rule"], alarm["station"]) == (
        "WC-TJ-2002-0137",
        "left the reading room",
        "exit-1",
    )
    assert alarm["title"] == "2002年全县农业普查汇总表"
    assert alarm["classification"] == "secret"

    # Acknowledge it from the page, with a note.
    row.locator("input[name=note]").fill("已追回，送回阅览室")
    row.locator("button").click()
    page.wait_for_url(base + "/alarms")
    page.locator("tr.alarm").first.wait_for(state="detached", timeout=3000)
    assert get_json(guard, base + "/api/alarms")["alarms"] == []
    page.close()


def test_an_acknowledge_without_the_page_token_is_refused(running):
    base, exit_pty, _, guard = running
    exit_pty.write(b"WC-TJ-2002-0137\r\n")
    alarms = wait_until(lambda: get_json(guard, base + "/api/alarms")["alarms"], what="the alarm")
    forged = urllib.request.Request(
        f"{base}/alarms/{alarms[0]['id']}/ack", data=b"note=nothing+to+see", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        guard.open(forged, timeout=5)  # signed in, but the form's token is missing
    assert refused.value.code == 403
    assert "did not come from Vault" in refused.value.read().decode()
    assert len(get_json(guard, base + "/api/alarms")["alarms"]) == 1


def test_the_page_is_self_contained_and_sends_security_headers(running):
    base, _, _, guard = running
    with guard.open(base + "/alarms", timeout=5) as response:
        headers = response.headers
        html = response.read().decode()
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "县统计局档案室" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
