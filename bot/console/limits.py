"""Slack's documented rate limits, as the stand-in for Slack enforces them.

Slack limits each Web API method per app per workspace by tier
(https://docs.slack.dev/apis/web-api/rate-limits): Tier 1 allows 1+ a minute, Tier 2
20+, Tier 3 50+, Tier 4 100+, each with some burst. `chat.postMessage` is special: about
one message a second into each channel, with short bursts. Since 2025, apps outside the
Slack Marketplace may call `conversations.history` once a minute, for at most 15
messages a page. Over a limit, Slack answers HTTP 429 with a `Retry-After` in seconds.

Each limit is a token bucket holding a minute's allowance (the burst), refilled evenly.
`minute` shortens the minute for tests that must see a limit lift without waiting one.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

TIER_PER_MINUTE = {1: 1, 2: 20, 3: 50, 4: 100}
# The methods Crewcall calls, by their documented tier.
METHOD_TIERS = {
    "apps.connections.open": 1,
    "auth.test": 4,
    "chat.delete": 3,
    "chat.postEphemeral": 4,
    "chat.update": 3,
    "conversations.history": 3,
    "conversations.open": 3,
    "files.completeUploadExternal": 4,
    "files.getUploadURLExternal": 4,
    "users.info": 4,
    "users.lookupByEmail": 3,
    "views.open": 4,
    "views.publish": 4,
    "views.push": 4,
    "views.update": 4,
}
# Apps outside the Marketplace (Crewcall is one): conversations.history and .replies.
OUTSIDE_MARKETPLACE_HISTORY_PER_MINUTE = 1
OUTSIDE_MARKETPLACE_HISTORY_PAGE = 15
# chat.postMessage: one a second into a channel; a short burst is tolerated.
POSTS_PER_SECOND = 1.0
POST_BURST = 3
# A minute that passes 1,200 times faster than Slack's: the console plays the sender
# between two lines typed, and most tests play a minute's traffic in an instant.
FAST_MINUTE_S = 0.05


@dataclass
class _Bucket:
    capacity: float
    per_second: float
    tokens: float
    at: float

    def take(self, now: float) -> float:
        """0 if a call may go now (and take its token); else seconds until one may."""
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.per_second)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.per_second


@dataclass
class RateLimits:
    """Per workspace and method (and, for posts, per channel): may this call go now?"""

    enforced: bool = True
    marketplace: bool = False
    minute: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[tuple[str, ...], _Bucket] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def history_page(self) -> int | None:
        """The most messages one conversations.history page holds (None: no cap)."""
        return None if self.marketplace else OUTSIDE_MARKETPLACE_HISTORY_PAGE

    def retry_after(self, team: str, method: str, params: dict) -> int | None:
        """None if the call is within the limits; else the Retry-After Slack would send."""
        if not self.enforced:
            return None
        keys = self._limits(team, method, params)
        with self._lock:
            now = self.clock()
            waits = [
                self._bucket(key, capacity, rate, now).take(now) for key, capacity, rate in keys
            ]
        wait = max(waits, default=0.0)
        return max(1, math.ceil(wait)) if wait > 0 else None

    def _limits(self, team: str, method: str, params: dict) -> list[tuple[tuple, float, float]]:
        """(key, burst, calls a second) for each limit the call counts against."""
        if method == "chat.postMessage":
            channel = str(params.get("channel", ""))
            return [((team, method, channel), POST_BURST, POSTS_PER_SECOND * 60 / self.minute)]
        if method == "conversations.history" and not self.marketplace:
            per_minute = OUTSIDE_MARKETPLACE_HISTORY_PER_MINUTE
        elif (tier := METHOD_TIERS.get(method)) is not None:
            per_minute = TIER_PER_MINUTE[tier]
        else:
            return []
        return [((team, method), per_minute, per_minute / self.minute)]

    def _bucket(self, key: tuple, capacity: float, rate: float, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(capacity, rate, capacity, now)
        return bucket
