"""The first name of the scanner driver: stations configured with `protocol = "line"` keep
working and get the scanner driver's behaviour (see scanner.py)."""

from __future__ import annotations

from firmware_bridge.protocols.scanner import MAX_LENGTH, ScannerProtocol

MAX_LINE = MAX_LENGTH


class LineProtocol(ScannerProtocol):
    def __init__(self, max_line: int | None = None, **options: object) -> None:
        if max_line is not None:
            options["max_length"] = max_line
        super().__init__(**options)  # type: ignore[arg-type]
