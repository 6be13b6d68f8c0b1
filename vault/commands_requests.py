"""`vault` subcommands still to be written."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from vault.config import Config

COMMANDS: dict[str, Callable[[Config, argparse.Namespace], int]] = {}


def add_parser(sub: argparse._SubParsersAction) -> None:
    """No subcommands yet."""
