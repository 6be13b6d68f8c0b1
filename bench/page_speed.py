"""Page speed: every page and API route of the web app, a few hundred varied requests each, over
HTTP to a real `vault serve` (waitress) on 1,000,000 folders and 10,000,000 custody events.

The cached archive (`bench.dataset`, built the first time) is copied to a temporary directory
and fsynced, so the bench never changes the cache (desk scans, acknowledgements and accounts are
written to the copy) and the copy's write-back does not land in the timings. `vault init`
brings the copy to this version's schema, `vault user add` makes one account per role (password
on standard input) and `vault user kiosk` a guard-room screen; then `vault serve` runs on a free
port and each role signs in over HTTP as a browser does (the sign-in form's cookie and token,
urllib with a cookie jar; the screen by its one-time link).

Routes come from the app itself (`create_app(config).routes`, by name, as the role-table test
enumerates them), so a new route is measured the next time this runs. Left out: static files and
the sign-in and sign-out routes (sign-in is slow on purpose: scrypt). Each route's requests go
round the roles that may open it (`vault.domain.access`); what they ask for is in
`bench.page_requests`. One request at a time; redirects are not followed (a 303 is the route's
answer). Reads are measured first, then the live streams, then writes.

Time is the loopback round trip at the client, from sending the request to the last byte of the
answer (for a server-sent event stream: to its first event, then it is closed and its session
signed out, which ends the stream on the server within a second). Waitress reports no server
time and nothing is added to the app to measure it, so this is an upper bound on server time.
Each group's first GET is sent once untimed (templates compiled); the operating system holds
the copied file in its page cache, but no request is warmed on its own.

`python -m bench.page_speed` prints the tables; `run()` returns the rows for `python -m bench`.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench import dataset, page_requests
from bench.page_requests import KIOSK, PASSWORD, Call
from vault.config import Config
from vault.domain import access
from vault.domain.access import STAFF, Role
from vault.web.app import create_app

TARGET_MS = 50.0
SKIPPED = ("static", "signin", "signin_submit", "signout", "kiosk_link", "kiosk_link_submit")
TOKEN = re.compile(r'name="csrf" (?:value|content)="([^"]+)"')


@dataclass(frozen=True)
class Row:
    """One line of the table: a route's requests of one kind, and their times."""

    route: str
    variant: str
    times: list[float]  # ms
    statuses: Counter
    calls: list[Call]  # in the order of `times`
    pooled: bool = True  # False: the same requests timed to another point (not counted twice)

    def p(self, percent: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]

    def slowest(self) -> str:
        """The slowest request and its time: where to look first."""
        ms, call = max(zip(self.times, self.calls, strict=True), key=lambda pair: pair[0])
        return f"{ms:.0f} ms {call.method} {urllib.parse.unquote(call.path)}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A 303 is the route's own answer: keep it, do not fetch where it points."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """One visitor's cookies (urllib with a cookie jar) and the form token of its session."""

    def __init__(self, base: str) -> None:
        self.base, self.csrf = base, ""
        cookies = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(cookies, _NoRedirect)

    def fetch(self, method: str, path: str, data: bytes | None = None, headers=None):
        """(status, body, headers) of one request; redirects and errors are answers too."""
        request = urllib.request.Request(
            self.base + path, data=data, headers=headers or {}, method=method
        )
        try:
            with self.opener.open(request, timeout=120) as r:
                return r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            with e:
                return e.code, e.read(), e.headers

    def sign_in(self, username: str) -> None:
        """As a browser does: open the form (its cookie and token), post it, open the page the
        sign-in lands on (its form token is the session's)."""
        token = _token(self.fetch("GET", "/signin")[1])
        form = {"csrf": token, "username": username, "password": PASSWORD, "next": "/"}
        status, _, _ = self.fetch("POST", "/signin", urllib.parse.urlencode(form).encode())
        if status != 303:
            raise RuntimeError(f"{username} could not sign in ({status})")
        self._land("/")

    def sign_in_by_link(self, link: str) -> None:
        path = urllib.parse.urlsplit(link).path
        token = _token(self.fetch("GET", path)[1])
        self.fetch("POST", path, urllib.parse.urlencode({"csrf": token}).encode())
        self._land("/alarms")

    def _land(self, path: str) -> None:
        status, body, headers = self.fetch("GET", path)
        if status == 303:
            status, body, _ = self.fetch("GET", urllib.parse.urlsplit(headers["Location"]).path)
        self.csrf = _token(body)

    def sign_out(self) -> None:
        self.fetch("POST", "/signout", urllib.parse.urlencode({"csrf": self.csrf}).encode())

    def send(self, call: Call) -> tuple[int, float, float]:
        """Send one request; (status, milliseconds to the first line of the answer, to its
        last byte). The first line tells when a streamed CSV file starts to download."""
        data, headers = None, dict(call.headers)
        if call.form is not None:
            data = urllib.parse.urlencode(call.form | {"csrf": self.csrf}).encode()
        elif call.json is not None:
            data = json.dumps(call.json, ensure_ascii=False).encode()
            headers |= {"Content-Type": "application/json", "X-CSRF-Token": self.csrf}
        request = urllib.request.Request(
            self.base + call.path, data=data, headers=headers, method=call.method
        )
        started = time.perf_counter()
        try:
            response = self.opener.open(request, timeout=120)
        except urllib.error.HTTPError as e:
            response = e
        with response:
            response.readline()
            first = time.perf_counter()
            response.read()
            return response.status, (first - started) * 1000, _since(started)

    def first_event(self, call: Call) -> tuple[int, float]:
        """Open a server-sent event stream; (status, milliseconds to its first event, or to its
        first line for `stream="open"`), then close it."""
        request = urllib.request.Request(self.base + call.path, headers=dict(call.headers))
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as r:
                line = r.readline()
                while call.stream == "event" and line and not line.startswith(b"event:"):
                    line = r.readline()
                while call.stream == "event" and line.strip():
                    line = r.readline()  # the event's data, up to the blank line ending it
                return r.status, _since(started)
        except urllib.error.HTTPError as e:
            with e:
                return e.code, _since(started)


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _token(html: bytes) -> str:
    found = TOKEN.search(html.decode("utf-8", "replace"))
    if not found:
        raise RuntimeError("the page has no form token")
    return found.group(1)


def _vault(config: Path, *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-m", "vault", "--config", str(config), *args],
        input=stdin, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"vault {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def _copy(source: Path, folder: Path) -> Path:
    """The cached archive copied (with any WAL) and fsynced: the bench writes only the copy."""
    target = folder / "vault.db"
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
            fd = os.open(f"{target}{suffix}", os.O_RDONLY)
            os.fsync(fd)
            os.close(fd)
    return target


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(folder: Path) -> Iterator[tuple[str, Path, float]]:
    """A `vault serve` on a copy of the archive, with one account per role; yields its
    address, its configuration file and how long the copy took."""
    with tempfile.TemporaryDirectory(prefix="vault-page-speed-") as tmp:
        started = time.monotonic()
        db = _copy(folder / "vault.db", Path(tmp))
        copied = time.monotonic() - started
        config = Path(tmp) / "vault.toml"
        config.write_text(
            f'database = "sqlite:///{db}"\nsite_name = "页面速度"\ntimezone = "Asia/Shanghai"\n',
            encoding="utf-8",
        )
        _vault(config, "init")
        for role in sorted(STAFF):
            _vault(config, "user", "add", f"bench-{role}", "--role", role, stdin=PASSWORD + "\n")
        _vault(config, "user", "kiosk", KIOSK)
        port = _free_port()
        with open(Path(tmp) / "serve.log", "wb") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "vault", "--config", str(config), "serve",
                 "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                base = f"http://127.0.0.1:{port}"
                _wait_for(base, server)
                yield base, config, copied
            finally:
                server.terminate()
                server.wait(timeout=30)


def _wait_for(base: str, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("vault serve stopped while starting (see its serve.log)")
        try:
            if Browser(base).fetch("GET", "/signin")[0] == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.1)
    raise TimeoutError("vault serve did not answer")


def sign_in_everyone(base: str, config: Path) -> dict[Role, Browser]:
    """One signed-in browser per role; the guard-room screen by its one-time link."""
    browsers = {}
    for role in sorted(STAFF):
        browsers[role] = Browser(base)
        browsers[role].sign_in(f"bench-{role}")
    link = _vault(config, "user", "kiosk-link", KIOSK, "--url", base).split()[0]
    browsers[Role.KIOSK] = Browser(base)
    browsers[Role.KIOSK].sign_in_by_link(link)
    return browsers


def route_plans(config: Config, samples: page_requests.Samples) -> tuple[list, list[str]]:
    """(route name, variant, calls) for every route of the app, reads first, then streams,
    then writes; and the routes nothing was sent to, with why."""
    rng, plans, missed = random.Random(2024), [], []
    for route in create_app(config).routes:
        if route.name in SKIPPED:
            continue
        if not any(access.allowed(role.value, route.name) for role in Role):
            missed.append(f"{route.name} ({route.method} {route.rule}): no role may open it")
            continue
        make = page_requests.PLANS.get(route.name)
        if make is None and route.method == "GET" and "<" not in route.rule:
            make = page_requests.plain(route.rule, "the page, no parameters", 100)
        if make is None:
            missed.append(f"{route.name} ({route.method} {route.rule}): no requests written")
            continue
        for variant, calls in make(samples, rng).items():
            plans.append((route.name, variant, calls))
    order = list(page_requests.PLANS)

    def key(plan: tuple) -> tuple:
        name, _, calls = plan
        kind = 2 if calls[0].method != "GET" else 1 if calls[0].stream else 0
        return kind, order.index(name) if name in order else len(order)

    return sorted(plans, key=key), missed


def measure(base: str, browsers: dict[Role, Browser], plans: list) -> list[Row]:
    """Send each group's requests one at a time, round the roles that may; a row each (and
    one more for a whole list as a file: the time to its first line)."""
    rows = []
    for route, variant, calls in plans:
        roles = [r for r in browsers if access.allowed(r.value, route)]
        if calls[0].stream:  # a fresh session each: signing it out ends the stream
            roles = [r for r in roles if r is not Role.KIOSK]
        elif calls[0].method == "GET":
            browsers[roles[0]].send(calls[0])  # untimed: the template is compiled
        times, firsts, statuses = [], [], Counter()
        for n, call in enumerate(calls):
            role = roles[n % len(roles)]
            if call.stream:
                status, ms = _stream_once(base, role, call)
            else:
                status, first, ms = browsers[role].send(call)
                firsts.append(first)
            times.append(ms)
            statuses[status] += 1
        if calls[0].file:  # a report as a file: the page's figures take a CSV's first line
            rows.append(Row(route, f"{variant}, to its first line", firsts, statuses, calls,
                            calls[0].file == "csv"))  # fmt: skip
            rows.append(Row(route, f"{variant}, whole file", times, statuses, calls, False))
            continue
        rows.append(Row(route, variant, times, statuses, calls))
        if calls[0].download:
            rows.append(Row(route, f"{variant}, to its first line", firsts, statuses, calls, False))
    return rows


def _stream_once(base: str, role: Role, call: Call) -> tuple[int, float]:
    browser = Browser(base)
    browser.sign_in(f"bench-{role}")
    try:
        return browser.first_event(call)
    finally:
        browser.sign_out()


def measure_dataset(folder: Path = dataset.DEFAULT_DIR) -> tuple[dict, list[Row], list[str]]:
    """Build (or reuse) the archive, serve a copy of it, and measure every route."""
    figures = dataset.build(folder)
    with serving(folder) as (base, config_path, copied):
        samples = page_requests.sample(Path(config_path).parent / "vault.db", random.Random(7))
        config = Config(path=config_path, database="sqlite://")
        plans, missed = route_plans(config, samples)
        started = time.monotonic()
        rows = measure(base, sign_in_everyone(base, config_path), plans)
        figures = {**figures, "copy_s": copied, "measure_s": time.monotonic() - started}
    return figures, rows, missed


def _statuses(statuses: Counter) -> str:
    return ", ".join(f"{code}×{n}" for code, n in sorted(statuses.items()))


def _over(row: Row) -> bool:
    return row.p(95) >= TARGET_MS


def by_route(rows: list[Row]) -> list[Row]:
    """Each route's requests together: the target is per route."""
    pooled: dict[str, Row] = {}
    for row in filter(lambda r: r.pooled, rows):
        into = pooled.setdefault(row.route, Row(row.route, "all", [], Counter(), []))
        into.times.extend(row.times)
        into.calls.extend(row.calls)
        into.statuses.update(row.statuses)
    return list(pooled.values())


def run(folder: Path = dataset.DEFAULT_DIR) -> list[tuple[str, str]]:
    _, rows, missed = measure_dataset(folder)
    result = []
    for row in rows:
        mark = f" — p95 over {TARGET_MS:.0f} ms" if _over(row) else ""
        result.append(
            (
                f"page {row.route}: {row.variant} ({len(row.times)} requests; "
                f"{_statuses(row.statuses)}): p50 / p95 / max (ms, loopback)",
                f"{row.p(50):.1f} / {row.p(95):.1f} / {max(row.times):.1f}{mark}",
            )  # fmt: skip
        )
    result += [(f"page {m.split(' ')[0]}", "not measured: " + m) for m in missed]
    return result


def _table(rows: list[Row], first: str) -> None:
    print(f"| {first} | requests | p50 ms | p95 ms | max ms | status codes | p95 ≥ 50 ms |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for row in rows:
        name = row.route if row.variant == "all" else f"{row.route}: {row.variant}"
        over = "**over**" if _over(row) else ""
        print(
            f"| {name} | {len(row.times)} | {row.p(50):.1f} | {row.p(95):.1f} | "
            f"{max(row.times):.1f} | {_statuses(row.statuses)} | {over} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=dataset.DEFAULT_DIR)
    figures, rows, missed = measure_dataset(parser.parse_args().folder)
    print(
        f"{figures['folders']:,} folders, {figures['events']:,} events, "
        f"{figures['bytes'] / 2**30:.2f} GiB, copied in {figures['copy_s']:.0f} s; "
        f"{sum(len(r.times) for r in rows):,} requests in {figures['measure_s']:.0f} s. "
        "Loopback round trip, an upper bound on server time; target p95 < 50 ms.\n"
    )
    _table(by_route(rows), "route (all its requests)")
    print()
    _table(rows, "route: what the requests ask for")
    print("\nThe slowest request of each route:\n")
    for row in by_route(rows):
        print(f"- {row.route}: {row.slowest()}")
    for line in missed:
        print(f"\nnot measured: {line}")


if __name__ == "__main__":
    main()
