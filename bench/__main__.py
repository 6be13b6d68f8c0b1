"""Run every benchmark and print one table: `python -m bench`."""

from __future__ import annotations

import platform
import subprocess
from datetime import date

from bench import (
    audit_verify,
    bridge_ingest,
    labels_speed,
    page_speed,
    register_speed,
    scan_to_screen,
)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"{cpu}, {cores} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    rows = [
        *scan_to_screen.run(),
        *labels_speed.run(),
        *bridge_ingest.run(),
        *register_speed.run(),  # builds the 1,000,000-folder archive the first time (~2 min)
        *page_speed.run(),  # every route over HTTP, on a copy of that archive (~1 min)
        *audit_verify.run(),  # `vault audit verify` over that archive's 10 million events (~2 min)
    ]
    print(f"Vault benchmarks, {date.today().isoformat()}, {machine()}\n")
    print("| measure | value |")
    print("| --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
