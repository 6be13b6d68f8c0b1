"""The soak benchmark's report: what the run wrote, stored and showed, its latencies, memory,
CPU and every error, as rows for the benchmarks' table (see bench.soak)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from bench.scan_to_screen import _percentile

if TYPE_CHECKING:
    from bench.soak import Archive, Sample, Watch


def _thirds(samples: list[Sample], value) -> tuple[float, float]:
    """Mean of `value` over the first and over the last third of the run's samples."""
    third = max(1, len(samples) // 3)
    first, last = samples[:third], samples[-third:]
    return sum(map(value, first)) / len(first), sum(map(value, last)) / len(last)


def _memory(name: str, samples: list[Sample], value) -> list[tuple[str, str]]:
    values = [value(s) for s in samples]
    first, last = _thirds(samples, value)
    return [
        (f"{name} RSS start / end / max (MB)", f"{values[0]:.0f} / {values[-1]:.0f} / "
                                               f"{max(values):.0f}"),
        (f"{name} RSS growth, first → last third of the run",
         f"{first:.1f} → {last:.1f} MB ({last - first:+.1f} MB, {(last - first) / first:+.1%})"),
    ]  # fmt: skip


def _cpu(samples: list[Sample]) -> str:
    """Each part's share of a core, and what other programs on the machine took meanwhile."""
    a, b = samples[0], samples[-1]
    span, cores = b.at - a.at, os.cpu_count() or 1
    machine = (b.machine[0] - a.machine[0]) / (b.machine[1] - a.machine[1]) * cores
    bridge, server = (b.bridge_cpu - a.bridge_cpu) / span, (b.server_cpu - a.server_cpu) / span
    ours = (b.ours - a.ours) / span
    return (f"bridge {bridge:.0%}, web server {server:.0%}, Chromium + writer + bench "
            f"{ours - bridge - server:.0%}, other programs {max(0.0, machine - ours):.0%} "
            f"(of one core; {cores} cores, {machine / cores:.0%} busy)")  # fmt: skip


def _latencies(watch: Watch, written: dict[str, float], ids: dict[int, str]):
    """(latency ms, seconds into the run) for every alarm on every page; and how many
    (alarm, page) pairs never met."""
    got, missing = [], 0
    for code, at in written.items():
        alarm = next((i for i, c in ids.items() if c == code), None)
        for client in watch.clients:
            if alarm is None or alarm not in client.seen:
                missing += 1
            else:
                got.append((client.seen[alarm] - at, at))
    return got, missing


def _log_trouble(archive: Archive, since: str) -> tuple[list[str], list[str]]:
    """Bridge and web server log lines from `since` (the logs' own time format) beyond the
    routine ones (an alarm raised, a guard signed in)."""
    routine = (", alarm(s) [", "signed in from")

    def trouble(name: str) -> list[str]:
        lines = [x for x in archive.log_lines(name) if x[:23] >= since]
        return [x for x in lines if not any(r in x for r in routine)]

    return trouble("bridge.log"), trouble("serve.log")


def report(archive: Archive, watch: Watch, wrote: dict, drained: float, args) -> list:
    written = dict(wrote["alarms"])
    ids = watch.alarm_ids(set(written))
    frames, rejected, lost, reads = archive.query(
        "SELECT sum(frames), sum(rejected), sum(lost), sum(reads) FROM station")[0]  # fmt: skip
    stored = archive.query("SELECT count(*) FROM custody_event")[0][0]
    loaded = watch.loaded
    first, last = loaded[0], loaded[-1]
    load_rate = (last.events - first.events) / (last.at - first.at)
    pairs, missing = _latencies(watch, written, ids)
    ms = [p[0] for p in pairs]
    third = wrote["seconds"] / 3
    early = [m for m, at in pairs if at - wrote["alarms"][0][1] < third * 1000]
    late = [m for m, at in pairs if at - wrote["alarms"][0][1] >= 2 * third * 1000]
    bridge_log, server_log = _log_trouble(archive, watch.since)
    undeliverable = archive.folder / "spool" / "undeliverable.jsonl"
    undelivered = len(undeliverable.read_text().splitlines()) if undeliverable.exists() else 0
    clients = watch.clients
    http = [e for c in clients for e in c.http_errors]
    scripts = [e for c in clients for e in c.script_errors]
    name = f"soak ({args.stations} × {args.rate:,.0f} frames/s, {args.clients} pages)"
    pct = ", ".join(f"{_percentile(ms, p):,.0f}" for p in (50, 95, 99)) if ms else "—"
    return [
        (f"{name}: database, minutes", f"{'PostgreSQL' if args.postgresql else 'SQLite'}, "
                                       f"{wrote['seconds'] / 60:.1f}"),
        (f"{name}: frames written (pace kept)", f"{wrote['written']:,} "
         f"({wrote['written'] / wrote['seconds']:,.0f}/s; writer at most "
         f"{wrote['lag'] * 1000:.0f} ms behind)"),
        (f"{name}: frames counted by the bridge, rejected, lost",
         f"{frames:,}, {rejected:,}, {lost:,}"),
        (f"{name}: reads spooled / stored in the database", f"{reads:,} / {stored:,}"),
        (f"{name}: stored reads/s while frames arrived", f"{load_rate:,.0f}"),
        (f"{name}: spool backlog, max / at the end",
         f"{max(s.backlog for s in watch.samples):,} / {watch.samples[-1].backlog:,}"),
        (f"{name}: wait after the last frame (s)", f"{drained:.0f}"),
        (f"{name}: alarms written / stored / (alarm, page) pairs shown",
         f"{len(written):,} / {len(ids):,} / {len(ms):,} of {len(written) * len(clients):,}"),
        (f"{name}: scan-to-screen p50 / p95 / p99 (ms)", pct),
        (f"{name}: scan-to-screen max (ms)", f"{max(ms):,.0f}" if ms else "—"),
        (f"{name}: scan-to-screen p95, first / last third (ms)",
         f"{_percentile(early, 95):,.0f} / {_percentile(late, 95):,.0f}"
         if early and late else "—"),
        *_memory(f"{name}: bridge", loaded, lambda s: s.bridge_mb),
        *_memory(f"{name}: web server", loaded, lambda s: s.server_mb),
        (f"{name}: CPU while frames arrived", _cpu(loaded)),
        (f"{name}: errors: bridge log, web server log, undeliverable reads",
         f"{len(bridge_log)}, {len(server_log)}, {undelivered}"),
        (f"{name}: errors: HTTP, page scripts", f"{len(http)}, {len(scripts)}"),
        (f"{name}: alarms that never reached a page ((alarm, page) pairs)", f"{missing:,}"),
        (f"{name}: pages not live at the end, reloaded",
         f"{sum(not c.live for c in clients)}, {sum(max(0, c.loads - 1) for c in clients)}"),
        (f"{name}: stream drops (server ends each after 10 min), longest down (ms)",
         f"{sum(c.drops for c in clients)}, {max(c.longest_down_ms for c in clients):,.0f}"),
    ], [*bridge_log[:5], *server_log[:5], *http[:5], *scripts[:5]]  # fmt: skip
