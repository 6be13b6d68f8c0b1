"""`vault bridge`: the station loops of `firmware_bridge`, wired to the custody service.

The read path: device bytes -> protocol driver -> StationLoop -> `handle_read` here ->
`vault.services.custody.record_read` -> `vault.domain.rules.decide` -> event and alarms in the
database -> the alarm board.
"""

from __future__ import annotations

import logging
import threading
import uuid

from peewee import OperationalError

from firmware_bridge.station import StationRead, run_stations
from vault.config import Config
from vault.domain.model import Read
from vault.services import stations as station_service
from vault.services.custody import record_read

log = logging.getLogger("vault.bridge")
RETRY_MAX = 5.0


class ReadRecorder:
    """Turns each station read into a domain read and stores it, waiting out a busy database."""

    def __init__(self, config: Config, stop: threading.Event) -> None:
        self.kinds = {s.id: s.kind for s in config.stations}
        self.stop = stop

    def __call__(self, sread: StationRead) -> None:
        read = Read(sread.station_id, self.kinds[sread.station_id], sread.code, sread.at, sread.raw)
        event_id = str(uuid.uuid4())
        delay = 0.1
        while True:
            try:
                recorded = record_read(read, event_id)
                break
            except OperationalError as e:
                # Locked or unreachable: keep the read and try again; the device can wait.
                log.warning("station %s: database busy (%s); retrying", read.station_id, e)
                if self.stop.wait(delay):
                    log.error("stopping with read %s at %s unrecorded", read.code, read.station_id)
                    return
                delay = min(delay * 2, RETRY_MAX)
        alarms = f", alarm(s) {list(recorded.alarm_ids)}" if recorded.alarm_ids else ""
        log.info("station %s: %s -> %s%s", read.station_id, read.code, recorded.event_kind, alarms)


def report_status(station_id: str, status: str, detail: str) -> None:
    try:
        station_service.set_status(station_id, status, detail)
    except OperationalError as e:
        log.warning("station %s: could not record status %s: %s", station_id, status, e)


def start_bridge(config: Config, stop: threading.Event) -> list[threading.Thread]:
    station_service.sync_stations(config.stations)
    return run_stations(config.stations, ReadRecorder(config, stop), report_status, stop)
