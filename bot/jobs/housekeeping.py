"""Housekeeping: forgetting what is no longer needed, so that no table grows for ever.

Events API deliveries and signed requests are remembered (to answer each once) until
Slack can no longer retry or replay them; OAuth states until they expire.
"""

from __future__ import annotations

import datetime as dt

from bot.storage.db import Database
from bot.storage.event_deliveries import forget_events_before
from bot.storage.installations import forget_expired_states

# Slack retries a delivery three times within about an hour; a day is ample.
EVENT_MEMORY = dt.timedelta(days=1)


def forget_old_events(db: Database, *, now: dt.datetime) -> int:
    """Delete delivery records older than EVENT_MEMORY; returns how many went."""
    with db.transaction() as session:
        return forget_events_before(session, cutoff=now - EVENT_MEMORY)


def tidy(db: Database, *, now: dt.datetime) -> int:
    """The housekeeping job: old deliveries and expired OAuth states; how many went."""
    return forget_old_events(db, now=now) + forget_expired_states(db, now=now)
