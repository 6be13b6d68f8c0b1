"""`vault backup FILE` and `vault restore FILE`: one consistent copy of the archive's database,
taken while the bridges and the web server go on writing, and brought back after a loss.

The copying itself is the database's own business (vault/db/backup.py); this module checks
what the administrator asked for, says what was written, and checks the audit record of what
was restored.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vault.config import Config
from vault.db import backup
from vault.db.models import AuditEntry, database
from vault.db.schema import LATEST, current_version
from vault.services import audit
from vault.services.errors import VaultError

RESTORE_HELP = """\
Bring a backup made by `vault backup` back into the configured database.

Stop `vault serve` and every `vault bridge` first: a restore replaces the database under them.
Bridges keep the reads they take meanwhile in their spool and record them once started again.

A database that already holds an archive is replaced only with --replace. SQLite: the backup
is checked, copied beside the database and renamed over it; the database it replaced is kept as
<name>.before-restore. PostgreSQL: pg_restore drops and recreates the backup's tables in one
transaction, so a damaged backup leaves the database as it was (take a `vault backup` of it
first if it may still be wanted). The audit record is verified afterwards: the exit status is
1 when it does not verify."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    back = sub.add_parser(
        "backup",
        help="copy the database to FILE while Vault runs",
        description="Copy the configured database to FILE, consistently, while the bridges and "
        "the web server go on writing (SQLite: the online backup API; PostgreSQL: pg_dump "
        "--format=custom). FILE appears only once the copy is complete and checked.",
    )
    back.add_argument("file", type=Path, help="where the backup goes (replaced if it exists)")
    restore = sub.add_parser(
        "restore",
        help="bring a backup back into the database (stop serve and bridges first)",
        description=RESTORE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    restore.add_argument("file", type=Path, help="a file written by `vault backup`")
    restore.add_argument(
        "--replace", action="store_true", help="replace the archive the database already holds"
    )


@dataclass(frozen=True)
class Summary:
    """What a person notes down about a backup."""

    schema_version: int
    entries: int
    head: tuple[int, str]


def _summarise() -> Summary:
    """Read in the snapshot being copied: the schema version and the audit record's head."""
    version = current_version(database.obj)
    if version == 0:
        raise VaultError("the database holds no Vault archive: there is nothing to back up")
    if not database.obj.table_exists(AuditEntry._meta.table_name):  # before schema version 6
        return Summary(version, 0, audit.head())
    return Summary(version, AuditEntry.select().count(), audit.head())


def cmd_backup(config: Config, args: argparse.Namespace) -> int:
    target = args.file.resolve()
    if target.is_dir():
        raise VaultError(f"{target} is a folder: name the backup file to write")
    if not target.parent.is_dir():
        raise VaultError(f"there is no folder {target.parent} to write the backup in")
    db = database.obj
    try:
        if backup.kind_of_url(config.database) == backup.SQLITE:
            if target == backup.sqlite_path(config.database).resolve():
                raise VaultError("the backup file cannot be the database itself")
            _, summary = backup.sqlite_backup(db, target, _summarise)
        else:
            summary = backup.postgres_backup(db, config.database, target, _summarise)
    except backup.BackupError as e:
        raise VaultError(str(e)) from None
    seq, digest = summary.head
    size = target.stat().st_size
    print(f"wrote {target}: {size:,} bytes ({size / 1e6:.1f} MB), "
          f"{backup.describe(config.database)}")  # fmt: skip
    print(f"schema version {summary.schema_version}, {summary.entries:,} audit entries, "
          f"head entry {seq} {digest}")  # fmt: skip
    print(f"note it down: `vault audit check {seq} {digest}` on a restored copy proves it is this")
    return 0


def cmd_restore(config: Config, args: argparse.Namespace) -> int:
    source = args.file.resolve()
    try:
        _restore(config, source, args.replace)
    except backup.BackupError as e:
        raise VaultError(str(e)) from None
    return _verify_restored()


def _restore(config: Config, source: Path, replace: bool) -> None:
    db, wanted, where = database.obj, backup.kind_of_url(config.database), config.database
    found = backup.kind_of_file(source)
    if found is None:
        raise VaultError(
            f"{source} is not a Vault backup (neither a SQLite database nor a pg_dump file)"
        )
    if found != wanted:
        raise VaultError(
            f"{source} is a {found} backup; this archive's database is {wanted} "
            f"({backup.describe(where)}): restore it into a {found} archive"
        )
    if wanted == backup.SQLITE:
        target = backup.sqlite_path(where)
        holds = backup.sqlite_holds_archive(target)
    else:
        holds = backup.postgres_holds_archive(db)
    if holds and not replace:
        raise VaultError(
            f"{backup.describe(where)} already holds an archive: give --replace to replace it "
            "(stop `vault serve` and `vault bridge` first)"
        )
    db.close()  # reopened on next use: onto the restored file, on SQLite
    if wanted == backup.SQLITE:
        kept = backup.sqlite_restore(source, target)
        if kept is not None:
            print(f"the database it replaced is kept as {kept}")
    else:
        backup.postgres_restore(db, where, source)
    print(f"restored {source} into {backup.describe(where)}")


def _verify_restored() -> int:
    """The restored record checked as `vault audit verify` checks it: 0 when it verifies."""
    version = current_version(database.obj)
    if version != LATEST:
        advice = "run `vault init` to migrate it" if version < LATEST else "use a newer Vault"
        print(f"the restored database is at schema version {version}, this Vault at {LATEST}: "
              f"{advice}, then `vault audit verify`")  # fmt: skip
        return 1
    verdict = audit.verify()
    if not verdict.ok:
        print(f"the restored record does NOT verify: {verdict.problem}")
        return 1
    seq, digest = verdict.head
    print(f"the restored record verifies: {verdict.entries:,} entries, head entry {seq} {digest}")
    return 0


COMMANDS: dict[str, Callable[[Config, argparse.Namespace], int]] = {
    "backup": cmd_backup,
    "restore": cmd_restore,
}
