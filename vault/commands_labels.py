"""`vault labels …`: print, preview and trace folder labels from the command line.

vault labels print [CODES…] [--unlabelled] [--range FIRST LAST] [--location LOC]
                   [--codes-file FILE] [--all] [-o labels.pdf] [--stock L7163] [--start 5]
vault labels print … --zpl FILE|--printer tcp://10.0.0.5:9100 [--rfid]
vault labels preview CODE [-o label.png] [--thermal]
vault labels history CODE
vault labels tag CODE EPC
vault labels stocks
"""

from __future__ import annotations

import argparse
from pathlib import Path

from vault.config import Config
from vault.progress import ProgressBar
from vault.services.errors import VaultError


def add_parser(sub: argparse._SubParsersAction) -> None:
    labels = sub.add_parser("labels", help="print labels, preview one, show a folder's prints")
    actions = labels.add_subparsers(dest="labels_action", required=True, metavar="ACTION")
    pr = actions.add_parser("print", help="print labels (sheet PDF, or ZPL for thermal printers)")
    pr.add_argument("codes", nargs="*", help="folder codes")
    pr.add_argument("--all", action="store_true", help="every registered folder")
    pr.add_argument("--unlabelled", action="store_true", help="folders with no label yet")
    pr.add_argument("--range", nargs=2, metavar=("FIRST", "LAST"), help="codes FIRST..LAST")
    pr.add_argument("--location", help="a shelf or box location, or its prefix (A-03)")
    pr.add_argument("--codes-file", type=Path, help="a file of folder codes, one per line")
    pr.add_argument("-o", "--output", type=Path, default=Path("labels.pdf"), help="sheet PDF")
    pr.add_argument("--stock", help="sheet stock (default from [labels] stock)")
    pr.add_argument("--start", type=int, default=1, help="first free position on the sheet")
    out = pr.add_mutually_exclusive_group()
    out.add_argument("--zpl", type=Path, help="write ZPL for a thermal printer to this file")
    out.add_argument("--printer", nargs="?", const="", help="send ZPL to the thermal printer")
    pr.add_argument("--rfid", action="store_true", default=None, help="also write RFID tags")
    pv = actions.add_parser("preview", help="a PNG of the label the next print would give")
    pv.add_argument("code")
    pv.add_argument("-o", "--output", type=Path, default=None)
    pv.add_argument("--stock")
    pv.add_argument("--thermal", action="store_true", help="the thermal printer's label size")
    hi = actions.add_parser("history", help="every print of a folder's label")
    hi.add_argument("code")
    tg = actions.add_parser("tag", help="record a pre-encoded RFID tag against a folder")
    tg.add_argument("code")
    tg.add_argument("tag", help="the tag's EPC or 125 kHz id, in hex")
    actions.add_parser("stocks", help="list the label sheet stocks Vault knows")


def cmd_labels(config: Config, args: argparse.Namespace) -> int:
    from labels import BarcodeTooWide, FontMissing, LabelTooSmall

    try:
        return ACTIONS[args.labels_action](config, args)
    except (FontMissing, BarcodeTooWide, LabelTooSmall) as e:
        raise VaultError(str(e)) from None


def _print(config: Config, args: argparse.Namespace) -> int:
    from vault.services import printing

    selection = _selection(args)
    bar = ProgressBar("labels")
    if args.zpl is not None or args.printer is not None:
        target = str(args.zpl) if args.zpl is not None else (args.printer or config.labels.printer)
        if not target:
            raise VaultError(f"{config.path}: no thermal printer: set [labels] printer or name one")
        count = printing.print_thermal(
            config, selection, target, everything=args.all, rfid=args.rfid, progress=bar
        )
        print(f"sent {count} labels to {target}")
        return 0
    if args.start < 1:
        raise VaultError("--start counts sheet positions from 1")
    count = printing.print_sheets(
        config,
        selection,
        args.output,
        everything=args.all,
        stock_name=args.stock,
        start=args.start,
        progress=bar,
    )
    print(f"wrote {count} labels to {args.output}")
    return 0


def _selection(args: argparse.Namespace):
    from vault.services.labels import Selection

    codes = list(args.codes)
    if args.codes_file is not None:
        try:
            text = args.codes_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            raise VaultError(f"{args.codes_file}: {e}") from None
        codes += [line.split("#", 1)[0].strip() for line in text.splitlines()]
    first, last = args.range or (None, None)
    return Selection(
        codes=tuple(dict.fromkeys(c for c in codes if c)),
        unlabelled=args.unlabelled,
        first=first,
        last=last,
        location=args.location,
    )


def _preview(config: Config, args: argparse.Namespace) -> int:
    from vault.services.printing import preview

    path = args.output or Path(f"{args.code.replace('/', '_')}.png")
    preview(config, args.code, path, stock_name=args.stock, thermal=args.thermal)
    print(f"wrote a preview of {args.code}'s next label to {path}")
    return 0


def _history(config: Config, args: argparse.Namespace) -> int:
    from vault.services.clock import to_local
    from vault.services.labels import history

    rows = history(args.code)
    for row in rows:
        state = "valid" if row["valid"] else "void"
        when = to_local(row["printed_at"]).strftime("%Y-%m-%d %H:%M")
        tag = f"  tag {row['epc']}" if row["epc"] else ""
        print(f"{row['barcode']:<24} {state:<5}  {when}  {row['output']}{tag}")
    print(f"{len(rows)} print(s) of {args.code}'s label")
    return 0


def _tag(config: Config, args: argparse.Namespace) -> int:
    from vault.services.labels import record_tag

    record_tag(args.code, args.tag)
    print(f"tag {args.tag.upper()} recorded for {args.code}")
    return 0


def _stocks(config: Config, args: argparse.Namespace) -> int:
    from labels.stocks import STOCKS
    from vault.services.printing import stock_named

    names = [str(s.get("name")) for s in config.labels.stocks] + [s.name for s in STOCKS]
    for name in names:
        s = stock_named(config.labels, name)
        print(
            f"{s.name:<22} {s.columns} x {s.rows} labels of {s.label_width:g} x "
            f"{s.label_height:g} mm on {s.page_width:g} x {s.page_height:g} mm"
        )
    return 0


ACTIONS = {
    "print": _print,
    "preview": _preview,
    "history": _history,
    "tag": _tag,
    "stocks": _stocks,
}
