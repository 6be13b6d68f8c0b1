"""Server-sent event streams: the one loop behind the live board and the live desk.

A stream looks for news and sends what it finds, pings now and then so proxies and browsers
keep the connection, ends within a second of its session ending (the page then goes to the
sign-in form), and ends after ten minutes anyway so no server thread is held forever: browsers
reconnect by themselves.

When does it look? On SQLite, every 100 ms. On PostgreSQL the database says when something
changed (vault.db.notify rings `NEWS`), so a stream looks at once when told and otherwise once a
second, and twenty open boards no longer ask the database two hundred times a second.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator

from vault.services import sessions

POLL_SECONDS = 0.1  # how often a stream looks for news when nobody tells it
STREAM_SECONDS = 600
PING_SECONDS = 15
SESSION_CHECK_SECONDS = 1  # a stream stops this soon after its session is ended


class Bell:
    """Rung when the database reports a change; streams wait on it. `told` is set while
    something (the PostgreSQL listener) is ringing it; until then streams keep polling."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._rung = 0
        self.told: Callable[[], bool] = lambda: False

    @property
    def rung(self) -> int:
        return self._rung

    def ring(self) -> None:
        with self._changed:
            self._rung += 1
            self._changed.notify_all()

    def wait(self, seen: int) -> int:
        """Wait for a ring after `seen` (or the polling interval); return the count to pass next."""
        timeout = SESSION_CHECK_SECONDS if self.told() else POLL_SECONDS
        with self._changed:
            self._changed.wait_for(lambda: self._rung != seen, timeout)
            return self._rung


NEWS = Bell()


def event_stream(session: str, news: Callable[[], Iterable[str]]) -> Iterator[str]:
    """Send each message `news()` returns (whole "event: …\\ndata: …\\n\\n" blocks) as it comes."""
    yield "retry: 1000\n\n"
    rung = NEWS.rung
    started = last_sent = checked = time.monotonic()
    while time.monotonic() - started < STREAM_SECONDS:
        if time.monotonic() - checked > SESSION_CHECK_SECONDS:
            checked = time.monotonic()
            if not sessions.is_live(session):
                yield "event: signedout\ndata: {}\n\n"
                return
        for message in news():
            yield message
            last_sent = time.monotonic()
        if time.monotonic() - last_sent > PING_SECONDS:
            yield ": ping\n\n"
            last_sent = time.monotonic()
        rung = NEWS.wait(rung)
