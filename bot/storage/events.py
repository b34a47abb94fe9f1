"""Remembering Events API deliveries, so that Slack's retries change nothing twice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Insert, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.models import ProcessedEvent


def first_delivery(session: Session, *, event_id: str, now: dt.datetime) -> bool:
    """Record `event_id`; False if it was already recorded (this delivery is a retry).

    On PostgreSQL a concurrent retry waits for the first delivery's transaction:
    if that commits, the retry sees the row; if it rolls back, the retry runs.
    """
    statement = remember(session.get_bind().dialect.name, event_id=event_id, now=now)
    return session.execute(statement).scalar() is not None


def remember(dialect_name: str, *, event_id: str, now: dt.datetime) -> Insert:
    """The statement that records `event_id`, returning it only if it was not recorded."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return (
        dialect.insert(ProcessedEvent)
        .values(event_id=event_id, received_at=now)
        .on_conflict_do_nothing(index_elements=[ProcessedEvent.event_id])
        .returning(ProcessedEvent.event_id)
    )


def forget_events_before(session: Session, *, cutoff: dt.datetime) -> int:
    """Drop records older than Slack's retry window; returns how many went."""
    statement = delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff)
    return session.execute(statement).rowcount
