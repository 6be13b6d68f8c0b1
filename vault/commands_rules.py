"""`vault` subcommands for the archive's rules, one module per area: requests and approvals,
stocktakes, retention and destruction (with data released outside), closing time and reports."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from vault import commands_destruction, commands_reports, commands_requests, commands_stocktake
from vault.config import Config

AREAS = (commands_requests, commands_stocktake, commands_destruction, commands_reports)
COMMANDS: dict[str, Callable[[Config, argparse.Namespace], int]] = {}
for _area in AREAS:
    COMMANDS.update(_area.COMMANDS)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add every area's subcommands to the `vault` command."""
    for area in AREAS:
        area.add_parser(sub)
