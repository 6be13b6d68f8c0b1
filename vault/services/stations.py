"""Stations as the database knows them: the configured list, and each one's live status."""

from __future__ import annotations

from collections.abc import Iterable

from peewee import fn

from vault.config import StationConfig
from vault.db.models import Station, database
from vault.services.clock import utcnow


def sync_stations(stations: Iterable[StationConfig]) -> None:
    """Make the station table match the configuration (stations are never deleted: events
    refer to them)."""
    with database.atomic():
        for s in stations:
            Station.insert(
                id=s.id, kind=s.kind.value, port=s.port, protocol=s.protocol
            ).on_conflict(
                conflict_target=[Station.id],
                update={
                    Station.kind: s.kind.value,
                    Station.port: s.port,
                    Station.protocol: s.protocol,
                },
            ).execute()


def set_status(station_id: str, status: str, detail: str = "") -> None:
    with database.atomic():
        Station.update(status=status, status_detail=detail, status_at=utcnow()).where(
            Station.id == station_id
        ).execute()


def station_statuses() -> list[dict]:
    return [
        {"id": s.id, "kind": s.kind, "port": s.port, "status": s.status, "detail": s.status_detail}
        for s in Station.select().order_by(Station.id)
    ]


def status_version() -> str:
    """Changes whenever any station's status changes."""
    newest = Station.select(fn.MAX(Station.status_at)).scalar()
    return str(newest)
