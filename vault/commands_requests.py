"""`vault request …`: readers' requests for folders and the leaders' decisions on them.

vault request add CODES... --reader NAME --purpose P --from D --until D --by ARCHIVIST
    [--visitor-unit U --letter-number N --letter-date D --letter-until D --covers LINE...
     --seal-confirmed-by ARCHIVIST]
vault request approve ID --by LEADER --opinion TEXT [--folders CODES...] [--refuse]
vault request withdraw ID
vault request list [--status STATUS] [--waiting-for LEADER]
vault request show ID

The same services as the requests pages (`vault.services.requests`, `request_status`); people
are named by their usernames, as when they sign in. `vault approve` (vault/commands.py) stays
for the sample archive: it records a request and one leader's approval in one step.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date

from vault.config import Config
from vault.services import request_status, requests
from vault.services.clock import shown, today
from vault.services.errors import VaultError
from vault.services.letters import LetterForm

STATUS_SHOWN = request_status.STATUS_SHOWN


def add_parser(sub: argparse._SubParsersAction) -> None:
    request = sub.add_parser("request", help="record requests for folders; approve or refuse them")
    actions = request.add_subparsers(dest="request_action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="record a reader's request (a visitor's with the letter)")
    add.add_argument("codes", nargs="+", help="folder codes the reader asks for")
    add.add_argument("--reader", required=True, help="the reader's name")
    add.add_argument("--purpose", required=True)
    add.add_argument("--from", dest="valid_from", type=_date, default=None, help="default today")
    add.add_argument("--until", dest="valid_until", type=_date, default=None)
    add.add_argument("--by", required=True, help="the archivist recording it (username)")
    letter = add.add_argument_group("a visitor from another unit: the introduction letter")
    letter.add_argument("--visitor-unit", help="the visitor's unit")
    letter.add_argument("--letter-number")
    letter.add_argument("--letter-date", type=_date)
    letter.add_argument("--letter-until", type=_date, help="the last day the letter is valid")
    letter.add_argument("--covers", nargs="+", default=[], help="folder codes or subjects")
    letter.add_argument("--seal-confirmed-by", help="the archivist who saw the seal (username)")
    approve = actions.add_parser("approve", help="a leader approves (or refuses) a request")
    approve.add_argument("id", type=int)
    approve.add_argument("--by", required=True, help="the leader (username)")
    approve.add_argument("--opinion", required=True, help="the leader's written opinion")
    approve.add_argument("--folders", nargs="+", help="only these folders (default: all)")
    approve.add_argument("--refuse", action="store_true", help="refuse instead of approving")
    withdraw = actions.add_parser("withdraw", help="withdraw a request")
    withdraw.add_argument("id", type=int)
    listing = actions.add_parser("list", help="requests, open ones first")
    listing.add_argument("--status", choices=sorted(STATUS_SHOWN))
    listing.add_argument("--waiting-for", help="a leader (username): what awaits their decision")
    show = actions.add_parser("show", help="one request, folder by folder, with its decisions")
    show.add_argument("id", type=int)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def cmd_request(config: Config, args: argparse.Namespace) -> int:
    return ACTIONS[args.request_action](args)


def _add(args: argparse.Namespace) -> int:
    start = args.valid_from or today()
    request_id = requests.create_request(
        args.reader,
        args.codes,
        args.purpose,
        start,
        args.valid_until or start,
        args.by,
        _letter(args),
    )
    print(f"request {request_id} recorded for {args.reader}: {', '.join(args.codes)}")
    return 0


def _letter(args: argparse.Namespace) -> LetterForm | None:
    given = (args.letter_number, args.letter_date, args.letter_until, args.seal_confirmed_by)
    if args.visitor_unit is None:
        if any(given) or args.covers:
            raise VaultError("the letter's details need --visitor-unit (the visitor's unit)")
        return None
    if not (args.letter_number and args.letter_date and args.letter_until):
        raise VaultError("a visitor's letter needs --letter-number, --letter-date, --letter-until")
    return LetterForm(
        args.visitor_unit,
        args.letter_number,
        args.letter_date,
        args.letter_until,
        tuple(args.covers),
        args.seal_confirmed_by or "",
    )


def _approve(args: argparse.Namespace) -> int:
    requests.decide_request(args.id, args.by, args.opinion, args.folders, not args.refuse)
    detail = request_status.request_detail(args.id)
    verb = "refused" if args.refuse else "approved"
    print(f"request {args.id} {verb} by {args.by}; now {STATUS_SHOWN[detail['status']]}")
    return 0


def _withdraw(args: argparse.Namespace) -> int:
    requests.withdraw_request(args.id)
    print(f"request {args.id} withdrawn")
    return 0


def _list(args: argparse.Namespace) -> int:
    status = None if args.waiting_for else args.status
    rows = request_status.request_rows(status, waiting_for=args.waiting_for)
    for r in rows:
        who = r["reader"]
        print(
            f"{r['id']:>6}  {STATUS_SHOWN[r['status']]:<21} {r['valid_from']} – {r['valid_until']}"
            f"  {who}  {' '.join(r['codes'])}"
        )
    print(f"{len(rows)} request(s)")
    return 0


def _show(args: argparse.Namespace) -> int:
    r = request_status.request_detail(args.id)
    print(f"request {r['id']}: {STATUS_SHOWN[r['status']]}")
    print(f"reader   {r['reader']}")
    print(f"purpose  {r['purpose']}")
    print(f"valid    {r['valid_from']} – {r['valid_until']}")
    print(f"recorded by {r['created_by'] or '-'} at {shown(r['created_at']) or '-'}")
    if r["withdrawn_at"]:
        print(f"withdrawn at {shown(r['withdrawn_at'])}")
    letter = r["letter"]
    if letter is not None:
        print(
            f"letter   {letter.number} of {letter.unit}, {letter.issued_on} – "
            f"{letter.valid_until}; seal confirmed by {letter.seal_confirmed_by}"
        )
        print(f"covers   {'; '.join(r['letter_covers'])}")
    for f in r["folders"]:
        print(f"  {f.code:<20} {f.classification:<12} {STATUS_SHOWN[f.status]}", end="")
        notes = [n for n in (f.needs, f.letter_problem) if n]
        print(f": {'; '.join(notes)}" if notes else "")
    for d in r["decisions"]:
        verb = "approved" if d["approved"] else "refused"
        print(f"  {d['approver']} ({d['duty']}) {verb} {', '.join(d['codes'])} at {shown(d['at'])}")
        print(f"    {d['opinion']}")
    return 0


ACTIONS: dict[str, Callable[[argparse.Namespace], int]] = {
    "add": _add,
    "approve": _approve,
    "withdraw": _withdraw,
    "list": _list,
    "show": _show,
}
COMMANDS: dict[str, Callable[[Config, argparse.Namespace], int]] = {"request": cmd_request}
