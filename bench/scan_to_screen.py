"""Scan-to-screen latency: from the last byte of a barcode line on the exit's serial port to the
alarm row on the security screen in headless Chromium.

The bridge and the web server run as separate processes on a fresh SQLite archive; a pseudo-
terminal stands in for the exit scanner. The page stamps each new alarm row with the wall clock
as it is inserted (a MutationObserver); the bench stamps each write. Both clocks are this
machine's. The bench signs in as security staff, through the sign-in form, like a guard.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import pty
import re
import socket
import subprocess
import sys
import tempfile
import time
import tty
import urllib.parse
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
GUARD, PASSWORD = "bench-guard", "bench-password-2026"
OBSERVER = """
window.rowSeen = {};
new MutationObserver(() => {
  const now = performance.timeOrigin + performance.now();
  for (const tr of document.querySelectorAll('tr[data-alarm-id]')) {
    if (!(tr.dataset.alarmId in window.rowSeen)) window.rowSeen[tr.dataset.alarmId] = now;
  }
}).observe(document.getElementById('alarm-rows'), {childList: true});
"""


def _vault(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "vault", "--config", str(config), *args]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(check, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the system did not come up")
        time.sleep(0.05)


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(scans: int = 100, gap: float = 0.25) -> list[tuple[str, str]]:
    master, slave = pty.openpty()
    tty.setraw(slave)
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "vault.toml"
        config.write_text(
            'database = "sqlite:///vault.db"\n[[stations]]\nid = "exit-1"\n'
            f'kind = "reading_exit"\nport = "{os.ttyname(slave)}"\n',
            encoding="utf-8",
        )
        subprocess.run(_vault(config, "init"), check=True, capture_output=True)
        csv = ROOT / "vault" / "sample" / "archive.csv"
        subprocess.run(_vault(config, "import", str(csv)), check=True, capture_output=True)
        add = _vault(config, "user", "add", GUARD, "--role", "security")
        subprocess.run(add, input=PASSWORD + "\n", text=True, check=True, capture_output=True)
        port = _free_port()
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        procs = [
            subprocess.Popen(_vault(config, "bridge"), **quiet),
            subprocess.Popen(_vault(config, "serve", "--port", str(port)), **quiet),
        ]
        try:
            return _measure(f"http://127.0.0.1:{port}", master, scans, gap)
        finally:
            for p in procs:
                p.terminate()
                p.wait(timeout=10)
            os.close(master)
            os.close(slave)


def _signed_in(base: str) -> urllib.request.OpenerDirector | None:
    """A urllib opener signed in as the bench's guard, or None while the server starts."""
    jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    opener = urllib.request.build_opener(jar)
    try:
        with opener.open(base + "/signin", timeout=2) as r:
            token = re.search(r'name="csrf" value="([^"]+)"', r.read().decode()).group(1)
        form = {"csrf": token, "username": GUARD, "password": PASSWORD}
        opener.open(base + "/signin", urllib.parse.urlencode(form).encode(), timeout=5).close()
    except OSError:
        return None
    return opener


def _connected(opener: urllib.request.OpenerDirector, base: str) -> bool:
    try:
        with opener.open(base + "/api/alarms/events", timeout=2) as r:
            for _ in range(3):
                r.readline()
            data = json.loads(r.readline().decode().removeprefix("data: "))
        return all(s["status"] == "connected" for s in data["stations"])
    except OSError:
        return False


def _measure(base: str, master: int, scans: int, gap: float) -> list[tuple[str, str]]:
    _wait(lambda: _signed_in(base) is not None)
    opener = _signed_in(base)
    _wait(lambda: _connected(opener, base))
    latencies: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )  # fmt: skip
        page = browser.new_page(bypass_csp=True)  # lets the bench poll with its own scripts
        page.goto(base + "/signin?next=/alarms")
        page.fill("input[name=username]", GUARD)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("form.signin button[type=submit]")
        page.wait_for_selector("#live.on")
        page.evaluate(OBSERVER)
        for i in range(scans):
            os.write(master, b"WC-TJ-2002-0137\r\n")
            sent = time.time() * 1000
            page.wait_for_function(f"Object.keys(window.rowSeen).length > {i}", timeout=10000)
            seen = page.evaluate("Math.max(...Object.values(window.rowSeen))")
            latencies.append(seen - sent)
            time.sleep(gap)
        browser.close()
    return [
        ("scan-to-screen reads", str(scans)),
        ("scan-to-screen p50 (ms)", f"{_percentile(latencies, 50):.0f}"),
        ("scan-to-screen p95 (ms)", f"{_percentile(latencies, 95):.0f}"),
        ("scan-to-screen p99 (ms)", f"{_percentile(latencies, 99):.0f}"),
        ("scan-to-screen max (ms)", f"{max(latencies):.0f}"),
    ]


if __name__ == "__main__":
    for name, value in run():
        print(f"{name:32} {value}")
