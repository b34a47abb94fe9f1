"""Pacing posts: one a second into each channel, and none while Slack asks us to wait."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class Paused(Exception):
    """Slack asked for a pause (a 429) that still has `seconds` to run."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"paused for {seconds:.1f} s")
        self.seconds = seconds


class Pacer:
    """At most one post a second into each channel; none at all while Slack asks us to wait.

    A channel's next post may start a second after its previous one was answered, so
    posts arrive at Slack at least a second apart whatever the network does.
    """

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self._lock = threading.Lock()
        self._channels: dict[str, tuple[threading.Lock, list[float]]] = {}
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        """Hold every post for `seconds` (a 429's Retry-After)."""
        with self._lock:
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    @contextmanager
    def slot(self, channel: str) -> Iterator[None]:
        """Wait for `channel`'s turn; the post happens inside the block."""
        with self._lock:
            if channel not in self._channels:
                if len(self._channels) > 10_000:
                    self._forget_idle()
                self._channels[channel] = (threading.Lock(), [0.0])
            lock, next_at = self._channels[channel]
        with lock:
            if (paused := self._paused_until - time.monotonic()) > 0:
                # Not worth holding a thread for: the caller tries again after the pause.
                raise Paused(paused)
            if (delay := next_at[0] - time.monotonic()) > 0:
                time.sleep(delay)
            try:
                yield
            finally:
                next_at[0] = time.monotonic() + self.interval

    def _forget_idle(self) -> None:
        now = time.monotonic()
        self._channels = {
            channel: entry
            for channel, entry in self._channels.items()
            if entry[1][0] > now or entry[0].locked()
        }
