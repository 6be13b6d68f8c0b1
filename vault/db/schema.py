"""The schema and its version: `vault init` creates it, and migrates an older database in place.

Each migration is a function that takes the database from version N-1 to N inside one
transaction. A database newer than this code is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import Database
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run_migrations

from vault.db import audit_guard, notify, search_index
from vault.db import models as m
from vault.db.models import SchemaVersion


class SchemaError(Exception):
    """The database's schema is missing, old or newer than this version of Vault."""


# Each migration names the tables it creates, so a later model never leaks into an old step.
V1_TABLES = (
    m.SchemaVersion,
    m.Location,
    m.Person,
    m.Folder,
    m.Station,
    m.Letter,  # a request may name a visitor's letter (v7); PostgreSQL needs the table first
    m.Request,
    m.RequestItem,
    m.CustodyEvent,
    m.Alarm,
)


def _v1_create_tables(db: Database) -> None:
    db.create_tables(V1_TABLES)


def _v2_label_prints(db: Database) -> None:
    """Every print of a label is recorded with its generation (reprints void earlier labels)."""
    db.create_tables([m.LabelPrint])


def _v3_station_figures(db: Database) -> None:
    """The bridge reports each station's reads, rejected and lost frames and spool backlog."""
    _add_missing_columns(
        db,
        m.Station,
        ("frames", "reads", "rejected", "lost", "last_read_at", "backlog", "reported_at"),
    )


def _v4_accounts(db: Database) -> None:
    """People sign in to the web pages: accounts, server-side sessions, sign-in attempts and the
    guard-room screen's one-time links."""
    db.create_tables([m.User, m.WebSession, m.SignInAttempt, m.KioskLink])


def _v5_register_search(db: Database) -> None:
    """The register is searched by title (Chinese substrings) and listed by state at a million
    folders: a title index kept in step by triggers, and the B-tree indexes the lists need."""
    search_index.install(db)
    search_index.install_indexes(db)


def _v6_audit_log(db: Database) -> None:
    """Custody events, alarms, acknowledgements and approvals go into a hash-chained log; the
    database refuses to change recorded rows. What an older database holds is recorded first."""
    from vault.services import audit  # the records are built from rows as the services write them

    db.create_tables([m.AuditEntry])
    if not m.AuditEntry.select().exists():
        audit.backfill()
    audit_guard.install(db)


def _v7_archive_rules(db: Database) -> None:
    """The archive's rules as records: visitors' letters, approvals as rows naming folders, the
    closing-time check, stocktakes, holds, destruction batches, data released to outside units;
    who scanned and who witnessed at the desk; each folder's appraisal date."""
    from vault.domain.retention import RetentionUnreadable, appraisal_date
    from vault.services import audit

    db.create_tables(V7_TABLES)
    _add_missing_columns(db, m.Folder, ("appraisal_on",))
    _add_missing_columns(db, m.Request, ("letter", "created_by", "created_at", "withdrawn_at"))
    _add_missing_columns(db, m.CustodyEvent, ("staff", "witness"))
    for folder_id, year, retention in m.Folder.select(
        m.Folder.id, m.Folder.year, m.Folder.retention
    ).tuples():
        try:
            due = appraisal_date(year, retention)
        except RetentionUnreadable:
            due = None  # shown on the appraisal page as unreadable, never guessed
        if due is not None:
            m.Folder.update(appraisal_on=due).where(m.Folder.id == folder_id).execute()
    audit.carry_over_approvals()
    audit_guard.install(db)
    # For the reports and the appraisal page: alarms by time with what the statistics count (a
    # period's alarms counted from the index alone, a day's closing check found in it), and the
    # retention periods written (the few distinct ones are found by seeking through this index,
    # not by reading every folder).
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS alarm_at_rule ON alarm (at, rule, severity, acknowledged_at)"
    )
    db.execute_sql("CREATE INDEX IF NOT EXISTS folder_retention ON folder (retention)")
    # The alarm history by rule, newest first: the rule's alarms in id order, read backwards
    # (without it, a rarer rule's page reads through every alarm of the commoner ones).
    db.execute_sql("CREATE INDEX IF NOT EXISTS alarm_rule ON alarm (rule)")


V7_TABLES = (
    m.Letter,
    m.Approval,
    m.ApprovalFolder,
    m.ClosingRun,
    m.Stocktake,
    m.StocktakeExpected,
    m.StocktakeScan,
    m.StocktakeNote,
    m.StocktakeResult,
    m.StocktakeTally,
    m.Hold,
    m.DestructionBatch,
    m.DestructionItem,
    m.DestructionApproval,
    m.Destruction,
    m.ExternalRelease,
)


def _add_missing_columns(db: Database, model: type, names: tuple[str, ...]) -> None:
    """Add columns an older database lacks; a table created by a newer step already has them
    (tables are always created from today's models)."""
    table = model._meta.table_name
    present = {c.name for c in db.get_columns(table)}
    migrator = SchemaMigrator.from_database(db)
    steps = [
        migrator.add_column(table, name, model._meta.fields[name])
        for name in names
        if name not in present
    ]
    if steps:
        run_migrations(*steps)


MIGRATIONS: tuple[Callable[[Database], None], ...] = (
    _v1_create_tables,
    _v2_label_prints,
    _v3_station_figures,
    _v4_accounts,
    _v5_register_search,
    _v6_audit_log,
    _v7_archive_rules,
)
LATEST = len(MIGRATIONS)


def current_version(db: Database) -> int:
    if not db.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select().first()
    return row.version if row else 0


def migrate(db: Database) -> tuple[int, int]:
    """Bring the schema to the latest version; return (version before, version after)."""
    before = current_version(db)
    if before > LATEST:
        raise SchemaError(
            f"the database is at schema version {before}, newer than this Vault ({LATEST})"
        )
    for version in range(before + 1, LATEST + 1):
        with db.atomic():
            MIGRATIONS[version - 1](db)
            SchemaVersion.delete().execute()
            SchemaVersion.create(version=version)
    with db.atomic():
        notify.install(db)  # PostgreSQL's live-news triggers, whatever version they came in
    return before, LATEST


def require_current(db: Database) -> None:
    """Refuse to work on a database that `vault init` has not brought up to date."""
    version = current_version(db)
    if version == 0:
        raise SchemaError("the database has no Vault schema yet: run `vault init`")
    if version != LATEST:
        raise SchemaError(
            f"the database is at schema version {version}, this Vault needs {LATEST}: "
            "run `vault init` to migrate it"
        )
