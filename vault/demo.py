"""`vault demo`: the whole system on a sample archive, for a first look.

It writes a configuration with three stations whose ports are simulated scanners, creates a
fresh SQLite database from the sample archive, approves the sample requests, prints the labels,
adds one account per role (all with the same demo password, printed at the start: a real
archive gives each person their own), then runs the simulator, the bridge and the web server as
separate processes, as they run in production. Within a minute the scenario carries a folder out
through the reading-room exit and the alarm appears on the board.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

from vault.services.errors import VaultError

DEMO_CONFIG = """\
# Written by `vault demo`. Ports are links to simulated scanners on pseudo-terminals.
site_name = "Sample county statistics bureau"
gs1_company_prefix = "0614141"  # GS1's own example prefix; an archive uses its own
database = "sqlite:///vault.db"
timezone = "Asia/Shanghai"
opening_time = "08:30"
closing_time = "17:30"  # folders still out then raise "not returned at closing time"

[approvals]  # the bureau's practice: a leader for confidential and secret, the head for top secret
heads = ["leader"]
leading_group = ["leader", "deputy"]  # two of them approve a destruction

[[stations]]
id = "door-1"
kind = "warehouse_door"
port = "dev/door-1"
baud = 9600
protocol = "line"

[[stations]]
id = "desk-1"
kind = "reading_desk"
port = "dev/desk-1"
baud = 9600
protocol = "line"

[[stations]]
id = "exit-1"
kind = "reading_exit"
port = "dev/exit-1"
baud = 9600
protocol = "line"

# A handheld scanner for stocktakes: a shelf label, then the folders on that shelf.
[[stations]]
id = "hand-1"
kind = "handheld"
port = "dev/hand-1"
baud = 9600
protocol = "line"

# The reading-room exit also has a UHF portal: a reader on each side of the doorway.
[[stations]]
id = "gate-in"
kind = "portal_reader"
port = "dev/gate-in"
baud = 115200
protocol = "m100"

[[stations]]
id = "gate-out"
kind = "portal_reader"
port = "dev/gate-out"
baud = 115200
protocol = "m100"

[[portals]]
id = "exit-portal"
inside = "gate-in"
outside = "gate-out"
window = 5
"""

# Demo accounts only: every one has this password, printed on the console for anyone to read.
DEMO_PASSWORD = "vault-demo-2026"
DEMO_USERS = (
    ("guard", "security", "值班保安"),
    ("archivist", "archivist", "档案员"),
    ("leader", "leader", "李局长"),
    ("deputy", "leader", "王副局长"),
    ("admin", "administrator", "系统管理员"),
)

# The sample folder that carries a UHF tag (GIAI-96, the bureau's GS1 prefix 0614141, folder 4).
DEMO_TAG = ("WC-TJ-2003-0012", "3414257BF400000000000004")


def sample_file(name: str) -> Path:
    return Path(str(resources.files("vault.sample").joinpath(name)))


def run_demo(args: argparse.Namespace) -> int:
    folder: Path = args.dir.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "vault.toml"
    config.write_text(DEMO_CONFIG, encoding="utf-8")
    for stale in ("vault.db", "vault.db-wal", "vault.db-shm"):
        (folder / stale).unlink(missing_ok=True)
    shutil.rmtree(folder / "dev", ignore_errors=True)

    def vault(*words: str) -> list[str]:
        return [sys.executable, "-m", "vault", "--config", str(config), *words]

    for step in (
        vault("init"),
        vault("import", str(sample_file("archive.csv"))),
        *[vault("approve", *line.split("|")) for line in _sample_approvals()],
        vault("labels", "print", "--all", "-o", str(folder / "labels.pdf")),
        vault("labels", "tag", *DEMO_TAG),
    ):
        _setup(step)
    for username, role, name in DEMO_USERS:
        _setup(vault("user", "add", username, "--role", role, "--name", name), DEMO_PASSWORD)
    # Room B is being counted: the handheld's reads in the scenario appear on /stocktakes/1.
    _setup(vault("stocktake", "open", "--scope", "room", "--value", "B", "--by", "archivist"))
    scenario = str(sample_file("scenario.txt"))
    processes = [
        subprocess.Popen(vault("bridge")),
        subprocess.Popen(vault("serve", "--host", args.host, "--port", str(args.port))),
        subprocess.Popen(vault("simulate", "--scenario", scenario)),
    ]
    print(
        f"\nVault is running. Open http://{args.host}:{args.port}/alarms and sign in as "
        f"guard (security staff), password {DEMO_PASSWORD}.\n"
        f"The other demo accounts are {', '.join(u for u, _, _ in DEMO_USERS[1:])}, with the "
        "same password. Demo only: a real archive adds its own people with `vault user add`.\n"
        f"Labels: {folder / 'labels.pdf'}   Configuration: {config}\n"
        "The simulated scanners carry a folder out through the reading-room exit within a "
        "minute. Press Ctrl-C to stop.\n",
        flush=True,
    )
    return _supervise(processes)


def _setup(step: list[str], password: str | None = None) -> None:
    given = None if password is None else password + "\n"
    if subprocess.run(step, input=given, text=True).returncode != 0:
        raise VaultError(f"the demo could not set up: `{' '.join(step[2:])}` failed")


def _sample_approvals() -> list[str]:
    lines = sample_file("approvals.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def _supervise(processes: list[subprocess.Popen]) -> int:
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(p.poll() is None for p in processes):
        time.sleep(0.5)
    for p in processes:
        if p.poll() is None:
            p.terminate()
    for p in processes:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
    return 0 if stopping else 1
