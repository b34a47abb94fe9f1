"""Readers' Slack time zones (users.info), learned after answering, remembered for a day.

No answer waits for Slack: a person this process has not yet learned the zone of is
answered in the production's zone alone, and users.info is asked after the answer
has gone (once per person at a time), for their next question. When Slack is
rate-limiting users.info the lookup is not retried: the zone is learned an hour later,
and no thread sleeps through a Retry-After for it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import OrderedDict

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.core.background import OncePerKey, RunIn

log = logging.getLogger(__name__)
FRESH_FOR = dt.timedelta(days=1)
RETRY_AFTER = dt.timedelta(hours=1)
# People remembered per process, the least recently asked about forgotten first.
KEPT = 10_000


class TimezoneCache:
    """users.info at most once a day per person, after answering; after a failure, an hour."""

    def __init__(self, after_answer: RunIn, *, kept: int = KEPT) -> None:
        self._learn_later = OncePerKey(after_answer)
        self._known: OrderedDict[str, tuple[str | None, dt.datetime]] = OrderedDict()
        self._kept = kept
        self._lock = threading.Lock()

    def get(self, client: WebClient, user_id: str, *, now: dt.datetime) -> str | None:
        """The person's Slack time zone as last learned, or None; learned anew after answering
        when it is not known or a day old."""
        with self._lock:
            known = self._known.get(user_id)
            if known is not None:
                self._known.move_to_end(user_id)
        if known is None or now >= known[1]:
            previous = known[0] if known else None
            self._learn_later(
                user_id,
                lambda: self.remember(
                    user_id,
                    users_info(_not_through_429s(client), user_id),
                    now=now,
                    previous=previous,
                ),
            )
        return known[0] if known else None

    def remember(
        self, user_id: str, profile: dict | None, *, now: dt.datetime, previous: str | None = None
    ) -> None:
        """Keep what users.info said (or, if it failed, what we had, for an hour)."""
        entry = (
            (previous, now + RETRY_AFTER)
            if profile is None
            else (profile.get("tz"), now + FRESH_FOR)
        )
        with self._lock:
            self._known[user_id] = entry
            self._known.move_to_end(user_id)
            while len(self._known) > self._kept:
                self._known.popitem(last=False)


def _not_through_429s(client: WebClient) -> WebClient:
    """`client` as it is, but giving up on a 429 rather than waiting out its Retry-After."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        logger=client.logger,
        retry_handlers=[
            handler
            for handler in client.retry_handlers
            if not isinstance(handler, RateLimitErrorRetryHandler)
        ],
    )


def users_info(client: WebClient, user_id: str) -> dict | None:
    """users.info, or None if Slack cannot say right now (the answer goes on without it)."""
    try:
        return client.users_info(user=user_id)["user"]
    except (SlackApiError, SlackClientError, OSError) as exc:
        log.warning("users.info failed for %s: %s", user_id, exc)
        return None
