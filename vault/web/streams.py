"""Server-sent event streams: the one loop behind the live board and the live desk.

A stream polls for news every 100 ms and sends what it finds, pings now and then so proxies and
browsers keep the connection, ends within a second of its session ending (the page then goes
to the sign-in form), and ends after ten minutes anyway so no server thread is held forever:
browsers reconnect by themselves.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator

from vault.services import sessions

POLL_SECONDS = 0.1  # how often a stream looks for news
STREAM_SECONDS = 600
PING_SECONDS = 15
SESSION_CHECK_SECONDS = 1  # a stream stops this soon after its session is ended


def event_stream(session: str, news: Callable[[], Iterable[str]]) -> Iterator[str]:
    """Send each message `news()` returns (whole "event: …\\ndata: …\\n\\n" blocks) as it comes."""
    yield "retry: 1000\n\n"
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
        time.sleep(POLL_SECONDS)
