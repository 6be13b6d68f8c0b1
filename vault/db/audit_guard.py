"""The database's own refusal to change recorded rows (SQLite triggers).

Vault never updates or deletes a custody event or an audit entry, and changes an alarm only to
acknowledge it, once. These triggers make the database refuse anything else, so a mistake or a
casual edit fails loudly; someone who drops the triggers first is caught by `vault audit verify`.
PostgreSQL gets the same rules as trigger functions with the PostgreSQL work.
"""

from __future__ import annotations

from peewee import Database, SqliteDatabase

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
}


def install(db: Database) -> None:
    if not isinstance(db, SqliteDatabase):
        return
    for name, when in TRIGGERS.items():
        db.execute_sql(
            f"CREATE TRIGGER IF NOT EXISTS {name} {when} "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )
