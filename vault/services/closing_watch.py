"""The closing-time watch: a thread in each long-running process (the bridge, the web server)
that runs the day's closing check once closing time has come.

Every process that may be running at closing time carries one, so the check happens if any of
them is up; `vault.services.closing.close_day` makes sure it happens once. The first look is
at start, so a process started after closing time catches the day up at once. Days before
today are never run by the watch: `vault closing run --day` catches up a day that was missed.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from datetime import datetime

from vault.config import Config
from vault.db.models import database
from vault.domain import closing as rules
from vault.services import closing
from vault.services.clock import utcnow

log = logging.getLogger("vault.closing")
INTERVAL = 30.0  # seconds between looks at the clock: alarms come at most this late


class ClosingWatch(threading.Thread):
    def __init__(
        self,
        config: Config,
        stop: threading.Event,
        interval: float = INTERVAL,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(name="closing-watch", daemon=True)
        self.config, self.stop, self.interval, self.now = config, stop, interval, now

    def run(self) -> None:
        while True:
            try:
                self.check()
            except Exception:  # a locked or lost database: look again next time
                log.exception("closing check could not run (will retry)")
                with contextlib.suppress(Exception):  # a new connection next time: the
                    database.close()  # database server may have restarted under this one
            if self.stop.wait(self.interval):
                return

    def check(self) -> closing.Closed | None:
        """Run today's check if closing time has come and no process has run it yet."""
        day = rules.due(self.now(), self.config.closing_time, self.config.zone)
        if day is None or closing.has_run(day):
            return None
        done = closing.close_day(day, self.config.closing_time, self.config.zone)
        if done is not None:
            log.info(
                "closing check of %s: %d folder(s) not returned, alarm(s) %s",
                day,
                done.not_returned,
                list(done.alarm_ids),
            )
        return done


def start_watch(config: Config, stop: threading.Event) -> ClosingWatch | None:
    """Start the watch when the configuration sets a closing time (else there is nothing to
    watch for); the thread ends when `stop` is set, or with the process."""
    if not config.closing_time:
        return None
    watch = ClosingWatch(config, stop)
    watch.start()
    return watch
