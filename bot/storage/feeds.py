"""Calendar feeds: their secrets, and each event's SEQUENCE.

A feed's events carry a SEQUENCE that rises each time the event changes. What each
event last looked like is kept as a fingerprint; a feed read after a change raises
the sequence of the events that differ, once, however many processes read it at
the same moment (the UPDATE only matches a row still holding the old fingerprint).
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.calendars import FeedEvent
from bot.ics import Stamped
from bot.storage.models import CalendarEvent, CalendarFeed, Production, Workspace

# The fingerprint of an event that has left the feed (the person is no longer called).
GONE = "gone"
SECRET_BYTES = 24


@dataclass(frozen=True)
class FoundFeed:
    """What a secret opens: the feed, its production and workspace."""

    id: int
    production_id: int
    crew_member_id: int | None
    team_id: str
    created_at: dt.datetime


def new_secret() -> str:
    """32 URL-safe characters from the system's CSPRNG (192 bits)."""
    return secrets.token_urlsafe(SECRET_BYTES)


def feed_for(
    session: Session, *, production_id: int, member_id: int | None, now: dt.datetime
) -> CalendarFeed:
    """The person's (or, with no member, the production's) feed, made on first use."""
    query = select(CalendarFeed).where(CalendarFeed.production_id == production_id)
    query = query.where(
        CalendarFeed.crew_member_id.is_(None)
        if member_id is None
        else CalendarFeed.crew_member_id == member_id
    )
    feed = session.scalar(query)
    if feed is None:
        feed = CalendarFeed(
            production_id=production_id,
            crew_member_id=member_id,
            secret=new_secret(),
            created_at=now,
        )
        session.add(feed)
        session.flush()
    return feed


def rotate(session: Session, *, feed: CalendarFeed, now: dt.datetime) -> CalendarFeed:
    """Give the feed a new secret: the old address stops working at once."""
    feed.secret = new_secret()
    feed.rotated_at = now
    session.flush()
    return feed


def find_feed(session: Session, *, secret: str) -> FoundFeed | None:
    """The feed this secret opens, if its production is still active."""
    row = session.execute(
        select(
            CalendarFeed.id,
            CalendarFeed.production_id,
            CalendarFeed.crew_member_id,
            Workspace.team_id,
            CalendarFeed.created_at,
        )
        .join(Production, Production.id == CalendarFeed.production_id)
        .join(Workspace, Workspace.id == Production.workspace_id)
        .where(CalendarFeed.secret == secret, Production.active.is_(True))
    ).first()
    return FoundFeed(*row) if row else None


@dataclass(frozen=True)
class Gone:
    """How an event that has left the feed is shown: cancelled, in the production's zone."""

    timezone: str
    description: str

    def event(self, row: CalendarEvent) -> FeedEvent:
        zone = zoneinfo.ZoneInfo(self.timezone)
        return FeedEvent(
            day=row.day,
            start=row.starts_at.astimezone(zone),
            end=row.ends_at.astimezone(zone),
            summary=f"Cancelled: {row.summary.removeprefix('Cancelled: ')}",
            location="",
            description=self.description,
            cancelled=True,
            geo=None,
        )


def stamp(
    session: Session, *, feed_id: int, events: list[FeedEvent], gone: Gone
) -> list[Stamped] | None:
    """The events with their sequences, and those gone from the feed as cancelled ones.

    Reads only, and gives None, when something changed since the feed was last read:
    the caller then calls `restamp` in a transaction that may write.
    """
    rows = _rows(session, feed_id)
    if _changed(rows, events):
        return None
    return _stamped(rows, events, gone)


def restamp(
    session: Session, *, feed_id: int, events: list[FeedEvent], gone: Gone, now: dt.datetime
) -> list[Stamped]:
    """Record what changed (new events, changed ones, gone ones), then stamp as above."""
    rows = _rows(session, feed_id)
    current = {event.day: event for event in events}
    new = [event for day, event in current.items() if day not in rows]
    if new:
        insert = (
            postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        )
        session.execute(
            insert(CalendarEvent).on_conflict_do_nothing(),
            [
                {"feed_id": feed_id, "day": event.day, "sequence": 0, "created_at": now}
                | _shown(event, now)
                for event in new
            ],
        )
    for day, row in rows.items():
        event = current.get(day)
        fingerprint = event.fingerprint() if event else GONE
        if row.fingerprint == fingerprint:
            continue
        shown = _shown(event, now) if event else {"fingerprint": GONE, "changed_at": now}
        session.execute(
            update(CalendarEvent)
            .where(CalendarEvent.id == row.id, CalendarEvent.fingerprint != fingerprint)
            .values(sequence=CalendarEvent.sequence + 1, **shown)
            .execution_options(synchronize_session=False)
        )
    return _stamped(_rows(session, feed_id), events, gone)


def _rows(session: Session, feed_id: int) -> dict[dt.date, CalendarEvent]:
    query = select(CalendarEvent).where(CalendarEvent.feed_id == feed_id)
    rows = session.scalars(query.execution_options(populate_existing=True))
    return {row.day: row for row in rows}


def _changed(rows: dict[dt.date, CalendarEvent], events: list[FeedEvent]) -> bool:
    days = {event.day for event in events}
    if any(row.fingerprint != GONE and day not in days for day, row in rows.items()):
        return True
    return any(
        (row := rows.get(event.day)) is None or row.fingerprint != event.fingerprint()
        for event in events
    )


def _shown(event: FeedEvent, now: dt.datetime) -> dict:
    """The columns that record what an event shows, as of `now`."""
    return {
        "fingerprint": event.fingerprint(),
        "starts_at": event.start.astimezone(dt.UTC),
        "ends_at": event.end.astimezone(dt.UTC),
        "summary": event.summary[:200],
        "changed_at": now,
    }


def _stamped(
    rows: dict[dt.date, CalendarEvent], events: list[FeedEvent], gone: Gone
) -> list[Stamped]:
    """Every event recorded for the feed, by date: current ones as they are, gone ones cancelled."""
    current = {event.day: event for event in events}
    return [
        Stamped(current.get(day) or gone.event(row), row.sequence, row.created_at, row.changed_at)
        for day, row in sorted(rows.items())
    ]
