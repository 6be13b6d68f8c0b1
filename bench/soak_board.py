"""The soak benchmark's browser clients: guards' pages on the live alarm board in headless
Chromium, each in its own browser context (its own session), stamping each alarm row as it
is inserted and noting every time the page's live stream drops.

A MutationObserver on the board's rows stamps a new alarm id with the page's wall clock
(`Date.now()`: this machine's clock, the one the frame writer's `time.time()` reads);
another on the "live" indicator counts the drops of the event stream and how long it stayed
down. The page sends what it noted to a small HTTP collector in the bench by beacon, so the
bench never waits for a renderer that is busy redrawing the board (a `page.evaluate` would
queue behind that work). The watch is installed before each load of the page, so a page that
reloads (its stream refused) is watched again and counted.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import Browser, Page

from tests.e2e.conftest import CHROMIUM_ARGS as BROWSER_TEST_ARGS

CHROMIUM_ARGS = [  # the browser tests' own, and no throttling of pages nobody looks at
    *BROWSER_TEST_ARGS,
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
WATCH = """document.addEventListener('DOMContentLoaded', () => {
  const rows = document.getElementById('alarm-rows'), live = document.getElementById('live');
  if (!rows || !live) return;
  const soak = {page: %(page)d, known: new Set(), drops: 0, down: 0, longest: 0, since: null};
  const send = (fresh) => navigator.sendBeacon('%(collector)s', JSON.stringify({
    page: soak.page, fresh, drops: soak.drops, down: soak.down, longest: soak.longest,
    live: live.classList.contains('on')}));
  new MutationObserver((changes) => {
    const now = Date.now(), fresh = {};
    for (const change of changes) for (const tr of change.addedNodes) {
      const id = tr.dataset && tr.dataset.alarmId;
      if (id && !soak.known.has(id)) { soak.known.add(id); fresh[id] = now; }
    }
    if (Object.keys(fresh).length) send(fresh);
  }).observe(rows, {childList: true});
  for (const tr of rows.querySelectorAll('tr[data-alarm-id]')) soak.known.add(tr.dataset.alarmId);
  new MutationObserver(() => {
    const on = live.classList.contains('on'), now = Date.now();
    if (!on && soak.since === null) { soak.since = now; soak.drops += 1; }
    if (on && soak.since !== null) {
      const gap = now - soak.since;
      soak.down += gap; soak.longest = Math.max(soak.longest, gap); soak.since = null;
    }
    send({});
  }).observe(live, {attributes: true, attributeFilter: ['class']});
  send({hello: 1});
});"""


@dataclass
class Client:
    """One guard's page and what it has shown so far (filled in by the collector)."""

    page: Page
    seen: dict[int, float] = field(default_factory=dict)  # alarm id -> ms since the epoch
    drops: int = 0  # times the live stream dropped (the server ends each after 10 minutes)
    down_ms: float = 0.0
    longest_down_ms: float = 0.0
    live: bool = False
    loads: int = 0  # loads of the board: more than one means the page reloaded
    http_errors: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)

    def heard(self, note: dict) -> None:
        fresh = note["fresh"]
        if fresh.pop("hello", None):
            self.loads += 1
        self.seen.update((int(k), v) for k, v in fresh.items())
        self.drops, self.down_ms = note["drops"], note["down"]
        self.longest_down_ms, self.live = note["longest"], note["live"]


class Collector:
    """An HTTP server on loopback that takes the pages' beacons, in a thread of its own."""

    def __init__(self) -> None:
        self.clients: list[Client] = []
        clients = self.clients

        class Beacon(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                note = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                clients[note["page"]].heard(note)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Beacon)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/seen"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def open_clients(browser: Browser, base: str, count: int, user: str, password: str) -> Collector:
    """`count` guards signed in through the form, each on the live board; their notes go to
    the returned collector (its `clients`, in the order of the pages)."""
    collector = Collector()
    for number in range(count):
        context = browser.new_context(bypass_csp=True)  # lets the beacons out
        context.add_init_script(WATCH % {"page": number, "collector": collector.url})
        page = context.new_page()
        client = Client(page)
        collector.clients.append(client)
        page.on("response", lambda r, c=client: _response(c, r))
        page.on("requestfailed", lambda r, c=client: _failed(c, r))
        page.on("pageerror", lambda e, c=client: c.script_errors.append(str(e)))
        page.goto(base + "/signin?next=/alarms")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("form.signin button[type=submit]")
        page.wait_for_selector("#live.on", timeout=60000)
    return collector


def _response(client: Client, response) -> None:
    if response.status >= 400:
        client.http_errors.append(f"{response.status} {response.url}")


def _failed(client: Client, request) -> None:
    if "/seen" not in request.url:  # a beacon cut short as the page closes is the bench's
        client.http_errors.append(f"failed {request.url}")
