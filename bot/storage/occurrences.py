"""Occurrences: claiming an automatic message for a person, so that it goes out once.

A claim is an INSERT that skips rows already there (ON CONFLICT DO NOTHING) and
returns the ones it made. Any number of schedulers may claim the same keys at once;
the unique constraint lets exactly one of them have each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.storage.db import insert_for
from bot.storage.models import Occurrence, OccurrenceKind

# The crew channel's post (or the production as a whole) in place of a person.
CHANNEL = 0


class Key(NamedTuple):
    """What an occurrence is: production, kind, day and person (CHANNEL for the channel)."""

    production_id: int
    kind: OccurrenceKind
    day: dt.date
    person: int


def claim(session: Session, *, due: dict[Key, dt.datetime], now: dt.datetime) -> dict[Key, int]:
    """Insert the occurrences not yet there; those this call made, with their ids."""
    if not due:
        return {}
    statement = (
        insert_for(session)(Occurrence)
        .on_conflict_do_nothing()
        .returning(
            Occurrence.id,
            Occurrence.production_id,
            Occurrence.kind,
            Occurrence.day,
            Occurrence.person,
        )
    )
    rows = [{**key._asdict(), "due_at": due_at, "created_at": now} for key, due_at in due.items()]
    made = session.execute(statement, rows)
    return {Key(*row[1:]): row[0] for row in made}


def claimed_before(session: Session, *, production_id: int, days: Iterable[dt.date]) -> set[Key]:
    """Every occurrence already made for this production on these days."""
    rows = session.execute(
        select(Occurrence.production_id, Occurrence.kind, Occurrence.day, Occurrence.person).where(
            Occurrence.production_id == production_id, Occurrence.day.in_(list(days))
        )
    )
    return {Key(*row) for row in rows}


def carried_by(session: Session, *, occurrence_ids: Iterable[int], notice_id: int) -> None:
    """Record the notice that carries these occurrences."""
    session.execute(
        update(Occurrence)
        .where(Occurrence.id.in_(list(occurrence_ids)))
        .values(notice_id=notice_id)
        .execution_options(synchronize_session=False)
    )
