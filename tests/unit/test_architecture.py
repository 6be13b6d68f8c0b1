"""The shape the project promises: a pure domain core, and none of the known pitfalls."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADAPTER_LIBRARIES = {"peewee", "playhouse", "bottle", "serial", "waitress", "sqlite3", "PIL"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_rules_import_no_database_web_or_serial_code():
    for path in (ROOT / "vault" / "domain").glob("*.py"):
        assert imported_modules(path).isdisjoint(ADAPTER_LIBRARIES), path
        assert "vault.db" not in path.read_text(encoding="utf-8"), path


def test_the_device_and_label_packages_know_nothing_of_the_archive_database():
    for package in ("firmware_bridge", "labels"):
        for path in (ROOT / package).rglob("*.py"):
            assert imported_modules(path).isdisjoint({"vault", "peewee", "bottle"}), path


def test_no_queued_sqlite_writer_and_no_signed_bottle_cookies():
    """SqliteQueueDatabase loses queued writes on a crash; bottle's signed cookies unpickle."""
    for package in ("vault", "firmware_bridge", "labels"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "SqliteQueueDatabase" not in text, path
            assert "secret=" not in text, path
