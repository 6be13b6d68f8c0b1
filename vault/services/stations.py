"""Stations as the database knows them: the configured list, and each one's live status."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from peewee import fn

from vault.config import PortalConfig, StationConfig
from vault.db.models import Alarm, Station, database
from vault.domain.model import AlarmRule, Severity
from vault.services import audit
from vault.services.clock import shown, utcnow

BRIDGE = "vault bridge"  # who clears an offline alarm when the station answers again


def sync_stations(stations: Iterable[StationConfig], portals: Iterable[PortalConfig] = ()) -> None:
    """Make the station table match the configuration (stations are never deleted: events
    refer to them). A portal is a station too: its passages are the reads alarms name."""
    rows = [(s.id, s.kind.value, s.port, s.protocol) for s in stations]
    rows += [(p.id, p.kind.value, f"{p.inside} -> {p.outside}", "portal") for p in portals]
    with database.atomic():
        for sid, kind, port, protocol in rows:
            Station.insert(id=sid, kind=kind, port=port, protocol=protocol).on_conflict(
                conflict_target=[Station.id],
                update={Station.kind: kind, Station.port: port, Station.protocol: protocol},
            ).execute()


def report_figures(figures: Iterable[dict], backlog: int) -> None:
    """Store the bridge's per-station figures (reads, rejected, lost, last read, status)."""
    now = utcnow()
    with database.atomic():
        for f in figures:
            Station.update(
                frames=f["frames"],
                reads=f["reads"],
                rejected=f["rejected"],
                lost=f["lost"],
                last_read_at=f["last_read_at"],
                backlog=backlog,
                reported_at=now,
            ).where(Station.id == f["station"]).execute()


def station_offline(station_id: str, reason: str, at: datetime) -> int | None:
    """Raise the station's "station offline" alarm unless one is already open."""
    with database.atomic():
        if _open_offline_alarm(station_id) is not None:
            return None
        Station.update(status="offline", status_detail=reason, status_at=at).where(
            Station.id == station_id
        ).execute()
        alarm = Alarm.create(
            at=at,
            rule=AlarmRule.STATION_OFFLINE.value,
            severity=Severity.CRITICAL.value,
            reason=f"station {station_id} is offline: {reason}; folders passing it are not seen",
            code=station_id,
            station=station_id,
        )
        audit.record_alarm(alarm)
        return alarm.id


def station_online(station_id: str, at: datetime) -> None:
    """Clear the open offline alarm: the station answered again (the alarm stays in history)."""
    with database.atomic():
        alarm = _open_offline_alarm(station_id)
        if alarm is None:
            return
        Alarm.update(
            acknowledged_at=at,
            acknowledged_by=BRIDGE,
            acknowledged_note=f"station {station_id} answered again",
        ).where(Alarm.id == alarm.id).execute()
        audit.record_ack(alarm.id)
        Station.update(status="connected", status_detail="answering again", status_at=at).where(
            Station.id == station_id
        ).execute()


def _open_offline_alarm(station_id: str) -> Alarm | None:
    return Alarm.get_or_none(
        Alarm.station == station_id,
        Alarm.rule == AlarmRule.STATION_OFFLINE.value,
        Alarm.acknowledged_at.is_null(),
    )


def set_status(station_id: str, status: str, detail: str = "") -> None:
    with database.atomic():
        Station.update(status=status, status_detail=detail, status_at=utcnow()).where(
            Station.id == station_id
        ).execute()


def station_statuses() -> list[dict]:
    return [
        {
            "id": s.id,
            "kind": s.kind,
            "port": s.port,
            "protocol": s.protocol,
            "status": s.status,
            "detail": s.status_detail,
            "status_at": shown(s.status_at),
            "frames": s.frames,
            "reads": s.reads,
            "rejected": s.rejected,
            "lost": s.lost,
            "last_read_at": shown(s.last_read_at),
            "backlog": s.backlog,
            "reported_at": shown(s.reported_at),
        }
        for s in Station.select().order_by(Station.id)
    ]


def status_version() -> str:
    """Changes whenever any station's status changes."""
    newest = Station.select(fn.MAX(Station.status_at)).scalar()
    return str(newest)
