"""A progress bar on the terminal for long batches (labels, imports).

Drawn on stderr and only when stderr is a terminal, so logs and pipes get no control
characters; redrawn at most every 1 % so it costs nothing next to the work it reports.
"""

from __future__ import annotations

import sys
from typing import TextIO

WIDTH = 30


class ProgressBar:
    def __init__(self, what: str, stream: TextIO | None = None) -> None:
        self.what = what
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._shown = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        total = max(total, 1)
        percent = done * 100 // total
        if percent == self._shown and done != total:
            return
        self._shown = percent
        filled = WIDTH * done // total
        bar = "#" * filled + "." * (WIDTH - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} {self.what} {percent:3d}%")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
