"""Tell which way a folder went through a doorway from the order its two readers saw it.

Where it sits: the portal's two RFID stations -> `Portal.observe` -> `Passage` -> the bridge
spools a "portal_out" or "portal_in" read ("out" becomes an exit read and an alarm even if
nobody scanned anything).

Rules, for one tag: its sightings form a track while the gaps between them stay below
`window` seconds. Inside then outside is "out"; outside then inside is "in". Each change of
side is one passage, reported once; repeated sightings on the same side report nothing. A folder
carried in and straight back out therefore reports "in" then "out", and the alarm is raised.

A track seen only at the outside reader produces no passage, but it must not vanish: it may be
a folder that left while the inside reader missed it. When the track ends it is returned by
`expired()`, and the bridge should record it as a read at the outside station, so the rules
can raise an alarm if that folder was meant to be in the reading room. A track seen only at the
inside reader is a folder near the door that stayed in the room; it is dropped.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass

log = logging.getLogger("vault.bridge.portal")


@dataclass(frozen=True, slots=True)
class Passage:
    portal: str
    code: str
    direction: str  # "out" (inside, then outside) or "in" (outside, then inside)
    at: float  # clock reading of the sighting that completed the passage


@dataclass(frozen=True, slots=True)
class LoneSighting:
    """A tag seen only at the outside reader, for `window` seconds or more ago."""

    portal: str
    station: str
    code: str
    first: float
    last: float


@dataclass(slots=True)
class _Track:
    outside: bool  # the side the tag was seen on last
    first: float
    last: float
    crossed: bool = False


class Portal:
    """Safe to share between the two stations' threads; `now` comes from time.monotonic().
    Memory holds the tags seen within the last `window` seconds (at most `max_tags`; past that
    the oldest tracks end early) and at most `max_tags` lone sightings awaiting `expired()`."""

    def __init__(
        self, name: str, inside: str, outside: str, window: float, max_tags: int = 100_000
    ) -> None:
        if inside == outside or window <= 0 or max_tags < 1:
            raise ValueError(f"portal {name}: needs two different stations and a positive window")
        self.name, self.inside, self.outside, self.window = name, inside, outside, window
        self.max_tags = max_tags
        self._tracks: OrderedDict[str, _Track] = OrderedDict()  # least recently seen first
        self._lone: deque[LoneSighting] = deque(maxlen=max_tags)
        self._lock = threading.Lock()

    def observe(self, station: str, code: str, now: float) -> Passage | None:
        """Take one sighting; return the passage it completes, if any."""
        if station not in (self.inside, self.outside):
            raise ValueError(f"portal {self.name}: station {station} is not one of its readers")
        outside = station == self.outside
        with self._lock:
            track = self._tracks.pop(code, None)
            if track is not None and now - track.last >= self.window:
                self._end(code, track)
                track = None
            passage = None
            if track is None:
                track = _Track(outside, now, now)
            elif track.outside != outside:
                passage = Passage(self.name, code, "out" if outside else "in", now)
                track.outside, track.crossed = outside, True
            track.last = now
            self._tracks[code] = track
            self._forget(now)
            return passage

    def expired(self, now: float) -> list[LoneSighting]:
        """Lone outside sightings whose track has ended, each returned once."""
        with self._lock:
            self._forget(now)
            lone = list(self._lone)
            self._lone.clear()
            return lone

    def _forget(self, now: float) -> None:
        """End the tracks not seen for `window`; only the front is looked at (oldest first)."""
        tracks = self._tracks
        cutoff = now - self.window
        while tracks:
            code = next(iter(tracks))
            if tracks[code].last > cutoff and len(tracks) <= self.max_tags:
                return
            self._end(code, tracks.pop(code))

    def _end(self, code: str, track: _Track) -> None:
        if track.crossed or not track.outside:
            return
        if len(self._lone) == self._lone.maxlen:
            log.error(
                "portal %s: lone outside sightings are not being collected; the oldest (%s) "
                "is dropped",
                self.name,
                self._lone[0].code,
            )
        self._lone.append(LoneSighting(self.name, self.outside, code, track.first, track.last))

    def __len__(self) -> int:
        """How many tags are being tracked (for health reporting and tests)."""
        return len(self._tracks)
