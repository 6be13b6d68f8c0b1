"""Fixtures that build real components: SQLite files, configuration files, `vault` processes,
pseudo-terminals. Nothing under test is replaced by a stand-in."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import pty
import re
import socket
import subprocess
import sys
import threading
import time
import tty
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import waitress
from waitress import wasyncore

from tests import databases
from vault.db.connection import open_database
from vault.db.models import database
from vault.db.schema import migrate
from vault.domain.approvals import Policy
from vault.services import policy

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CSV = ROOT / "vault" / "sample" / "archive.csv"
PASSWORD = "correct-horse-battery"  # every test account's password


@pytest.fixture(autouse=True)
def default_policy() -> Iterator[None]:
    """Every test starts with the default approval policy, whatever the last one set."""
    policy.set_policy(Policy())
    yield
    policy.set_policy(Policy())


@pytest.fixture(autouse=True)
def drop_test_databases() -> Iterator[None]:
    """The PostgreSQL databases a test made are dropped when it ends (its SQLite files go with
    its temporary folder)."""
    yield
    databases.drop_all()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[object]:
    """A real database (a SQLite file, or a PostgreSQL database: see tests/databases.py) with
    the current schema, bound to the models."""
    handle = open_database(databases.url_for(tmp_path, migrated=True))
    migrate(handle)
    yield handle
    handle.close()
    database.initialize(None)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[object]:
    """A SQLite file whatever the suite's backend, for tests of SQLite's own machinery (its
    settings, its title index): those run in both passes, on SQLite."""
    handle = open_database(f"sqlite:///{tmp_path / 'sqlite.db'}")
    migrate(handle)
    yield handle
    handle.close()
    database.initialize(None)


def write_config(
    folder: Path, stations: list[dict], extra: str = "", database: str | None = None
) -> Path:
    """A vault.toml with the given stations, its database beside it (or, on PostgreSQL, the
    folder's own database on the suite's server), or `database` when given."""
    url = database or databases.config_url(folder)
    lines = [extra, f"database = {json.dumps(url)}"]
    for s in stations:
        lines.append("[[stations]]")
        lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in s.items()]
    path = folder / "vault.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def vault_cmd(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "vault", "--config", str(config), *args]


def run_vault(
    config: Path, *args: str, check: bool = True, input: str | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        vault_cmd(config, *args),
        capture_output=True,
        text=True,
        check=check,
        timeout=120,
        input=input,
    )


def add_user(config: Path, username: str, role: str, password: str = PASSWORD) -> None:
    """An account made as an administrator makes one: `vault user add`, password piped in."""
    run_vault(config, "user", "add", username, "--role", role, input=password + "\n")


def form_token(html: str) -> str:
    """The hidden `csrf` field of the first form on a page."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form token"
    return found.group(1)


def signed_in_opener(
    base: str, username: str, password: str = PASSWORD
) -> urllib.request.OpenerDirector:
    """A urllib opener with cookies, signed in through the sign-in form like a browser."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(base + "/signin", timeout=10) as page:
        token = form_token(page.read().decode())
    form = {"csrf": token, "username": username, "password": password, "next": "/"}
    with opener.open(base + "/signin", urllib.parse.urlencode(form).encode(), timeout=30) as r:
        assert "/signin" not in r.url, f"{username} could not sign in"
    return opener


@contextlib.contextmanager
def serving(app: object) -> Iterator[str]:
    """A WSGI app served by waitress on a free port in a thread; yields its base URL."""
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8)
    stop = threading.Event()

    def run() -> None:  # waitress's own loop, with a way out
        while not stop.is_set():
            wasyncore.loop(timeout=0.05, map=server._map, count=1)
        wasyncore.close_all(server._map)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.task_dispatcher.shutdown(timeout=5)  # requests still running finish first
        stop.set()
        thread.join(timeout=5)


class Pty:
    """A pseudo-terminal standing in for a scanner's serial line: tests write the device's bytes
    to the master; the bridge opens the slave's path with pyserial."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        tty.setraw(self.slave)
        self.path = os.ttyname(self.slave)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)


@pytest.fixture
def make_pty() -> Iterator[Callable[[], Pty]]:
    made: list[Pty] = []

    def make() -> Pty:
        made.append(Pty())
        return made[-1]

    yield make
    for p in made:
        p.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check: Callable[[], object], timeout: float = 10.0, what: str = "") -> object:
    """Poll `check` until it returns something truthy; fail with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


class Processes:
    """`vault` subprocesses started by a test, stopped (and their output kept) at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.running: list[tuple[subprocess.Popen, Path]] = []

    def start(self, config: Path, *args: str) -> subprocess.Popen:
        log = self.folder / f"{args[0]}-{len(self.running)}.log"
        with open(log, "wb") as out:  # the child keeps its own copy of the descriptor
            proc = subprocess.Popen(vault_cmd(config, *args), stdout=out, stderr=subprocess.STDOUT)
        self.running.append((proc, log))
        return proc

    def output(self, proc: subprocess.Popen) -> str:
        for p, log in self.running:
            if p is proc:
                return log.read_text(encoding="utf-8", errors="replace")
        raise KeyError(proc)

    def stop_all(self) -> None:
        for proc, _ in self.running:
            if proc.poll() is None:
                proc.terminate()
        for proc, _ in self.running:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    procs = Processes(tmp_path)
    yield procs
    procs.stop_all()
