"""Copying the archive's database to one file and back, while Vault runs: the adapter behind
`vault backup` and `vault restore` (vault/commands_backup.py).

SQLite: SQLite's online backup API, page by page, from the connection Vault itself uses, inside
one read transaction. In WAL mode a reader never blocks a writer, so the bridge and the web
server go on recording reads meanwhile; and because the read transaction stays open across the
steps, every step copies the same snapshot (without it, each write by another process would
restart the copy from page one, and steady traffic would keep it from ever finishing).

PostgreSQL: `pg_dump --format=custom` on an exported snapshot of a repeatable-read transaction,
so what the command reads about the copy (schema version, audit head) is what the file holds.
A restore is `pg_restore --clean --if-exists --no-owner --single-transaction`: it drops and
recreates the backup's tables in one transaction, so a damaged file changes nothing.

Either way the copy is written under a temporary name beside its destination, checked, fsynced
and only then renamed: a file with the final name is always a whole, checked copy.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urlparse, urlunparse

from peewee import Database, SqliteDatabase

SQLITE, POSTGRESQL = "SQLite", "PostgreSQL"
SQLITE_MAGIC, PGDUMP_MAGIC = b"SQLite format 3\x00", b"PGDMP"
STEP_PAGES = 256  # pages copied per step of the SQLite backup (1 MB at 4 KB pages)
SCHEMA_TABLE = "schema_version"

T = TypeVar("T")


class BackupError(Exception):
    """A backup could not be made or restored; the message says why and what was left as it was."""


# ---- what kind of database or file ----


def kind_of_url(url: str) -> str:
    return SQLITE if urlparse(url).scheme.startswith("sqlite") else POSTGRESQL


def kind_of_file(path: Path) -> str | None:
    """SQLITE or POSTGRESQL by the file's first bytes, or None for anything else."""
    try:
        with open(path, "rb") as f:
            start = f.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"no backup file at {path}") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder, not a backup file") from None
    if start.startswith(SQLITE_MAGIC):
        return SQLITE
    if start.startswith(PGDUMP_MAGIC):
        return POSTGRESQL
    return None


def describe(url: str) -> str:
    """The database as a person names it, without any password."""
    if kind_of_url(url) == SQLITE:
        return f"the SQLite database {sqlite_path(url)}"
    parts = urlparse(url)
    return f"the PostgreSQL database {parts.path.lstrip('/')} on {parts.hostname or 'localhost'}"


def sqlite_path(url: str) -> Path:
    """The file of a sqlite:/// URL (vault.config has already made it absolute)."""
    path = urlparse(url).path
    return Path(unquote(path[1:] if path.startswith("//") else path))


# ---- writing a file safely ----


def temporary_beside(path: Path, purpose: str) -> Path:
    return path.with_name(f".{path.name}.{purpose}-{os.getpid()}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(temporary: Path, final: Path) -> None:
    """fsync the finished file, rename it to its final name, fsync the folder (so the rename
    itself survives a power cut)."""
    _fsync(temporary)
    os.replace(temporary, final)
    _fsync(final.parent)


def _remove(*paths: Path) -> None:
    for path in paths:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{path}{suffix}").unlink()


# ---- SQLite ----


def _checked_sqlite(path: Path, what: str) -> int:
    """The schema version of the SQLite file at `path`, after SQLite has checked every page."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check(10)")]
            if problems != ["ok"]:
                raise BackupError(f"{what} is damaged: {'; '.join(problems)}")
            row = connection.execute(f"SELECT MAX(version) FROM {SCHEMA_TABLE}").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as e:
        raise BackupError(f"{what} is damaged or not a Vault database: {e}") from None
    if not row or row[0] is None:
        raise BackupError(f"{what} holds no schema version: it is not a Vault archive")
    return int(row[0])


def sqlite_backup(db: SqliteDatabase, target: Path, summarise: Callable[[], T]) -> tuple[int, T]:
    """Copy the live database `db` to `target`; `summarise` runs on `db` in the snapshot copied.
    Returns the schema version of the copy and what `summarise` returned."""
    source = Path(db.database)
    if not source.exists():
        raise BackupError(f"there is no database at {source}: nothing to back up")
    partial = temporary_beside(target, "partial")
    _remove(partial)
    try:
        with db.atomic(lock_type="DEFERRED"):  # a read transaction: one snapshot for every step
            summary = summarise()  # its first read fixes the snapshot
            copy = sqlite3.connect(partial, isolation_level=None)
            try:
                db.connection().backup(copy, pages=STEP_PAGES)
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
            finally:
                copy.close()
        version = _checked_sqlite(partial, "the copy just made")
        _publish(partial, target)
    except BaseException:
        _remove(partial)
        raise
    return version, summary


def sqlite_holds_archive(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    # Read-write, though it only reads: a read-only connection to a WAL database cannot remove
    # the -wal and -shm files it opens when it closes.
    connection = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
    try:
        query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return connection.execute(query, (SCHEMA_TABLE,)).fetchone() is not None
    except sqlite3.DatabaseError:
        return True  # something unreadable is there: only --replace may put it aside
    finally:
        connection.close()


def sqlite_restore(backup: Path, target: Path) -> Path | None:
    """Put the SQLite backup at `target`; returns where the database it replaced was kept
    (`<name>.before-restore`), or None when there was none. A damaged backup changes nothing."""
    _checked_sqlite(backup, f"the backup {backup}")
    incoming = temporary_beside(target, "restoring")
    _remove(incoming)
    try:
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        copy = sqlite3.connect(incoming, isolation_level=None)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
            source.close()
        _checked_sqlite(incoming, "the restored copy")
        _same_owner(incoming, target)
        kept = _set_aside(target)
        _publish(incoming, target)
    except BaseException:
        _remove(incoming)
        raise
    return kept


def _same_owner(incoming: Path, target: Path) -> None:
    """The restored file gets the replaced one's permissions and, where allowed, its owner: a
    restore run as root must not leave a database the `vault` service account cannot write."""
    if not target.exists():
        return
    status = target.stat()
    os.chmod(incoming, status.st_mode & 0o7777)
    with contextlib.suppress(PermissionError):
        os.chown(incoming, status.st_uid, status.st_gid)


def _set_aside(target: Path) -> Path | None:
    """Fold the database's WAL into its file and keep it as `<name>.before-restore`, leaving the
    live name in place until the restored copy is renamed over it.

    Leaving WAL mode needs every other connection closed: if the web server or a bridge still
    has the database open, the restore stops here. (A new file renamed over an open database
    beside its old -wal file would have that WAL replayed into it, the worst of both.)"""
    if not target.exists():
        return None
    connection = sqlite3.connect(target, isolation_level=None, timeout=2)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.OperationalError as e:
        raise BackupError(
            f"{target} is in use ({e}): stop `vault serve` and `vault bridge` before restoring"
        ) from None
    except sqlite3.DatabaseError:
        pass  # not a database at all: kept as it is
    finally:
        connection.close()
    kept = target.with_name(target.name + ".before-restore")
    _remove(kept)
    try:
        os.link(target, kept)  # the old file under a second name; the live name stays meanwhile
    except OSError:
        shutil.copy2(target, kept)
    return kept


# ---- PostgreSQL ----


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A connection URI pg_dump understands, and its environment: the password goes in
    PGPASSWORD, not on a command line that `ps` shows everyone."""
    parts = urlparse(url)
    env = dict(os.environ)
    netloc = parts.netloc
    if parts.password is not None:
        env["PGPASSWORD"] = unquote(parts.password)
        netloc = netloc.replace(f":{parts.password}@", "@", 1)
    return urlunparse(parts._replace(scheme="postgresql", netloc=netloc)), env


def server_major(db: Database) -> int:
    return int(db.execute_sql("SHOW server_version_num").fetchone()[0]) // 10000


def pg_tool(name: str, major: int) -> str:
    """`pg_dump` or `pg_restore` at least as new as the server (an older one refuses to read
    it). Debian installs each version under /usr/lib/postgresql/<major>/bin: the server's own
    version is taken when present, else the newest newer one, else the one on the PATH."""
    installed = {
        int(Path(p).parent.parent.name): p
        for p in glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
        if Path(p).parent.parent.name.isdigit()
    }
    if major in installed:
        return installed[major]
    newer = [installed[v] for v in sorted(installed) if v > major]
    if newer:
        return newer[-1]
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(
            f"{name} is not installed: install Debian's postgresql-client (apt-get install "
            f"postgresql-client), version {major} or newer"
        )
    version = _tool_major(tool)
    if version < major:
        raise BackupError(
            f"{tool} is from PostgreSQL {version}, older than the database server ({major}): "
            f"install postgresql-client-{major}"
        )
    return tool


def _tool_major(tool: str) -> int:
    out = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout
    found = re.search(r"\)\s+(\d+)", out)
    if not found:
        raise BackupError(f"cannot tell the version of {tool}: it printed {out.strip()!r}")
    return int(found.group(1))


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()][-3:]
        raise BackupError(f"{what}: " + " / ".join(lines or [f"exit status {done.returncode}"]))


def postgres_backup(db: Database, url: str, target: Path, summarise: Callable[[], T]) -> T:
    """`pg_dump` the snapshot that `summarise` reads into `target`."""
    tool = pg_tool("pg_dump", server_major(db))
    uri, env = _libpq(url)
    partial = temporary_beside(target, "partial")
    _remove(partial)
    try:
        with db.atomic(lock_type="DEFERRED"):  # a reader: writers do not wait for the dump
            db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            snapshot = db.execute_sql("SELECT pg_export_snapshot()").fetchone()[0]
            summary = summarise()
            dump = [tool, "--format=custom", f"--snapshot={snapshot}", f"--file={partial}", uri]
            _run(dump, env, "pg_dump failed")
        _check_dump(partial, env, "the copy just made")
        _publish(partial, target)
    except BaseException:
        _remove(partial)
        raise
    return summary


def _check_dump(path: Path, env: dict[str, str], what: str, tool: str = "pg_restore") -> None:
    """pg_restore can read the dump's table of contents, and it holds Vault's schema table."""
    done = subprocess.run([tool, "--list", str(path)], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise BackupError(f"{what} is damaged: {done.stderr.strip()}")
    if not re.search(rf"TABLE DATA \S+ {SCHEMA_TABLE} ", done.stdout):
        raise BackupError(f"{what} holds no schema version: it is not a Vault archive")


def postgres_holds_archive(db: Database) -> bool:
    return db.table_exists(SCHEMA_TABLE)


def postgres_restore(db: Database, url: str, backup: Path) -> None:
    """Replace the backup's tables in the database at `url`, in one transaction."""
    tool = pg_tool("pg_restore", server_major(db))
    db.close()  # our own connection must not hold anything the restore drops
    uri, env = _libpq(url)
    _check_dump(backup, env, f"the backup {backup}", tool)
    command = [tool, "--clean", "--if-exists", "--no-owner", "--single-transaction",
               "--exit-on-error", f"--dbname={uri}", str(backup)]  # fmt: skip
    _run(command, env, f"pg_restore refused {backup}; the database was left as it was")
