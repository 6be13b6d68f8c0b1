"""Audit verify speed: `vault audit verify` over the 10,000,000 custody events of `bench.dataset`
and their audit entries (events, alarms, acknowledgements, approvals: ~10.08 million entries).

Two runs on the same file: the service called in this process (`audit.verify()`, through
Vault's own connection), and the real command as a user runs it (`vault audit verify` in a
subprocess, its configuration pointing at the dataset). Each prints entries, seconds, entries a
second and peak resident memory: of a freshly spawned interpreter for the first, and of the
command or its helper, the larger, for the second (its own rusage, from wait4), so neither
counts what `python -m bench` ran before. The target is under 60 seconds.
The file has just been built or read, so the operating system holds most of its pages.

`python -m bench.audit_verify [DIR]` prints the table; `run()` returns the rows for `python -m
bench`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import dataset
from vault.db.connection import open_database
from vault.db.models import database
from vault.services import audit

TARGET_S = 60


def _peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def in_process(path: Path) -> dict:
    """In a fresh interpreter of its own (spawned), so its peak memory is the verification's
    alone, not that of whatever this process ran before (under `python -m bench`, every other
    benchmark)."""
    context = multiprocessing.get_context("spawn")
    answer = context.Queue()
    worker = context.Process(target=_in_process, args=(path, answer))  # not a daemon: verify
    worker.start()  # starts a helper process of its own for the second half of the record
    result = answer.get()
    worker.join()
    return result


def _in_process(path: Path, answer) -> None:
    answer.put(_verify_here(path))


def _verify_here(path: Path) -> dict:
    open_database(f"sqlite:///{path}")
    try:
        started = time.monotonic()
        verdict = audit.verify()
        seconds = time.monotonic() - started
    finally:
        database.close()
        database.initialize(None)
    if not verdict.ok:
        raise SystemExit(f"the benchmark archive does not verify: {verdict.problem}")
    peak = _peak_mib(resource.RUSAGE_SELF)  # this process; its helper's is not told apart
    return {"run": "audit.verify() in process", "entries": verdict.entries, "s": seconds,
            "peak_mib": peak}  # fmt: skip


def command(path: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "vault.toml"
        config.write_text(f'database = "sqlite:///{path}"\n', encoding="utf-8")
        started = time.monotonic()
        args = [sys.executable, "-m", "vault", "--config", str(config), "audit", "verify"]
        err_file = Path(tmp) / "stderr"
        with open(err_file, "w") as err_out:
            child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err_out, text=True)
        out = child.stdout.read()
        child.stdout.close()
        # Reaped here, for this child's own rusage (its helper's included), not every child's.
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        done = subprocess.CompletedProcess(args, child.returncode, out, err_file.read_text())
    if done.returncode != 0 or "the record verifies" not in done.stdout:
        raise SystemExit(f"`vault audit verify` failed:\n{done.stdout}{done.stderr}")
    entries = int(done.stdout.split("the record verifies: ", 1)[1].split()[0])
    peak = usage.ru_maxrss / 1024  # the command or its helper, the larger
    return {"run": "vault audit verify (command)", "entries": entries, "s": seconds,
            "peak_mib": peak, "out": done.stdout.strip()}  # fmt: skip


def measure(folder: Path = dataset.DEFAULT_DIR) -> tuple[dict, list[dict]]:
    figures = dataset.build(folder)
    path = folder / "vault.db"
    return figures, [in_process(path), command(path)]


def run(folder: Path = dataset.DEFAULT_DIR) -> list[tuple[str, str]]:
    figures, runs = measure(folder)
    return [
        (f"{r['run']}, {r['entries']:,} entries ({figures['events']:,} events)",
         f"{r['s']:.1f} s, {r['entries'] / r['s']:,.0f} entries/s, peak {r['peak_mib']:.0f} MiB")
        for r in runs
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=dataset.DEFAULT_DIR)
    figures, runs = measure(parser.parse_args().folder)
    size, written = figures["bytes"] / 2**30, figures["audit_s"]
    print(f"dataset: {figures['folders']:,} folders, {figures['events']:,} events, "
          f"{size:.1f} GiB (audit entries written in {written:.0f} s)")  # fmt: skip
    print("| run | entries | seconds | entries/s | peak RSS | target |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in runs:
        verdict = "met" if r["s"] < TARGET_S else "MISSED"
        print(f"| {r['run']} | {r['entries']:,} | {r['s']:.1f} | {r['entries'] / r['s']:,.0f} | "
              f"{r['peak_mib']:.0f} MiB | < {TARGET_S} s: {verdict} |")  # fmt: skip
    print(f"\n{runs[-1]['out']}")


if __name__ == "__main__":
    main()
