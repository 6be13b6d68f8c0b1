"""What each `vault` subcommand does, once the configuration is loaded and the database open."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable

from firmware_bridge.spool import SpoolError
from vault.commands_labels import cmd_labels
from vault.config import Config
from vault.db.models import database
from vault.db.schema import migrate
from vault.services import alarms, clock, register
from vault.services.errors import VaultError
from vault.services.stations import station_statuses, sync_stations

log = logging.getLogger("vault")


def cmd_init(config: Config, args: argparse.Namespace) -> int:
    before, after = migrate(database.obj)
    sync_stations(config.stations, config.portals)
    if before == after:
        print(f"database {config.database} is up to date (schema version {after})")
    else:
        print(f"database {config.database}: schema version {before} -> {after}")
    return 0


def cmd_import(config: Config, args: argparse.Namespace) -> int:
    try:
        count = register.import_file(args.file)
    except register.ImportRejected as e:
        for problem in e.problems:
            print(f"{args.file}: {problem}")
        raise VaultError(f"{args.file}: {e}") from None
    print(f"registered {count} folders from {args.file}")
    return 0


def cmd_approve(config: Config, args: argparse.Namespace) -> int:
    from vault.services.requests import approve_request

    start = args.valid_from or clock.today()  # the site's calendar, not the machine's
    request_id = approve_request(
        args.reader,
        args.leader,
        args.opinion,
        args.codes,
        start,
        args.valid_until or start,
        args.purpose,
    )
    print(f"request {request_id} approved for {args.reader}: {', '.join(args.codes)}")
    return 0


def cmd_serve(config: Config, args: argparse.Namespace) -> int:
    import waitress

    from vault.db import notify
    from vault.services.closing_watch import start_watch
    from vault.web.app import create_app
    from vault.web.streams import NEWS

    sync_stations(config.stations, config.portals)
    start_watch(config, threading.Event())  # closing time, should no bridge be running then
    listener = notify.start_listener(database.obj, NEWS.ring, threading.Event())
    if listener is not None:  # PostgreSQL: live pages wake when the database says so
        NEWS.told = lambda: listener.live
        print("live pages are woken by the database's notifications", flush=True)
    print(f"Vault alarm board: http://{args.host}:{args.port}/alarms", flush=True)
    waitress.serve(create_app(config), host=args.host, port=args.port, threads=args.threads)
    return 0


def cmd_bridge(config: Config, args: argparse.Namespace) -> int:
    if args.action == "status":
        return _bridge_status()
    from vault.bridge import Bridge, report_status

    if not config.stations:
        raise VaultError(f"{config.path} configures no [[stations]]")
    _raise_open_file_limit()
    stop = _stop_on_signal()
    try:
        bridge = Bridge(config, stop)
    except SpoolError as e:
        raise VaultError(f"spool {config.bridge.spool}: {e}") from None
    try:
        bridge.start()
        log.info("bridge running for %d station(s)", len(config.stations))
        stop.wait()
    finally:
        bridge.close()
    for station in config.stations:  # so the board does not show a stopped bridge as connected
        report_status(station.id, "disconnected", "bridge stopped")
    return 0


def _raise_open_file_limit() -> None:
    """pyserial keeps five descriptors per port: a door computer with a couple of hundred
    lines passes the usual soft limit of 1,024 open files, so take what the system allows."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = 65536 if hard == resource.RLIM_INFINITY else hard
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, target), hard))
        except (ValueError, OSError) as e:
            log.warning("could not raise the open-file limit from %d: %s", soft, e)


def _bridge_status() -> int:
    rows = station_statuses()
    print(
        f"{'station':<14}{'status':<14}{'reads':>8}{'rejected':>10}{'lost':>6}{'backlog':>9}"
        "  last read            reported"
    )
    for s in rows:
        print(
            f"{s['id']:<14}{s['status']:<14}{s['frames']:>9}{s['reads']:>8}{s['rejected']:>10}{s['lost']:>6}"
            f"{s['backlog']:>9}  {s['last_read_at'] or '-':<19}  {s['reported_at'] or 'never'}"
        )
        if s["detail"]:
            print(f"{'':<14}{s['detail']}")
    return 0


def cmd_simulate(config: Config, args: argparse.Namespace) -> int:
    from firmware_bridge.simulator import ScenarioError, for_station, parse_scenario, play

    steps = []
    if args.scenario:
        try:
            steps = parse_scenario(args.scenario.read_text(encoding="utf-8").splitlines())
        except (OSError, ScenarioError) as e:
            raise VaultError(f"scenario {args.scenario}: {e}") from None
    devices = {s.id: for_station(s) for s in config.stations}
    stop = _stop_on_signal()
    try:
        for station in config.stations:
            devices[station.id].link_to(station.port)
            print(
                f"simulated {station.protocol} device for {station.id} on {station.port}",
                flush=True,
            )
        _wait_for(lambda: _all_connected(config), stop, "the bridge to open every station")
        try:
            play(steps, devices, say=lambda text: print(text, flush=True), sleep=stop.wait)
        except (ScenarioError, ValueError) as e:
            raise VaultError(f"scenario {args.scenario}: {e}") from None
        if not args.exit:
            stop.wait()
    finally:
        for device in devices.values():
            device.close()
    return 0


def _all_connected(config: Config) -> bool:
    wanted = {s.id for s in config.stations}
    return {s["id"] for s in station_statuses() if s["status"] == "connected"} >= wanted


def _wait_for(ready: Callable[[], bool], stop: threading.Event, what: str) -> None:
    print(f"waiting for {what}…", flush=True)
    while not stop.is_set() and not ready():
        time.sleep(0.2)


def cmd_alarms(config: Config, args: argparse.Namespace) -> int:
    rows = alarms.open_alarms()
    for a in rows:
        print(f"{a['id']:>5}  {a['at']}  {a['rule']}  {a['code']}  {a['title']}  at {a['station']}")
    print(f"{len(rows)} open alarm(s)")
    return 0


def cmd_audit(config: Config, args: argparse.Namespace) -> int:
    """`head` for the paper ledger; `check SEQ HASH` the ledger's line against the record;
    `verify` exits 1 naming the first thing found changed."""
    from vault.services import audit

    if args.action == "head":
        seq, digest = audit.head()
        print(f"entry {seq} {digest}")
        return 0
    if args.action == "check":
        seq, digest = getattr(args, "seq", None), getattr(args, "hash", None)
        if seq is None or not digest:
            raise VaultError("audit check needs the entry number and the hash the ledger holds")
        problem = audit.ledger_check(int(seq), digest)
        if problem:
            print(f"the record does NOT match the ledger: {problem}")
            return 1
    started = time.monotonic()
    verdict = audit.verify(progress=_verify_progress())
    taken = time.monotonic() - started
    if not verdict.ok:
        print(f"the record does NOT verify: {verdict.problem}")
        return 1
    seq, digest = verdict.head
    print(f"the record verifies: {verdict.entries} entries, head entry {seq} {digest} "
          f"(checked in {taken:.1f} s)")  # fmt: skip
    if args.action == "check":
        print(f"entry {args.seq} has the hash the ledger holds: the record up to it is the one "
              "that was written down")  # fmt: skip
    return 0


def _verify_progress() -> Callable[[int, int], None] | None:
    """A line on the terminal once a second while a long record is checked."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        share = done * 100 // max(total, 1)
        end = "\n" if done >= total else ""
        print(f"\rchecked {done:,} of {total:,} entries ({share} %)", end=end, file=sys.stderr,
              flush=True)  # fmt: skip

    return show


def _stop_on_signal() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop


COMMANDS: dict[str, Callable[[Config, argparse.Namespace], int]] = {
    "init": cmd_init,
    "import": cmd_import,
    "labels": cmd_labels,
    "approve": cmd_approve,
    "serve": cmd_serve,
    "bridge": cmd_bridge,
    "simulate": cmd_simulate,
    "alarms": cmd_alarms,
    "audit": cmd_audit,
}
