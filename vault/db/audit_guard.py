"""The database's own refusal to change recorded rows (triggers on SQLite and PostgreSQL).

Vault never updates or deletes a custody event, an audit entry, an approval, a letter, a
destruction or a data release; it changes an alarm only to acknowledge it, once, and a hold only
to lift it, once; a destruction batch is fixed once anyone has approved it, and a stocktake's
expected list and scans once written. These triggers make the database refuse anything else,
so a mistake or a casual edit fails loudly; someone who drops the triggers first is caught by
`vault audit verify`.

PostgreSQL gets the same rules: one plpgsql function raising the same message, called by a
BEFORE trigger per rule with the rule's condition as the trigger's WHEN clause; a condition that
looks at another table (PostgreSQL allows no subquery in WHEN) gets a function of its own that
tests it and lets the row through otherwise.
"""

from __future__ import annotations

from peewee import Database, PostgresqlDatabase, SqliteDatabase

APPEND_ONLY = "the record is append-only: Vault never changes or removes it"
TRIGGERS = {
    "audit_entry_no_update": "BEFORE UPDATE ON audit_entry",
    "audit_entry_no_delete": "BEFORE DELETE ON audit_entry",
    "custody_event_no_update": "BEFORE UPDATE ON custody_event",
    "custody_event_no_delete": "BEFORE DELETE ON custody_event",
    "alarm_no_delete": "BEFORE DELETE ON alarm",
    "alarm_no_rewrite": (
        "BEFORE UPDATE OF at, rule, severity, reason, code, folder_id, station_id, event_id "
        "ON alarm"
    ),
    "alarm_acknowledged_once": (
        "BEFORE UPDATE OF acknowledged_at, acknowledged_by, acknowledged_note ON alarm "
        "WHEN OLD.acknowledged_at IS NOT NULL"
    ),
    "hold_no_delete": "BEFORE DELETE ON hold",
    "hold_no_rewrite": "BEFORE UPDATE OF folder_id, reason, placed_by, placed_at ON hold",
    "hold_lifted_once": (
        "BEFORE UPDATE OF lifted_by, lifted_at, lift_note ON hold WHEN OLD.lifted_at IS NOT NULL"
    ),
    # A batch's folders are fixed once anyone has approved it.
    "destruction_item_fixed_on_delete": (
        "BEFORE DELETE ON destruction_item WHEN EXISTS "
        "(SELECT 1 FROM destruction_approval WHERE batch_id = OLD.batch_id)"
    ),
    "destruction_item_fixed_on_insert": (
        "BEFORE INSERT ON destruction_item WHEN EXISTS "
        "(SELECT 1 FROM destruction_approval WHERE batch_id = NEW.batch_id)"
    ),
    "destruction_batch_fixed": (
        "BEFORE UPDATE ON destruction_batch WHEN EXISTS "
        "(SELECT 1 FROM destruction_approval WHERE batch_id = OLD.id)"
    ),
    "stocktake_expected_frozen_update": "BEFORE UPDATE ON stocktake_expected",
    "stocktake_expected_frozen_delete": "BEFORE DELETE ON stocktake_expected",
    "stocktake_scan_no_update": "BEFORE UPDATE ON stocktake_scan",
    "stocktake_scan_no_delete": "BEFORE DELETE ON stocktake_scan",
}
# Rows written once and never changed: each gets a no-update and a no-delete trigger.
WRITTEN_ONCE = (
    "approval",
    "approval_folder",
    "letter",
    "destruction_approval",
    "destruction",
    "external_release",
)
for _table in WRITTEN_ONCE:
    TRIGGERS[f"{_table}_no_update"] = f"BEFORE UPDATE ON {_table}"
    TRIGGERS[f"{_table}_no_delete"] = f"BEFORE DELETE ON {_table}"


def install(db: Database) -> None:
    """Create the triggers of the tables that exist (each migration calls this again, so a
    table a later version adds gets its triggers when it is created)."""
    if isinstance(db, SqliteDatabase):
        statements = sqlite_statements(set(db.get_tables()))
    elif isinstance(db, PostgresqlDatabase):
        statements = postgres_statements(set(db.get_tables()))
    else:
        return
    for sql in statements:
        db.execute_sql(sql)


def sqlite_statements(tables: set[str]) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {name} {when} "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        for name, when in TRIGGERS.items()
        if _table(when) in tables
    ]


REFUSE = "vault_append_only"  # the PostgreSQL function every unconditional rule calls


def postgres_statements(tables: set[str]) -> list[str]:
    """The same rules as PostgreSQL trigger functions and triggers, safe to run again."""
    statements = [
        f"CREATE OR REPLACE FUNCTION {REFUSE}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$"
    ]
    for name, when in TRIGGERS.items():
        table = _table(when)
        if table not in tables:
            continue
        timing, _, condition = when.partition(" WHEN ")
        call, clause = REFUSE, f" WHEN ({condition})" if condition else ""
        if "SELECT" in condition:  # no subquery in WHEN: the function tests it
            call, clause = f"{name}_check", ""
            statements.append(
                f"CREATE OR REPLACE FUNCTION {call}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN IF {condition} THEN RAISE EXCEPTION '{APPEND_ONLY}'; END IF; "
                "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
            )
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} {timing} FOR EACH ROW{clause} EXECUTE FUNCTION {call}()",
        ]
    return statements


def _table(when: str) -> str:
    return when.split(" ON ", 1)[1].split()[0]
