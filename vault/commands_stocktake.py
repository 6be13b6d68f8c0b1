"""`vault stocktake …`: counting the shelves against the register from the command line.

vault stocktake open --scope all|room|shelves|classified [--value V] --by NAME
vault stocktake scan ID CODE... [--source NAME]      (CODE "-": one code a line from stdin)
vault stocktake explain ID CODE --note TEXT --by NAME
vault stocktake close ID --by NAME
vault stocktake report ID --format csv|pdf --out FILE
vault stocktake list

The same services as the stocktake pages (`vault.services.stocktake`, `stocktake_page`,
`stocktake_report`); the report files are the pages' CSV and PDF, in English (the words of the
English pages).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from vault.config import Config
from vault.domain.stocktake import ScopeKind
from vault.services import stocktake, stocktake_page, stocktake_report
from vault.services.clock import shown
from vault.services.csv_export import write_csv
from vault.services.report import cell_text
from vault.services.report_pdf import write_pdf
from vault.web import i18n


def add_parser(sub: argparse._SubParsersAction) -> None:
    count = sub.add_parser("stocktake", help="count shelves against the register, and reconcile")
    actions = count.add_subparsers(dest="stocktake_action", required=True, metavar="ACTION")
    opened = actions.add_parser("open", help="open a count and freeze the folders it expects")
    opened.add_argument("--scope", required=True, choices=[k.value for k in ScopeKind])
    opened.add_argument("--value", default="", help="the room (A) or shelves (A-01-01..A-03-09)")
    opened.add_argument("--by", required=True, help="who opens the count")
    scan = actions.add_parser("scan", help="record codes read (shelf labels set the shelf)")
    scan.add_argument("id")
    scan.add_argument("codes", nargs="+", metavar="CODE", help='codes in order; "-" reads stdin')
    scan.add_argument("--source", default="cli", help="whose reads these are (default: cli)")
    explain = actions.add_parser("explain", help="say why an expected folder was not found")
    explain.add_argument("id")
    explain.add_argument("code")
    explain.add_argument("--note", required=True)
    explain.add_argument("--by", required=True)
    close = actions.add_parser("close", help="close the count (every missing secret explained)")
    close.add_argument("id")
    close.add_argument("--by", required=True)
    report = actions.add_parser("report", help="write the reconciliation as CSV or PDF")
    report.add_argument("id")
    report.add_argument("--format", required=True, choices=("csv", "pdf"))
    report.add_argument("--out", required=True, type=Path)
    actions.add_parser("list", help="every stocktake, open or closed")


def cmd_stocktake(config: Config, args: argparse.Namespace) -> int:
    return ACTIONS[args.stocktake_action](args)


def _open(args: argparse.Namespace) -> int:
    opened = stocktake.open_stocktake(args.scope, args.value, args.by)
    expected = stocktake.expected_count(opened)
    print(f"stocktake {opened.id} opened: {expected} folder(s) expected")
    return 0


def _codes(given: list[str]) -> Iterator[str]:
    for code in given:
        if code == "-":
            yield from (line.strip() for line in sys.stdin)
        else:
            yield code


def _scan(args: argparse.Namespace) -> int:
    results = stocktake.scan(args.id, _codes(args.codes), args.source)
    kinds = {kind: sum(r.kind == kind for r in results) for kind in ("shelf", "folder")}
    unknown = len(results) - sum(kinds.values())
    print(
        f"{len(results)} code(s) recorded: {kinds['shelf']} shelf label(s), "
        f"{kinds['folder']} folder(s), {unknown} not in the register; "
        f"current shelf {results[-1].shelf or 'none'}"
    )
    return 0


def _explain(args: argparse.Namespace) -> int:
    stocktake.explain(args.id, args.code, args.note, args.by)
    print(f"explanation recorded for {args.code}")
    return 0


def _close(args: argparse.Namespace) -> int:
    summary = stocktake.close(args.id, args.by)
    print(
        f"stocktake {args.id} closed: {summary['expected']} expected, {summary['found']} found, "
        f"{summary['misplaced']} misplaced, {summary['missing']} missing, "
        f"{summary['issued']} issued, {summary['unregistered']} unregistered"
    )
    return 0


def _report(args: argparse.Namespace) -> int:
    report = stocktake_report.report(stocktake.get(args.id), i18n.gettext("en"))
    if args.format == "pdf":
        with open(args.out, "wb") as out:
            write_pdf(report, out)
    else:
        keys = [key for key, _ in report.columns]
        rows = ({key: cell_text(row.get(key)) for key in keys} for row in report.rows)
        with open(args.out, "wb") as out:
            write_csv(rows, report.columns, out)
    print(f"wrote {args.out}")
    return 0


def _list(args: argparse.Namespace) -> int:
    for s in stocktake_page.listing():
        state = f"closed {shown(s['closed_at'])} by {s['closed_by']}" if s["closed_at"] else "open"
        print(
            f"{s['id']}\t{s['scope']}\topened {shown(s['opened_at'])} by {s['opened_by']}\t"
            f"{state}\t{s['expected']} expected\t{s['reads']} read(s)"
        )
    return 0


ACTIONS: dict[str, Callable[[argparse.Namespace], int]] = {
    "open": _open,
    "scan": _scan,
    "explain": _explain,
    "close": _close,
    "report": _report,
    "list": _list,
}
COMMANDS: dict[str, Callable[[Config, argparse.Namespace], int]] = {"stocktake": cmd_stocktake}
