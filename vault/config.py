"""Configuration: one TOML file, loaded once into typed values and passed to whoever needs it.

The file is found in this order: `--config FILE`, then `$VAULT_CONFIG`, then `./vault.toml`.
No other module reads the environment or the file on its own.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from vault.domain.model import StationKind

DEFAULT_FILE = "vault.toml"
PROTOCOLS = ("line",)


class ConfigError(Exception):
    """The configuration file is missing or says something Vault cannot use."""


@dataclass(frozen=True)
class StationConfig:
    id: str
    kind: StationKind
    port: str
    baud: int = 9600
    protocol: str = "line"


@dataclass(frozen=True)
class Config:
    path: Path
    database: str
    stations: tuple[StationConfig, ...] = field(default_factory=tuple)
    site_name: str = "Vault"

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
    ids = [s.id for s in stations]
    if len(ids) != len(set(ids)):
        raise ConfigError(f"{path}: station ids must be unique, got {ids}")
    site = data.get("site_name", "Vault")
    return Config(path=path, database=database, stations=stations, site_name=str(site))


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
    try:
        kind = StationKind(raw["kind"])
    except ValueError:
        kinds = ", ".join(k.value for k in StationKind)
        raise ConfigError(f"{where}: kind {raw['kind']!r} is not one of {kinds}") from None
    protocol = raw.get("protocol", "line")
    if protocol not in PROTOCOLS:
        raise ConfigError(f"{where}: protocol {protocol!r} is not one of {', '.join(PROTOCOLS)}")
    baud = raw.get("baud", 9600)
    if not isinstance(baud, int) or baud <= 0:
        raise ConfigError(f"{where}: baud must be a positive whole number")
    port = str(raw["port"])
    if not port.startswith("/") and "://" not in port:
        port = str(base / port)  # a relative device path, as the simulator's links are
    return StationConfig(str(raw["id"]), kind, port, baud, protocol)


def from_args(explicit: str | None) -> Config:
    return load(locate(explicit, dict(os.environ)))
