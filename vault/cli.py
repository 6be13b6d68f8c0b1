"""The `vault` command: one subcommand per thing people do, each a few lines over a service.

Every subcommand reads the one configuration file (`--config FILE`, `$VAULT_CONFIG` or
`./vault.toml`). A refusal prints one line saying why and exits non-zero.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from datetime import date
from pathlib import Path

from peewee import InterfaceError, OperationalError

from vault import commands_backup, commands_labels, commands_rules, commands_users
from vault import config as config_module
from vault.commands import COMMANDS
from vault.config import ConfigError
from vault.db.connection import DatabaseUnavailable, open_database
from vault.db.models import database
from vault.db.schema import SchemaError, require_current
from vault.services import clock, policy
from vault.services.errors import VaultError


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="vault", description="Custody tracking for archive folders.")
    p.add_argument("--config", help="configuration file (default: $VAULT_CONFIG or ./vault.toml)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("init", help="create the database schema, or migrate it to this version")
    imp = sub.add_parser("import", help="register folders from a UTF-8 CSV file")
    imp.add_argument("file", type=Path)
    commands_labels.add_parser(sub)
    commands_users.add_parser(sub)
    commands_rules.add_parsers(sub)
    commands_backup.add_parser(sub)
    app = sub.add_parser("approve", help="record a leader's approval of a reader's request")
    app.add_argument("codes", nargs="+", help="folder codes the request covers")
    app.add_argument("--reader", required=True)
    app.add_argument("--leader", required=True)
    app.add_argument("--opinion", required=True, help="the leader's written opinion")
    app.add_argument("--purpose", default="")
    app.add_argument("--from", dest="valid_from", type=date.fromisoformat, default=None)
    app.add_argument("--until", dest="valid_until", type=date.fromisoformat, default=None)
    srv = sub.add_parser("serve", help="serve the alarm board")
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=8080)
    srv.add_argument("--threads", type=int, default=32)
    br = sub.add_parser("bridge", help="read every station's serial port into the database")
    br.add_argument(
        "action",
        nargs="?",
        choices=("run", "status"),
        default="run",
        help="run the bridge (default), or show each station's health",
    )
    sim = sub.add_parser("simulate", help="play a scanner at each station on a pseudo-terminal")
    sim.add_argument("--scenario", type=Path, help="file of 'SECONDS STATION CODE' lines")
    sim.add_argument("--exit", action="store_true", help="stop after the scenario")
    demo = sub.add_parser("demo", help="run everything on a sample archive with simulated devices")
    demo.add_argument("--dir", type=Path, default=Path("demo"))
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8080)
    sub.add_parser("alarms", help="list open alarms")
    aud = sub.add_parser("audit", help="check the hash-chained record, or print its head")
    aud.add_argument("action", choices=("verify", "head", "check"))
    aud.add_argument("seq", nargs="?", type=int, help="check: the entry number the ledger holds")
    aud.add_argument("hash", nargs="?", help="check: the hash the ledger holds for that entry")
    return p


def _check_or_carry_on(db) -> None:
    """A door computer's bridge starts even while the server's database is down (a power cut
    in the machine room, the network): the scanners' reads go to the spool meanwhile, and the
    bridge checks the schema and registers its stations once the database answers. A database
    that answers with the wrong schema is still refused here."""
    try:
        require_current(db)
    except (OperationalError, InterfaceError) as e:
        logging.getLogger("vault.bridge").warning(
            "the database does not answer (%s); reads are kept in the spool until it does", e
        )
        with contextlib.suppress(Exception):
            db.close()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        if args.command == "demo":  # the demo writes its own configuration
            from vault.demo import run_demo

            return run_demo(args)
        config = config_module.from_args(args.config)
        clock.set_zone(config.zone)  # every local time and date is the site's from here on
        policy.set_policy(config.approvals)  # who must approve what, for every read recorded
        open_database(config.database)
        if args.command == "bridge" and args.action != "status":
            _check_or_carry_on(database.obj)
        elif args.command not in ("init", "backup", "restore"):  # they read the version themselves
            require_current(database.obj)
        handlers = {**COMMANDS, **commands_rules.COMMANDS, **commands_backup.COMMANDS}
        handlers["user"] = commands_users.cmd_user
        return handlers[args.command](config, args)
    except (ConfigError, DatabaseUnavailable, SchemaError, VaultError) as e:
        print(f"vault: {e}", file=sys.stderr)
        return 2
    except OperationalError as e:
        print(f"vault: the database refused: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
