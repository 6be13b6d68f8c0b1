"""`vault bridge`: the station loops of `firmware_bridge`, wired to the custody service.

The read path: device bytes -> protocol driver (`firmware_bridge.protocols`) -> StationLoop
(repeats collapsed) -> `Bridge.store` here (portal passages worked out) -> the spool on local
disk (fsynced; only now is the device answered) -> `Bridge.forward` -> `record_read` ->
`vault.domain.rules.decide` -> event and alarms in the database -> the alarm board.

The spool entry's id is the custody event's id, so a read forwarded twice (the bridge was
killed between the database commit and the spool checkpoint) is stored once. While the
database is locked or unreachable, reads wait in the spool and go in, in order, when it is back.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time

from peewee import InterfaceError, OperationalError

from firmware_bridge.health import StationHealth
from firmware_bridge.portal import Portal
from firmware_bridge.spool import Spool, SpoolEntry, SpoolRecord
from firmware_bridge.station import StationRead, run_stations, utc_now
from vault.config import Config
from vault.db.models import database
from vault.db.schema import SchemaError, require_current
from vault.domain.model import Read, StationKind
from vault.services import stations as station_service
from vault.services.closing_watch import start_watch
from vault.services.custody import record_read

log = logging.getLogger("vault.bridge")
RETRY_MAX = 5.0
BATCH = 200  # reads forwarded per database transaction
FIGURES_EVERY = 1.0  # seconds between station figures written to the database
PORTAL_OUT, PORTAL_IN = "portal_out", "portal_in"
UNDELIVERABLE = "undeliverable.jsonl"  # reads the database refused for a reason other than load
# The database is busy, down or restarting, or has cut this thread's connection: worth waiting
# for, unlike a fault in a read. psycopg2 says OperationalError when the server goes away, and
# InterfaceError ("connection already closed") on every later use of that connection.
UNREACHABLE = (OperationalError, InterfaceError)


class Bridge:
    def __init__(self, config: Config, stop: threading.Event) -> None:
        if config.bridge is None:
            raise ValueError("the configuration has no bridge settings")
        self.config = config
        self.stop = stop
        self.kinds = {s.id: s.kind for s in config.stations}
        self.kinds.update({p.id: p.kind for p in config.portals})
        self.spool = Spool(config.bridge.spool)
        now = time.monotonic()
        self.health = {s.id: StationHealth(s.id, s.heartbeat, now) for s in config.stations}
        self.portals: dict[str, Portal] = {}
        for p in config.portals:
            portal = Portal(p.id, p.inside, p.outside, p.window)
            self.portals[p.inside] = self.portals[p.outside] = portal
        self._portal_lock = threading.Lock()
        # The forwarder starts each batch right after the last; without taking turns in Python,
        # the monitor's few writes could keep losing SQLite's write lock and arrive seconds late.
        self._db_turn = threading.Lock()

    def start(self) -> list[threading.Thread]:
        self._registered = self._register()
        threads = run_stations(
            self.config.stations,
            self.store,
            report_status,
            self.stop,
            self.health,
            self.spool.last_raw,
        )
        for target, name in ((self.forward, "forwarder"), (self.monitor, "monitor")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            threads.append(thread)
        start_watch(self.config, self.stop)  # the day's closing check, once closing time comes
        return threads

    def store(self, reads: list[StationRead]) -> None:
        """Called by a station thread: the reads, and any portal passages, onto the disk."""
        records = [SpoolRecord(r.station_id, r.code, r.raw, r.at, r.tag) for r in reads]
        records += self._passages(reads)
        self.spool.append(records)

    def _passages(self, reads: list[StationRead]) -> list[SpoolRecord]:
        out: list[SpoolRecord] = []
        now = time.monotonic()
        with self._portal_lock:
            for r in reads:
                portal = self.portals.get(r.station_id)
                passage = None if portal is None else portal.observe(r.station_id, r.code, now)
                if passage is not None:
                    kind = PORTAL_OUT if passage.direction == "out" else PORTAL_IN
                    out.append(SpoolRecord(portal.name, r.code, r.raw, r.at, r.tag, kind))
        return out

    def forward(self) -> None:
        """The forwarder thread: spool -> database, in order, exactly once per event id."""
        delay = 0.1
        while not self.stop.is_set():
            if not self._registered:  # the database was down when the bridge started
                self._registered = self._register()
                if not self._registered:
                    self.stop.wait(delay)
                    delay = min(delay * 2, RETRY_MAX)
                    continue
            if not self.spool.wait(0.5):
                continue
            entries = self.spool.pending(BATCH)
            try:
                with self._db_turn:
                    self._record_batch(entries)
            except UNREACHABLE as e:
                log.warning("database busy or unreachable (%s); %d read(s) wait", e, len(entries))
                reconnect_later()
                self.stop.wait(delay)
                delay = min(delay * 2, RETRY_MAX)
                continue
            delay = 0.1
            self.spool.forwarded(entries)

    def _register(self) -> bool:
        """Check the schema and register this computer's stations; False while the database
        does not answer (the reads wait in the spool). A wrong schema is logged and waited out
        too: reads must not go into a database `vault init` has not brought up to date."""
        try:
            with self._db_turn:
                require_current(database.obj)
                station_service.sync_stations(self.config.stations, self.config.portals)
            return True
        except UNREACHABLE as e:
            log.warning("database unreachable (%s); reads wait in the spool", e)
            reconnect_later()
        except SchemaError as e:
            log.error("%s; reads wait in the spool", e)
        return False

    def _record_batch(self, entries: list[SpoolEntry]) -> None:
        """One transaction for the batch; if a read cannot be recorded at all (not a busy
        database: a fault in the read or the register), record the others one by one and set
        that read aside in a file beside the spool, so it neither blocks the line nor is lost."""
        try:
            with database.atomic():
                for entry in entries:
                    self._record(entry)
            return
        except UNREACHABLE:
            raise
        except Exception:  # noqa: BLE001 - find the read at fault below
            log.exception("a batch of %d read(s) failed; recording them one by one", len(entries))
        for entry in entries:
            try:
                with database.atomic():
                    self._record(entry)
            except UNREACHABLE:
                raise
            except Exception as error:  # noqa: BLE001
                self._set_aside(entry, error)

    def _set_aside(self, entry: SpoolEntry, error: Exception) -> None:
        r = entry.record
        line = {
            "event_id": entry.id,
            "station": r.station,
            "code": r.code,
            "raw": r.raw.hex(),
            "at": r.at.isoformat(),
            "tag": r.tag,
            "kind": r.kind,
            "error": repr(error),
        }
        path = self.config.bridge.spool / UNDELIVERABLE
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        log.error(
            "read %s at %s could not be recorded (%s); kept in %s", r.code, r.station, error, path
        )

    def _record(self, entry: SpoolEntry) -> None:
        r = entry.record
        kind = self.kinds.get(r.station, StationKind.HANDHELD)
        read = Read(r.station, kind, r.code, r.at, r.raw, tag=r.tag, inbound=r.kind == PORTAL_IN)
        recorded = record_read(read, entry.id)
        if recorded.alarm_ids:
            log.info(
                "station %s: %s -> %s, alarm(s) %s",
                r.station,
                r.code,
                recorded.event_kind,
                list(recorded.alarm_ids),
            )

    def monitor(self) -> None:
        """Offline alarms as stations fall silent or come back; figures for `bridge status`."""
        # What the database knows, station id -> offline; "offline" at first, so a station that
        # answers clears an alarm a previous run of the bridge left open.
        recorded = dict.fromkeys(self.health, True)
        while not self.stop.wait(FIGURES_EVERY):
            now, at = time.monotonic(), utc_now()
            for health in self.health.values():
                health.check(now)
            with self._portal_lock:  # lone sightings were recorded as reads at their reader
                for portal in set(self.portals.values()):
                    portal.expired(now)
            snapshots = [h.snapshot() for h in self.health.values()]
            try:
                with self._db_turn:
                    for snap in snapshots:
                        if recorded.get(snap.station, False) != snap.offline:
                            self._offline_changed(snap.station, snap.offline, snap.detail, at)
                            recorded[snap.station] = snap.offline
                    station_service.report_figures(map(vars, snapshots), self.spool.backlog)
            except UNREACHABLE as e:
                log.warning("could not record station health (will retry): %s", e)
                reconnect_later()

    @staticmethod
    def _offline_changed(station: str, offline: bool, detail: str, at) -> None:
        if offline:
            log.error("station %s offline: %s", station, detail)
            station_service.station_offline(station, detail, at)
        else:
            log.info("station %s answering", station)
            station_service.station_online(station, at)

    def close(self) -> None:
        self.spool.close()


def report_status(station_id: str, status: str, detail: str) -> None:
    try:
        station_service.set_status(station_id, status, detail)
    except UNREACHABLE as e:
        log.warning("station %s: could not record status %s: %s", station_id, status, e)
        reconnect_later()


def reconnect_later() -> None:
    """Close this thread's connection, so its next query opens a new one. peewee keeps a
    thread's connection until told to close it, so after the database server restarts the old
    one would fail every query for as long as the bridge runs. Closing a dead connection may
    raise too; peewee forgets it either way. A batch whose commit went through but whose answer
    was lost is simply sent again: its event ids are stored already, so nothing is doubled."""
    with contextlib.suppress(Exception):
        database.close()
