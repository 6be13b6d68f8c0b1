"""Run every benchmark, print one table and keep it in bench/results.md: `python -m bench`.

`python -m bench soak labels` runs only the benchmarks named (a module's name, with or without
its `_speed`), in the order of BENCHMARKS; `python -m bench --list` names them.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import subprocess
import time
from datetime import date
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.md"
BENCHMARKS = [  # module, what it costs
    ("scan_to_screen", "100 alarms through the bridge to Chromium (~1 min)"),
    ("labels_speed", "label sheets of 1,000 and 10,000 (~1 min)"),
    ("bridge_ingest", "200 ptys into one bridge (~3 min)"),
    ("register_speed", "builds the 1,000,000-folder archive the first time (~2 min)"),
    ("page_speed", "every route over HTTP, on a copy of that archive (~1 min)"),
    ("audit_verify", "`vault audit verify` over that archive's 10 million events (~2 min)"),
    ("stocktake_speed", "a count of 1,000,000 folders, its own archive (~3 min)"),
    ("soak", "4 gate readers x 1,000 frames/s and 20 board pages for 10 minutes (~11 min)"),
]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"{cpu}, {cores} cores, Python {platform.python_version()}, {platform.system()}"


def chosen(names: list[str]) -> list[str]:
    """The modules named (`labels` or `labels_speed`), in the order they run; all when none."""
    known = [module for module, _ in BENCHMARKS]
    wanted = {n: n if n in known else f"{n}_speed" for n in names}
    unknown = [n for n, module in wanted.items() if module not in known]
    if unknown:
        raise SystemExit(f"no benchmark {', '.join(unknown)}; known: {', '.join(known)}")
    return [m for m in known if not names or m in wanted.values()]


def table(modules: list[str], rows: list[tuple[str, str]], minutes: float) -> str:
    ran = "every benchmark" if len(modules) == len(BENCHMARKS) else ", ".join(modules)
    lines = [
        f"Vault benchmarks, {date.today().isoformat()}, {machine()}",
        f"({ran}; {minutes:.0f} minutes)",
        "",
        "| measure | value |",
        "| --- | --- |",
        *(f"| {name} | {value} |" for name, value in rows),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--list", action="store_true", help="name the benchmarks and stop")
    args = parser.parse_args()
    if args.list:
        for module, cost in BENCHMARKS:
            print(f"{module:16} {cost}")
        return
    modules = chosen(args.names)
    started, rows = time.monotonic(), []
    for module in modules:
        rows += importlib.import_module(f"bench.{module}").run()
    text = table(modules, rows, (time.monotonic() - started) / 60)
    print(text)
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
