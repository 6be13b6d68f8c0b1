"""`vault report …` and `vault closing …`: the reports and the closing-time check.

vault report folder CODE | person NAME | day DATE | classified-holders | classified-places |
             statistics [--from DATE] [--until DATE]   [--format csv|pdf --out FILE]
vault closing run [--day DATE]
vault closing summary [--day DATE] [--format csv|pdf --out FILE]

Without --format a report is printed as text, one tab-separated line per row. `closing run` is
for cron, or to catch up a day no process was running for: it refuses a day still to come, a
day whose closing time has not come yet, and a day already checked.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from vault.config import Config
from vault.domain import closing as closing_rules
from vault.services import clock, closing, reports, reports_classified, reports_statistics
from vault.services.clock import utcnow
from vault.services.csv_export import write_csv
from vault.services.errors import VaultError
from vault.services.report import Report, cell_text
from vault.services.report_pdf import write_pdf
from vault.web.i18n import translate

KINDS = (
    "folder",
    "person",
    "day",
    "classified-holders",
    "classified-places",
    "statistics",
)
NEEDS_SUBJECT = {"folder": "CODE", "person": "NAME", "day": "DATE"}


def add_parser(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser("report", help="custody histories, classified folders, statistics")
    report.add_argument("kind", choices=KINDS)
    report.add_argument("subject", nargs="?", default="", help="the folder code, name or date")
    report.add_argument("--from", dest="start", default="", help="statistics: first day")
    report.add_argument("--until", default="", help="statistics: last day")
    _output_arguments(report)
    close = sub.add_parser("closing", help="the closing-time check and its daily summary")
    actions = close.add_subparsers(dest="closing_action", required=True, metavar="ACTION")
    run = actions.add_parser("run", help="run a day's closing check (default: today)")
    run.add_argument("--day", default="")
    summary = actions.add_parser("summary", help="the folders a day's check found out")
    summary.add_argument("--day", default="")
    _output_arguments(summary)


def _output_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("csv", "pdf"), help="write a file instead of text")
    parser.add_argument("--out", type=Path, help="the file to write (with --format)")


def cmd_report(config: Config, args: argparse.Namespace) -> int:
    if args.kind in NEEDS_SUBJECT and not args.subject.strip():
        raise VaultError(f"vault report {args.kind} needs a {NEEDS_SUBJECT[args.kind]}")
    builders: dict[str, Callable[[], Report]] = {
        "folder": lambda: reports.folder_history(args.subject),
        "person": lambda: reports.person_history(args.subject),
        "day": lambda: reports.day_history(reports.parse_day(args.subject)),
        "classified-holders": reports_classified.classified_holders,
        "classified-places": reports_classified.classified_places,
        "statistics": lambda: reports_statistics.statistics(
            _day_or_none(args.start), _day_or_none(args.until)
        ),
    }
    _check_output(args)
    return _output(builders[args.kind](), args)


def cmd_closing(config: Config, args: argparse.Namespace) -> int:
    day = reports.parse_day(args.day) if args.day else clock.today()
    if args.closing_action == "summary":
        _check_output(args)
        return _output(closing.summary(day), args)
    if not config.closing_time:
        raise VaultError(f"{config.path} sets no closing_time, so there is no closing check")
    today = clock.today()
    if day > today:
        raise VaultError(f"{day} is still to come: its closing check runs at its closing time")
    if day == today and closing_rules.due(utcnow(), config.closing_time, config.zone) is None:
        raise VaultError(f"closing time {config.closing_time} has not come yet today")
    done = closing.close_day(day, config.closing_time, config.zone)
    if done is None:
        raise VaultError(f"the closing check of {day} has already run; nothing was changed")
    print(f"closing check of {day}: {done.not_returned} folder(s) not returned")
    for row in closing.summary(day).rows:
        print(f"  {row['code']}  {row['severity']}  {row['reason']}")
    return 0


def _day_or_none(text: str):
    return reports.parse_day(text) if text.strip() else None


def _check_output(args: argparse.Namespace) -> None:
    """Refused before any work: a file format with nowhere to write it, or the reverse."""
    if args.format and args.out is None:
        raise VaultError(f"--format {args.format} needs --out FILE")
    if args.out is not None and not args.format:
        raise VaultError("--out needs --format csv or --format pdf")


def _output(report: Report, args: argparse.Namespace) -> int:
    report = reports.in_words(report, lambda value: translate(value, "en"))
    if not args.format:
        _print(report)
        return 0
    with open(args.out, "wb") as out:
        if args.format == "csv":
            count = write_csv(report.rows, report.columns, out)
            print(f"wrote {count} row(s) to {args.out}")
        else:
            pages = write_pdf(report, out)
            print(f"wrote {pages} page(s) to {args.out}")
    return 0


def _print(report: Report) -> None:
    print(report.title)
    for line in report.lines:
        print(line)
    print("\t".join(heading for _, heading in report.columns))
    count = 0
    for row in report.rows:
        cells = (cell_text(row.get(key)).replace("\n", " / ") for key, _ in report.columns)
        print("\t".join(cells))
        count += 1
    print(f"{count} row(s)")
    for line in report.footer:
        print(line)


COMMANDS: dict[str, Callable[[Config, argparse.Namespace], int]] = {
    "report": cmd_report,
    "closing": cmd_closing,
}
