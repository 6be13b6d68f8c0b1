"""Loading the one configuration file."""

from pathlib import Path

import pytest

from vault.config import ConfigError, load, locate
from vault.domain.model import StationKind


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vault.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_put_the_sqlite_database_beside_the_file(tmp_path):
    config = load(write(tmp_path, ""))
    assert config.database == f"sqlite:///{tmp_path.resolve() / 'vault.db'}"
    assert config.stations == ()


def test_relative_paths_are_relative_to_the_file(tmp_path):
    config = load(
        write(
            tmp_path,
            'database = "sqlite:///data/v.db"\n'
            '[[stations]]\nid = "exit-1"\nkind = "reading_exit"\nport = "dev/exit"\n'
            '[[stations]]\nid = "door-1"\nkind = "warehouse_door"\nport = "/dev/ttyUSB0"\n'
            "baud = 115200\n",
        )
    )
    assert config.database == f"sqlite:///{tmp_path.resolve() / 'data/v.db'}"
    exit_station, door = config.stations
    assert exit_station.kind is StationKind.READING_EXIT
    assert exit_station.port == str(tmp_path.resolve() / "dev/exit")
    assert (exit_station.baud, exit_station.protocol) == (9600, "line")
    assert (door.port, door.baud) == ("/dev/ttyUSB0", 115200)


def test_postgresql_urls_pass_through(tmp_path):
    url = "postgresql://vault@db.archive.lan/vault"
    assert load(write(tmp_path, f'database = "{url}"\n')).database == url


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[stations]]\nid = "x"\nkind = "window"\nport = "p"\n', "kind 'window' is not one of"),
        ('[[stations]]\nid = "x"\nkind = "handheld"\n', "has no port"),
        (
            '[[stations]]\nid = "x"\nkind = "handheld"\nport = "p"\nprotocol = "morse"\n',
            "protocol 'morse'",
        ),
        ('[[stations]]\nid = "x"\nkind = "handheld"\nport = "p"\nbaud = -1\n', "baud"),
        (
            '[[stations]]\nid = "x"\nkind = "handheld"\nport = "p"\n'
            '[[stations]]\nid = "x"\nkind = "handheld"\nport = "q"\n',
            "unique",
        ),
        ('database = "vault.db"\n', "database URL"),
        ("stations = [", "not valid TOML"),
    ],
)
def test_bad_configuration_is_explained(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load(write(tmp_path, text))


def test_missing_file_says_how_to_name_one(tmp_path):
    with pytest.raises(ConfigError, match="--config FILE or VAULT_CONFIG"):
        load(tmp_path / "nowhere.toml")


def test_the_file_named_on_the_command_line_wins_then_the_environment():
    env = {"VAULT_CONFIG": "/etc/vault/site.toml"}
    assert locate("mine.toml", env) == Path("mine.toml")
    assert locate(None, env) == Path("/etc/vault/site.toml")
    assert locate(None, {}) == Path("vault.toml")
