"""Collapse an RFID reader's repeated reports of a tag into one read per pass.

Where it sits: station loop -> driver frames -> `RepeatFilter.first_sighting` -> spool. A
reader reports every tag in its field many times a second; only the first report of a pass
becomes a read. A pass ends once the tag has gone `window` seconds without being reported.
"""

from __future__ import annotations

import threading
from collections import OrderedDict


class RepeatFilter:
    """Remembers when each (station, tag) was last reported, oldest first, so that forgetting
    the tags whose pass has ended only ever looks at the front: amortised O(1) per report.

    `now` must come from one monotonic clock (time.monotonic()). Memory holds the tags reported
    within the last `window` seconds, and never more than `max_tags`: past that the oldest are
    forgotten early, which can only turn a repeat into an extra read, never lose one.
    Safe to share between station threads.
    """

    def __init__(self, window: float, max_tags: int = 100_000) -> None:
        if window <= 0 or max_tags < 1:
            raise ValueError("the repeat window and tag limit must be positive")
        self.window = window
        self.max_tags = max_tags
        self._last_seen: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._lock = threading.Lock()

    def first_sighting(self, station: str, code: str, now: float) -> bool:
        """True for the first report of a tag at a station and for a report after a gap of at
        least `window`; False while the tag keeps being reported (each report slides the
        window)."""
        key = (station, code)
        last_seen = self._last_seen
        with self._lock:
            previous = last_seen.pop(key, None)
            last_seen[key] = now
            cutoff = now - self.window
            while True:  # the newest entry is `key` itself, so this stops before emptying
                oldest = next(iter(last_seen))
                if last_seen[oldest] > cutoff and len(last_seen) <= self.max_tags:
                    break
                del last_seen[oldest]
            return previous is None or now - previous >= self.window

    def __len__(self) -> int:
        """How many tags are remembered (for health reporting and tests)."""
        return len(self._last_seen)
