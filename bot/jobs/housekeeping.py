"""Housekeeping: forgetting Events API deliveries once Slack can no longer retry them."""

from __future__ import annotations

import datetime as dt

from bot.storage.db import Database
from bot.storage.events import forget_events_before

# Slack retries a delivery three times within about an hour; a day is ample.
EVENT_MEMORY = dt.timedelta(days=1)


def forget_old_events(db: Database, *, now: dt.datetime) -> int:
    """Delete delivery records older than EVENT_MEMORY; returns how many went."""
    with db.transaction() as session:
        return forget_events_before(session, cutoff=now - EVENT_MEMORY)
