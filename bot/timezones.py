"""Readers' Slack time zones (users.info), remembered per process for a day."""

from __future__ import annotations

import datetime as dt
import logging
import threading

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger(__name__)
FRESH_FOR = dt.timedelta(days=1)
RETRY_AFTER = dt.timedelta(hours=1)


class TimezoneCache:
    """users.info at most once a day per person; after a failure, again in an hour."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[str | None, dt.datetime]] = {}
        self._lock = threading.Lock()

    def get(self, client: WebClient, user_id: str, *, now: dt.datetime) -> str | None:
        """The person's Slack time zone, or None if Slack has not said."""
        known = self._known.get(user_id)
        if known is not None and now < known[1]:
            return known[0]
        profile = users_info(client, user_id)
        self.remember(user_id, profile, now=now, previous=known[0] if known else None)
        return self._known[user_id][0]

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


def users_info(client: WebClient, user_id: str) -> dict | None:
    """users.info, or None if Slack cannot say right now (the answer goes on without it)."""
    try:
        return client.users_info(user=user_id)["user"]
    except (SlackApiError, SlackClientError, OSError) as exc:
        log.warning("users.info failed for %s: %s", user_id, exc)
        return None
