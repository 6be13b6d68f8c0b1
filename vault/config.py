"""Configuration: one TOML file, loaded once into typed values and passed to whoever needs it.

The file is found in this order: `--config FILE`, then `$VAULT_CONFIG`, then `./vault.toml`.
No other module reads the environment or the file on its own.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from firmware_bridge.protocols import PROTOCOLS, make_protocol
from vault.domain.approvals import Duty, Policy, Requirement
from vault.domain.model import Classification, StationKind

DEFAULT_FILE = "vault.toml"


class ConfigError(Exception):
    """The configuration file is missing or says something Vault cannot use."""


@dataclass(frozen=True)
class StationConfig:
    id: str
    kind: StationKind
    port: str
    baud: int = 9600
    protocol: str = "line"
    options: dict = field(default_factory=dict)  # the protocol driver's settings
    heartbeat: float = 0.0  # seconds of silence before "station offline"; 0: never silent-checked
    repeat_window: float = 2.0  # an RFID tag seen again within this many seconds is one pass


@dataclass(frozen=True)
class PortalConfig:
    """Two readers in one doorway: the order they see a tag in tells which way it went."""

    id: str  # the name alarms and events give the doorway
    kind: StationKind  # what passing it means: reading_exit (default) or warehouse_door
    inside: str  # station id of the reader on the inside (reading room / warehouse) side
    outside: str
    window: float = 5.0  # seconds between the two readers' sightings of one passage


@dataclass(frozen=True)
class BridgeConfig:
    spool: Path  # the bridge's local spool of reads not yet in the database


@dataclass(frozen=True)
class LabelsConfig:
    """The `[labels]` table: which stock and printer the archive prints its labels on."""

    stock: str = "L7160"  # a published stock name or the name of one of `stocks`
    dpi: int = 300  # office printer resolution for sheet PDFs
    offset_mm: tuple[float, float] = (0.0, 0.0)  # printer calibration: x right, y down
    printer: str = ""  # thermal printer: tcp://host:9100 or serial:///dev/ttyUSB0?baud=9600
    thermal_dpi: int = 203
    thermal_size_mm: tuple[float, float] = (70.0, 40.0)  # width, height of the thermal label
    rfid: bool = False  # the thermal printer has an RFID encoder: write the tag in the same pass
    stocks: tuple[dict, ...] = ()  # user-defined sheet stocks, checked when labels are printed


@dataclass(frozen=True)
class WebConfig:
    """The `[web]` table."""

    secure_cookies: bool = False  # the site is served over HTTPS: cookies go over HTTPS only


@dataclass(frozen=True)
class Config:
    path: Path
    database: str
    stations: tuple[StationConfig, ...] = field(default_factory=tuple)
    site_name: str = "Vault"
    gs1_company_prefix: str = ""  # the archive's GS1 company prefix, for RFID tag identities
    labels: LabelsConfig = field(default_factory=LabelsConfig)
    portals: tuple[PortalConfig, ...] = ()
    bridge: BridgeConfig | None = None
    web: WebConfig = field(default_factory=WebConfig)
    timezone: str = ""  # IANA name of the site's zone, e.g. "Asia/Shanghai"; "": the machine's
    opening_time: str = ""  # "HH:MM", the archive's opening hours; "": not set
    closing_time: str = ""  # "HH:MM"; folders not back in the warehouse then are alarmed
    approvals: Policy = field(default_factory=Policy)  # [approvals]: who approves what

    @property
    def zone(self) -> ZoneInfo | None:
        """The site's time zone (None: the machine's local zone)."""
        return ZoneInfo(self.timezone) if self.timezone else None

    def station(self, station_id: str) -> StationConfig:
        for station in self.stations:
            if station.id == station_id:
                return station
        raise ConfigError(f"no station {station_id!r} in {self.path}")


def locate(explicit: str | None, environ: dict[str, str]) -> Path:
    """Which configuration file to read."""
    if explicit:
        return Path(explicit)
    if environ.get("VAULT_CONFIG"):
        return Path(environ["VAULT_CONFIG"])
    return Path(DEFAULT_FILE)


def load(path: Path) -> Config:
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(
            f"no configuration file at {path}: create it, or name one with --config FILE "
            "or VAULT_CONFIG"
        ) from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None
    return parse(data, path)


def parse(data: dict, path: Path) -> Config:
    base = path.resolve().parent
    database = data.get("database") or f"sqlite:///{base / 'vault.db'}"
    if not isinstance(database, str) or "://" not in database:
        raise ConfigError(f"{path}: database must be a database URL such as sqlite:///vault.db")
    database = _resolve_sqlite(database, base)
    stations = tuple(_station(s, i, path, base) for i, s in enumerate(data.get("stations", [])))
    portals = tuple(_portal(p, i, path, stations) for i, p in enumerate(data.get("portals", [])))
    ids = [s.id for s in stations] + [p.id for p in portals]
    if len(ids) != len(set(ids)):
        raise ConfigError(f"{path}: station and portal ids must be unique, got {ids}")
    site = data.get("site_name", "Vault")
    prefix = str(data.get("gs1_company_prefix", ""))
    if prefix and not (prefix.isdigit() and 6 <= len(prefix) <= 12):
        raise ConfigError(f"{path}: gs1_company_prefix must be 6 to 12 digits, got {prefix!r}")
    return Config(
        path=path,
        database=database,
        stations=stations,
        site_name=str(site),
        gs1_company_prefix=prefix,
        labels=_labels(data.get("labels", {}), path),
        portals=portals,
        bridge=_bridge(data.get("bridge", {}), path, base),
        web=_web(data.get("web", {}), path),
        timezone=_timezone(data.get("timezone", ""), path),
        opening_time=_clock_time(data, "opening_time", path),
        closing_time=_clock_time(data, "closing_time", path),
        approvals=_approvals(data.get("approvals", {}), path),
    )


_LEVELS = {c.value: c for c in Classification}
_APPROVAL_KEYS = {*_LEVELS, "visitors", "second_person", "heads", "leading_group",
                  "destruction_approvers"}  # fmt: skip


def _approvals(raw: object, path: Path) -> Policy:
    """The `[approvals]` table: per classification (and for visitors) how many approvers and in
    what capacity, `confidential = 1` or `top_secret = { approvers = 1, duty = "head" }` (0: no
    approval needed); who the heads of the unit and the archives leading group are (usernames);
    the levels issued only with a second member of staff; approvers a destruction needs."""
    where = f"{path}: [approvals]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table")
    unknown = sorted(set(raw) - _APPROVAL_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(unknown)}")
    default = Policy()
    levels = dict(default.levels)
    for name, level in _LEVELS.items():
        if name in raw:
            levels[level] = _requirement(raw[name], f"{where} {name}")
            if not levels[level].approvers:
                del levels[level]
    visitors = default.visitors
    if "visitors" in raw:
        visitors = _requirement(raw["visitors"], f"{where} visitors")
    second = _names(raw, "second_person", where)
    bad = sorted(set(second) - set(_LEVELS))
    if bad:
        raise ConfigError(f"{where}: second_person names unknown level(s) {', '.join(bad)}")
    count = raw.get("destruction_approvers", default.destruction_approvers)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ConfigError(f"{where}: destruction_approvers must be a whole number, 1 or more")
    policy = Policy(
        levels=levels,
        visitors=visitors,
        second_person=frozenset(_LEVELS[n] for n in second),
        heads=frozenset(_names(raw, "heads", where)),
        leading_group=frozenset(_names(raw, "leading_group", where)),
        destruction_approvers=count,
    )
    if policy.leading_group and len(policy.leading_group) < count:
        raise ConfigError(
            f"{where}: leading_group names {len(policy.leading_group)} people but a destruction "
            f"needs {count} approvers"
        )
    return policy


def _requirement(raw: object, where: str) -> Requirement:
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = {"approvers": raw}
    if not isinstance(raw, dict) or set(raw) - {"approvers", "duty"}:
        raise ConfigError(
            f'{where} must be a number of approvers or {{ approvers = 1, duty = "head" }}'
        )
    approvers = raw.get("approvers", 1)
    if isinstance(approvers, bool) or not isinstance(approvers, int) or approvers < 0:
        raise ConfigError(f"{where}: approvers must be a whole number, 0 or more")
    try:
        duty = Duty(raw.get("duty", Duty.LEADER.value))
    except ValueError:
        raise ConfigError(f'{where}: duty must be "leader" or "head"') from None
    return Requirement(approvers, duty)


def _names(raw: dict, key: str, where: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: {key} must be a list of names")
    return [v.strip() for v in value]


def _clock_time(data: dict, key: str, path: Path) -> str:
    """A time of day written "HH:MM" (24-hour), or "" when the key is not set. TOML's own
    time (closing_time = 17:30:00, unquoted) is taken too: people write it either way."""
    raw = data.get(key, "")
    if raw == "":
        return ""
    if isinstance(raw, time) and not raw.second and not raw.microsecond:
        return raw.strftime("%H:%M")
    if isinstance(raw, str) and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", raw):
        return raw
    raise ConfigError(f'{path}: {key} must be a time of day written "HH:MM", e.g. "17:30"')


def _timezone(raw: object, path: Path) -> str:
    """An IANA zone name that this machine's zone database knows, or "" for the machine's."""
    if raw == "":
        return ""
    hint = 'an IANA time zone name such as "Asia/Shanghai"'
    if not isinstance(raw, str):
        raise ConfigError(f"{path}: timezone must be {hint}")
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigError(f"{path}: timezone {raw!r} is not {hint}") from None
    return raw


def _web(raw: object, path: Path) -> WebConfig:
    if not isinstance(raw, dict) or set(raw) - {"secure_cookies"}:
        raise ConfigError(f"{path}: [web] may only set secure_cookies = true or false")
    secure = raw.get("secure_cookies", False)
    if not isinstance(secure, bool):
        raise ConfigError(f"{path}: [web] secure_cookies must be true or false")
    return WebConfig(secure_cookies=secure)


def _bridge(raw: object, path: Path, base: Path) -> BridgeConfig:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [bridge] must be a table")
    return BridgeConfig(spool=base / str(raw.get("spool", "spool")))


def _portal(
    raw: object, index: int, path: Path, stations: tuple[StationConfig, ...]
) -> PortalConfig:
    where = f"{path}: portals[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table")
    for key in ("id", "inside", "outside"):
        if not raw.get(key):
            raise ConfigError(f"{where} has no {key}")
    readers = {s.id: s for s in stations}
    for side in ("inside", "outside"):
        reader = readers.get(raw[side])
        if reader is None or reader.kind is not StationKind.PORTAL_READER:
            raise ConfigError(
                f"{where}: {side} = {raw[side]!r} must name a station of kind portal_reader"
            )
    if raw["inside"] == raw["outside"]:
        raise ConfigError(f"{where}: inside and outside must be two different readers")
    kind = _kind(raw.get("kind", StationKind.READING_EXIT.value), where)
    if kind not in (StationKind.READING_EXIT, StationKind.WAREHOUSE_DOOR):
        raise ConfigError(f"{where}: kind must be reading_exit or warehouse_door")
    window = _seconds(raw, "window", 5.0, where)
    return PortalConfig(str(raw["id"]), kind, str(raw["inside"]), str(raw["outside"]), window)


def _seconds(raw: dict, key: str, default: float, where: str) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ConfigError(f"{where}: {key} must be a number of seconds, 0 or more")
    return float(value)


def _kind(value: object, where: str) -> StationKind:
    try:
        return StationKind(value)
    except ValueError:
        kinds = ", ".join(k.value for k in StationKind)
        raise ConfigError(f"{where}: kind {value!r} is not one of {kinds}") from None


def _labels(raw: object, path: Path) -> LabelsConfig:
    where = f"{path}: [labels]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table")
    known = set(LabelsConfig.__dataclass_fields__)
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(unknown)}")
    defaults = LabelsConfig()
    for key in ("dpi", "thermal_dpi"):
        value = raw.get(key, getattr(defaults, key))
        if value not in (203, 300, 600):
            raise ConfigError(f"{where}: {key} must be 203, 300 or 600, got {value!r}")
    stocks = raw.get("stocks", [])
    if not isinstance(stocks, list) or not all(isinstance(s, dict) for s in stocks):
        raise ConfigError(f"{where}: stocks must be a list of [[labels.stocks]] tables")
    return LabelsConfig(
        stock=str(raw.get("stock", defaults.stock)),
        dpi=raw.get("dpi", defaults.dpi),
        offset_mm=_pair(raw, "offset_mm", defaults.offset_mm, where),
        printer=str(raw.get("printer", "")),
        thermal_dpi=raw.get("thermal_dpi", defaults.thermal_dpi),
        thermal_size_mm=_pair(raw, "thermal_size_mm", defaults.thermal_size_mm, where),
        rfid=bool(raw.get("rfid", False)),
        stocks=tuple(stocks),
    )


def _pair(raw: dict, key: str, default: tuple[float, float], where: str) -> tuple[float, float]:
    value = raw.get(key, default)
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise ConfigError(f"{where}: {key} must be two numbers in millimetres, e.g. [0.5, -0.3]")
    return (float(value[0]), float(value[1]))


def _resolve_sqlite(url: str, base: Path) -> str:
    """A relative SQLite path is relative to the configuration file, not the working folder."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url[len(prefix) :].startswith("/"):
        return prefix + str(base / url[len(prefix) :])
    return url


def _station(raw: object, index: int, path: Path, base: Path) -> StationConfig:
    where = f"{path}: stations[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table")
    for key in ("id", "kind", "port"):
        if not raw.get(key):
            raise ConfigError(f"{where} has no {key}")
    kind = _kind(raw["kind"], where)
    protocol = raw.get("protocol", "line")
    if protocol not in PROTOCOLS:
        raise ConfigError(f"{where}: protocol {protocol!r} is not one of {', '.join(PROTOCOLS)}")
    options = raw.get("options", {})
    if not isinstance(options, dict):
        raise ConfigError(f"{where}: options must be a table")
    try:
        make_protocol(protocol, options)  # the driver checks its own settings now, not later
    except ValueError as e:
        raise ConfigError(f"{where}: {e}") from None
    baud = raw.get("baud", 9600)
    if not isinstance(baud, int) or baud <= 0:
        raise ConfigError(f"{where}: baud must be a positive whole number")
    port = str(raw["port"])
    if not port.startswith("/") and "://" not in port:
        port = str(base / port)  # a relative device path, as the simulator's links are
    return StationConfig(
        str(raw["id"]),
        kind,
        port,
        baud,
        protocol,
        options,
        heartbeat=_seconds(raw, "heartbeat", 0.0, where),
        repeat_window=_seconds(raw, "repeat_window", 2.0, where),
    )


def from_args(explicit: str | None) -> Config:
    return load(locate(explicit, dict(os.environ)))
