"""A PostgreSQL server of the tests' own: Debian's `postgresql` binaries, a fresh cluster in a
temporary folder, listening on loopback only, started and stopped by the tests themselves.

Run as root (CI), the server runs as the `postgres` account that Debian's package creates,
because PostgreSQL refuses to run as root; run as anyone else, it runs as that person. The
postmaster is started directly (not through pg_ctl) in a session of its own, so `kill()` can
SIGKILL the postmaster and every backend at once, as a crash of the database machine would.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2


class PostgresMissing(RuntimeError):
    """Debian's PostgreSQL server binaries are not installed."""


def server_binaries() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin holding `postgres` and `initdb`."""
    found = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/postgres")),
        key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0,
    )
    if not found:
        raise PostgresMissing(
            "no PostgreSQL server in /usr/lib/postgresql: install Debian's postgresql package "
            "(scripts/setup.sh test does)"
        )
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """One cluster: `start()` (initdb the first time), `kill()`, `stop()`, `remove()`.

    `durable=False` turns fsync off, for the ordinary suite: killing the server process loses
    nothing either way (the operating system keeps what was written), only a power cut would.
    The crash tests use `durable=True`, the production setting."""

    def __init__(self, folder: Path | None = None, *, durable: bool = False) -> None:
        self.bin = server_binaries()
        self.folder = Path(folder or tempfile.mkdtemp(prefix="vault-postgres-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = _free_port()
        self.durable = durable
        self.process: subprocess.Popen | None = None
        self.as_root = os.geteuid() == 0

    # ---- running the binaries as the right account ----

    def _command(self, *args: str) -> list[str]:
        if not self.as_root:
            return list(args)
        return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", *args]

    def _give_away(self, path: Path) -> None:
        if self.as_root:
            account = pwd.getpwnam("postgres")
            os.chown(path, account.pw_uid, account.pw_gid)

    def _initdb(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o755)
        self._give_away(self.folder)
        subprocess.run(
            self._command(
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ),
            check=True,
            capture_output=True,
            cwd=self.folder,
        )

    # ---- life cycle ----

    def start(self, timeout: float = 30) -> PostgresServer:
        if not (self.data / "PG_VERSION").exists():
            self._initdb()
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.folder),
            "max_connections": "300",
            "fsync": "on" if self.durable else "off",
            "synchronous_commit": "on" if self.durable else "off",
            "full_page_writes": "on" if self.durable else "off",
        }
        args = [str(self.bin / "postgres"), "-D", str(self.data)]
        for key, value in settings.items():
            args += ["-c", f"{key}={value}"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                self._command(*args),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=self.folder,
            )
        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg2.connect(self.url("postgres"), connect_timeout=2).close()
                return self
            except psycopg2.OperationalError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "the test PostgreSQL server did not start:\n"
                        + self.log.read_text(errors="replace")[-3000:]
                    ) from None
                time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the postmaster and every backend, with no chance to shut down."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None
        # Backends outside the process group (none expected) would keep the shared memory.
        deadline = time.monotonic() + 10
        while (self.data / "postmaster.pid").exists() and time.monotonic() < deadline:
            pid_line = (self.data / "postmaster.pid").read_text().split("\n", 1)[0]
            if not pid_line.isdigit() or not Path(f"/proc/{pid_line}").exists():
                break
            time.sleep(0.05)

    def stop(self) -> None:
        """A fast shutdown: sessions are ended, and everything committed is on disk."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    # ---- databases ----

    def url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def admin(self):
        """An autocommit connection to the maintenance database, for CREATE/DROP DATABASE."""
        connection = psycopg2.connect(self.url("postgres"))
        connection.autocommit = True
        return connection

    def create_database(self, name: str, template: str = "template0") -> str:
        with contextlib.closing(self.admin()) as c, c.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with contextlib.closing(self.admin()) as c, c.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
