"""`vault appraisal|hold|destruction|release …`: retention, holds, destruction batches and the
register of data released to outside units, over the same services as the pages.

vault appraisal due
vault hold place CODE --reason R --by NAME
vault hold lift ID --note N --by NAME
vault hold list
vault destruction new --reason R --site S --supervisor NAME [--supervisor NAME …] CODE… --by NAME
vault destruction new … --all-due --by NAME         (every due folder nothing holds)
vault destruction approve ID --by USERNAME --opinion TEXT [--refuse]
vault destruction confirm ID --destroyed-on YYYY-MM-DD --by NAME [--note TEXT]
vault destruction certificate ID --out FILE.pdf
vault destruction list
vault release add --unit U --letter NO --letter-date D --purpose P --approved-by LEADER
                  --provided TEXT --provided-on D --seal-confirmed --by NAME
vault release list [--unit U]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path

from vault.config import Config
from vault.services import appraisal, destruction, destruction_records, holds, releases
from vault.services.clock import shown, today
from vault.services.errors import VaultError
from vault.services.report_pdf import write_pdf


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_parser(sub: argparse._SubParsersAction) -> None:
    ap = sub.add_parser("appraisal", help="folders whose retention period has run")
    ap.add_subparsers(dest="appraisal_action", required=True).add_parser(
        "due", help="list the folders due for appraisal, and retention periods nobody can read"
    )
    _hold_parser(sub)
    _destruction_parser(sub)
    _release_parser(sub)


def _hold_parser(sub: argparse._SubParsersAction) -> None:
    hold = sub.add_parser("hold", help="hold a folder so it cannot be destroyed, or lift a hold")
    actions = hold.add_subparsers(dest="hold_action", required=True)
    place = actions.add_parser("place", help="hold a folder (an investigation, an audit, …)")
    place.add_argument("code")
    place.add_argument("--reason", required=True)
    place.add_argument("--by", required=True, help="who places the hold")
    lift = actions.add_parser("lift", help="lift a hold, with a note")
    lift.add_argument("id", type=int)
    lift.add_argument("--note", required=True)
    lift.add_argument("--by", required=True, help="who lifts it")
    actions.add_parser("list", help="the holds not lifted")


def _destruction_parser(sub: argparse._SubParsersAction) -> None:
    d = sub.add_parser("destruction", help="destruction batches: make, approve, confirm, certify")
    actions = d.add_subparsers(dest="destruction_action", required=True)
    new = actions.add_parser("new", help="a batch of folders due for appraisal")
    new.add_argument("codes", nargs="*", help="folder codes")
    new.add_argument("--all-due", action="store_true", help="every due folder nothing holds")
    new.add_argument("--reason", required=True)
    new.add_argument("--site", required=True, help="where the folders are pulped")
    new.add_argument("--supervisor", action="append", default=[], required=True)
    new.add_argument("--by", required=True, help="the archivist making the batch")
    approve = actions.add_parser("approve", help="a member of the leading group decides")
    approve.add_argument("id", type=int)
    approve.add_argument("--by", required=True, help="the leader's username")
    approve.add_argument("--opinion", required=True)
    approve.add_argument("--refuse", action="store_true", help="record a refusal")
    confirm = actions.add_parser("confirm", help="confirm the pulping was done")
    confirm.add_argument("id", type=int)
    confirm.add_argument("--destroyed-on", type=_day, required=True)
    confirm.add_argument("--by", required=True)
    confirm.add_argument("--note", default="")
    cert = actions.add_parser("certificate", help="write the destruction certificate (PDF)")
    cert.add_argument("id", type=int)
    cert.add_argument("--out", type=Path, required=True)
    actions.add_parser("list", help="every batch and where it stands")


def _release_parser(sub: argparse._SubParsersAction) -> None:
    r = sub.add_parser("release", help="the register of data provided to outside units")
    actions = r.add_subparsers(dest="release_action", required=True)
    add = actions.add_parser("add", help="register data provided to an outside unit")
    add.add_argument("--unit", required=True)
    add.add_argument("--letter", required=True, help="the unit's letter number")
    add.add_argument("--letter-date", type=_day, required=True)
    add.add_argument("--purpose", required=True)
    add.add_argument("--approved-by", required=True, help="the approving leader's username")
    add.add_argument("--provided", required=True, help="what was provided")
    add.add_argument("--provided-on", type=_day, default=None, help="default: today")
    add.add_argument("--seal-confirmed", action="store_true", help="the letter's seal was seen")
    add.add_argument("--by", required=True, help="the archivist who saw the seal and records it")
    lst = actions.add_parser("list", help="the register, newest first")
    lst.add_argument("--unit", default="", help="only units whose name contains this")


def cmd_appraisal(config: Config, args: argparse.Namespace) -> int:
    count = 0
    for row in appraisal.due_rows():
        held = f"  [{row['blocked']}]" if row["blocked"] else ""
        batch = f"  (batch {row['batch']})" if row["batch"] else ""
        print(
            f"{row['code']}  {row['appraisal_on']}  {row['retention']}  {row['title']}{held}{batch}"
        )
        count += 1
    print(f"{count} folder(s) due for appraisal on or before {today()}")
    for row in appraisal.unreadable():
        print(f"unreadable retention: {row['code']}  {row['retention']!r}")
    return 0


def cmd_hold(config: Config, args: argparse.Namespace) -> int:
    if args.hold_action == "place":
        hold = holds.place(args.code, args.reason, args.by)
        print(f"hold {hold.id} placed on {args.code.strip()}")
    elif args.hold_action == "lift":
        holds.lift(args.id, args.note, args.by)
        print(f"hold {args.id} lifted")
    else:
        for h in holds.active():
            print(
                f"{h['id']}  {h['code']}  {shown(h['placed_at'])}  {h['placed_by']}  {h['reason']}"
            )
    return 0


def cmd_destruction(config: Config, args: argparse.Namespace) -> int:
    return DESTRUCTION[args.destruction_action](args)


def _new(args: argparse.Namespace) -> int:
    codes = list(args.codes)
    if args.all_due:
        codes += destruction.due_codes()
    if not codes:
        raise VaultError("name folder codes, or --all-due")
    batch = destruction.create(args.reason, args.site, args.supervisor, codes, args.by)
    print(f"destruction batch {batch.id}: {len(batch.items)} folder(s)")
    return 0


def _approve(args: argparse.Namespace) -> int:
    destruction.decide(args.id, args.by, not args.refuse, args.opinion)
    print(f"batch {args.id}: {destruction.standing_of(args.id).text}")
    return 0


def _confirm(args: argparse.Namespace) -> int:
    destruction.confirm(args.id, args.destroyed_on, args.by, args.note)
    print(f"batch {args.id} destroyed on {args.destroyed_on}")
    return 0


def _certificate(args: argparse.Namespace) -> int:
    report = destruction_records.certificate(args.id)
    with open(args.out, "wb") as out:
        pages = write_pdf(report, out)
    print(f"wrote {args.out} ({pages} page(s))")
    return 0


def _list(args: argparse.Namespace) -> int:
    for b in destruction_records.batches():
        print(f"{b['id']}  {b['status']}  {b['folders']} folder(s)  {b['site']}  {b['reason']}")
    return 0


DESTRUCTION: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": _new,
    "approve": _approve,
    "confirm": _confirm,
    "certificate": _certificate,
    "list": _list,
}


def cmd_release(config: Config, args: argparse.Namespace) -> int:
    if args.release_action == "add":
        release = releases.Release(
            args.unit,
            args.letter,
            args.letter_date,
            args.purpose,
            args.approved_by,
            args.provided,
            args.provided_on or today(),
        )
        row = releases.record(release, args.seal_confirmed, args.by)
        print(f"release {row.id} registered: {row.unit}, letter {row.letter_number}")
        return 0
    for r in releases.rows(args.unit):
        print(f"{r['provided_on']}  {r['unit']}  {r['letter']}  {r['purpose']}  {r['provided']}")
    return 0


COMMANDS: dict[str, Callable[[Config, argparse.Namespace], int]] = {
    "appraisal": cmd_appraisal,
    "hold": cmd_hold,
    "destruction": cmd_destruction,
    "release": cmd_release,
}
