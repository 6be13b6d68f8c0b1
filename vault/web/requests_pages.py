"""Pages still to be written."""

from __future__ import annotations

import bottle

from vault.config import Config


def register(app: bottle.Bottle, config: Config) -> None:
    """No routes yet."""
