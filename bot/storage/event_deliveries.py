"""Remembering Events API deliveries, so that Slack's retries change nothing twice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Insert, bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.db import changed
from bot.storage.models import ProcessedEvent


def first_delivery(session: Session, *, event_id: str, now: dt.datetime) -> bool:
    """Record `event_id`; False if it was already recorded (this delivery is a retry).

    On PostgreSQL a concurrent retry waits for the first delivery's transaction:
    if that commits, the retry sees the row; if it rolls back, the retry runs.
    """
    statement = remember(session.get_bind().dialect.name)
    return session.execute(statement, {"event_id": event_id, "now": now}).scalar() is not None


def remember(dialect_name: str) -> Insert:
    """The statement that records `event_id` at `now` (its parameters), returning it only if
    it was not recorded. Built once per dialect: the gate runs it on every request."""
    return _REMEMBER[dialect_name if dialect_name == "postgresql" else "sqlite"]


def _remember(dialect) -> Insert:
    return (
        dialect.insert(ProcessedEvent)
        .values(
            event_id=bindparam("event_id", type_=ProcessedEvent.event_id.type),
            received_at=bindparam("now", type_=ProcessedEvent.received_at.type),
        )
        .on_conflict_do_nothing(index_elements=[ProcessedEvent.event_id])
        .returning(ProcessedEvent.event_id)
    )


_REMEMBER = {"postgresql": _remember(postgresql), "sqlite": _remember(sqlite)}


def forget_events_before(session: Session, *, cutoff: dt.datetime) -> int:
    """Drop records older than Slack's retry window; returns how many went."""
    statement = delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff)
    return changed(session.execute(statement))
