"""What handlers share within a process, built once by create_app."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import sessionmaker

from bot.core.directory import Directory
from bot.core.timezones import TimezoneCache
from bot.storage.db import Glance


class Feeds(Protocol):
    """Calendar feeds as written out (bot.calendars.feeds.Feeds), named here so that the
    core, below every feature, needs none of them."""

    def serve(self, secret: str, *, now: dt.datetime) -> Any:
        """The feed a secret opens, written out; None if it opens none."""

    def render(self, feed: Any, *, feed_id: int, created: dt.datetime, now: dt.datetime) -> Any:
        """A feed written out now."""


@dataclass(frozen=True)
class Deps:
    """Schedules, feeds and readers' time zones, each current when asked for; on every
    request's context as `deps`."""

    directory: Directory
    timezones: TimezoneCache
    after_answer: AfterAnswer
    # Read-only sessions: on SQLite these never take (or wait for) the write lock.
    readers: sessionmaker
    # One read statement's rows, seeing every commit before it (Database.glance).
    glance: Glance
    # Calendar feeds, as written out for each schedule version.
    feeds: Feeds
    # HTTP mode's public base URL (PUBLIC_URL), for calendar links; None: no links.
    public_url: str | None


log = logging.getLogger(__name__)


class AfterAnswer:
    """Slack calls that can wait until the request is answered (a message's new look).

    Only for what may be lost without harm: anything that must happen goes through
    the database (the outbox), where it survives restarts and is retried.
    """

    def __init__(self, executor: Executor) -> None:
        self._executor = executor
        # Calls handed over and not yet finished, for wait_idle.
        self._pending = 0
        self._idle = threading.Condition()

    def __call__(self, call: Callable[[], object]) -> None:
        """Run `call` after the answer, on the request threads' executor."""
        with self._idle:
            self._pending += 1
        self._executor.submit(self._run, call)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every call handed over so far has finished (for the console, which
        shows what they did); False if `timeout` seconds passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def _run(self, call: Callable[[], object]) -> None:
        try:
            call()
        except Exception:
            log.exception("a call after the answer failed")
        finally:
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()
