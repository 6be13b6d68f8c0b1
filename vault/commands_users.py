"""`vault user …`: the accounts people sign in to the web pages with.

vault user add USERNAME --role ROLE [--name "显示名"] [--language zh|en]
vault user passwd USERNAME
vault user disable USERNAME
vault user signout USERNAME
vault user list
vault user kiosk NAME [--name "值班室大屏"]
vault user kiosk-link NAME [--url http://127.0.0.1:8080]

Passwords are asked twice on a terminal; piped in (one line on standard input) otherwise, so a
script can set one. A guard-room screen has no password: `kiosk-link` prints a link that signs
one screen in, once, within 10 minutes.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from vault.config import Config
from vault.domain.access import STAFF
from vault.services import accounts, sessions
from vault.services.clock import to_local
from vault.services.errors import VaultError


def add_parser(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser("user", help="add people who sign in, change passwords, disable them")
    actions = user.add_subparsers(dest="user_action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add a person who signs in with a password")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=sorted(STAFF))
    add.add_argument("--name", default="", help="the name pages show (default: the username)")
    add.add_argument("--language", default="zh", choices=accounts.LANGUAGES)
    for action, text in (
        ("passwd", "set a new password (the person's sessions end)"),
        ("disable", "stop an account signing in; its sessions end at once"),
        ("signout", "end every session of an account (a guard-room screen too)"),
    ):
        actions.add_parser(action, help=text).add_argument("username")
    actions.add_parser("list", help="every account, its role and whether it is disabled")
    kiosk = actions.add_parser("kiosk", help="add a guard-room screen account (no password)")
    kiosk.add_argument("username")
    kiosk.add_argument("--name", default="", help="the name the screen shows")
    link = actions.add_parser("kiosk-link", help="print a one-time link that signs a screen in")
    link.add_argument("username")
    link.add_argument("--url", default="http://127.0.0.1:8080", help="where Vault is served")


def cmd_user(config: Config, args: argparse.Namespace) -> int:
    return ACTIONS[args.user_action](args)


def read_password(prompt: str = "Password: ") -> str:
    """Twice without echo on a terminal; one line from standard input when piped."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("Again: ") != first:
        raise VaultError("the two passwords differ; nothing was changed")
    return first


def _add(args: argparse.Namespace) -> int:
    user = accounts.add_user(
        args.username, args.role, read_password(), display_name=args.name, language=args.language
    )
    print(f"added {user.username} ({user.display_name}), role {user.role}")
    return 0


def _passwd(args: argparse.Namespace) -> int:
    accounts.user_named(args.username)  # say "no such user" before asking for a password
    accounts.set_password(args.username, read_password("New password: "))
    print(f"password of {args.username} changed; their sessions have ended")
    return 0


def _disable(args: argparse.Namespace) -> int:
    ended = accounts.disable_user(args.username)
    print(f"{args.username} is disabled; {ended} session(s) ended")
    return 0


def _signout(args: argparse.Namespace) -> int:
    ended = sessions.end_all(accounts.user_named(args.username))
    print(f"{ended} session(s) of {args.username} ended")
    return 0


def _list(args: argparse.Namespace) -> int:
    rows = accounts.list_users()
    for u in rows:
        changed = u["password_changed_at"]
        when = to_local(changed).strftime("%Y-%m-%d") if changed else "-"
        state = "disabled" if u["disabled"] else "active"
        print(f"{u['username']:<20} {u['role']:<14} {state:<9} {u['language']}  {when}  ", end="")
        print(u["name"])
    print(f"{len(rows)} account(s)")
    return 0


def _kiosk(args: argparse.Namespace) -> int:
    user = accounts.add_kiosk(args.username, args.name)
    print(
        f"added the guard-room screen {user.username}; sign a screen in with "
        f"`vault user kiosk-link {user.username}`"
    )
    return 0


def _kiosk_link(args: argparse.Namespace) -> int:
    token = sessions.new_kiosk_link(args.username)
    print(f"{args.url.rstrip('/')}/kiosk/{token}")
    print(
        "Open this link on the guard-room screen within 10 minutes; it works once.",
        file=sys.stderr,
    )
    return 0


ACTIONS = {
    "add": _add,
    "passwd": _passwd,
    "disable": _disable,
    "signout": _signout,
    "list": _list,
    "kiosk": _kiosk,
    "kiosk-link": _kiosk_link,
}
