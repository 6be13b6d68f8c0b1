"""Live news between computers on PostgreSQL: LISTEN/NOTIFY.

A bridge on a door computer records an alarm; the web server in the machine room must push it
to every open board at once. SQLite cannot tell another process anything, so there the live
pages look for news every 100 ms (vault.web.streams). On PostgreSQL, triggers on the tables the
live pages show send a notification on one channel when a transaction that changed them
commits, and one `Listener` thread in the web server hears it and wakes every stream, which
then reads what changed as before. The notification carries no data: the database stays the
one source of truth, and a notification missed while the listener reconnects costs nothing but
the wait for the streams' own once-a-second look.
"""

from __future__ import annotations

import logging
import select
import threading
from collections.abc import Callable

from peewee import Database, PostgresqlDatabase

log = logging.getLogger(__name__)

CHANNEL = "vault_news"
TABLES = ("alarm", "station", "custody_event")  # the board, station health, the desk's scans
FUNCTION = "vault_notify_news"


def statements(tables: set[str]) -> list[str]:
    """The trigger function and one statement-level trigger per table (safe to run again).
    PostgreSQL folds identical notifications of one transaction into one."""
    out = [
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$"
    ]
    for table in TABLES:
        if table in tables:
            out += [
                f"DROP TRIGGER IF EXISTS {table}_news ON {table}",
                f"CREATE TRIGGER {table}_news AFTER INSERT OR UPDATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
            ]
    return out


def install(db: Database) -> None:
    """Create the news triggers on PostgreSQL (called by every `vault init`); nothing on SQLite."""
    if isinstance(db, PostgresqlDatabase):
        for sql in statements(set(db.get_tables())):
            db.execute_sql(sql)


def can_listen(db: Database) -> bool:
    return isinstance(db, PostgresqlDatabase)


class Listener(threading.Thread):
    """Holds one connection of its own with LISTEN on the channel and calls `on_news` for every
    notification. `live` says whether it is listening now: while the database is unreachable
    it is not, and the streams fall back to looking for news themselves."""

    def __init__(
        self, db: PostgresqlDatabase, on_news: Callable[[], None], stop: threading.Event
    ) -> None:
        super().__init__(name="news-listener", daemon=True)
        self.db, self.on_news, self.stop = db, on_news, stop
        self.live = False

    def run(self) -> None:
        delay = 0.5
        while not self.stop.is_set():
            try:
                self._listen()
            except Exception as e:  # noqa: BLE001 - any connection trouble: reconnect
                if self.live:
                    log.warning("lost the database's notifications (%s); reconnecting", e)
                self.live = False
                self.stop.wait(delay)
                delay = min(delay * 2, 5.0)
            else:
                delay = 0.5

    def _listen(self) -> None:
        import psycopg2

        connection = psycopg2.connect(dbname=self.db.database, **self.db.connect_params)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f"LISTEN {CHANNEL}")
            self.live = True
            self.on_news()  # whatever happened while not listening
            while not self.stop.is_set():
                if select.select([connection], [], [], 1.0)[0]:
                    connection.poll()
                    if connection.notifies:
                        connection.notifies.clear()
                        self.on_news()
                else:  # a quiet second: make sure the connection is still alive
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT 1")
        finally:
            self.live = False
            connection.close()


def start_listener(
    db: Database, on_news: Callable[[], None], stop: threading.Event
) -> Listener | None:
    """Start listening when the database can tell (PostgreSQL); None on SQLite."""
    if not can_listen(db):
        return None
    listener = Listener(db, on_news, stop)
    listener.start()
    return listener
