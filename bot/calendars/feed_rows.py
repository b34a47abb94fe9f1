"""Calendar feeds: their secrets, and each event's SEQUENCE.

A feed's events carry a SEQUENCE that rises each time the event changes. Each event
is kept as last written (its VEVENT), with a fingerprint of what it showed; a feed
read after a change writes out the events that differ, raising their sequence once
however many processes read it at the same moment (the UPDATE only matches the row
as it was read). Reading a feed that has not changed writes nothing, in any process.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Row, select, update
from sqlalchemy.orm import Session

from bot.calendars.calendar_events import FeedEvent
from bot.calendars.ics_writer import Stamped
from bot.storage.db import changed, insert_for
from bot.storage.models import CalendarEvent, CalendarFeed, Production, Workspace

# The fingerprint of an event that has left the feed (the person is no longer called).
GONE = "gone"
RECORDED = (
    CalendarEvent.id,
    CalendarEvent.day,
    CalendarEvent.sequence,
    CalendarEvent.fingerprint,
    CalendarEvent.starts_at,
    CalendarEvent.ends_at,
    CalendarEvent.summary,
    CalendarEvent.created_at,
    CalendarEvent.changed_at,
    CalendarEvent.written,
)
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

    def event(self, row: Row) -> FeedEvent:
        """A stored event, as it now shows: cancelled."""
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


@dataclass(frozen=True)
class Recorded:
    """One event of a feed as last written: when it runs and changed, and its VEVENT."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    changed_at: dt.datetime
    written: bytes


# Writes one event out as iCalendar (a VEVENT), for the feed to keep.
Writer = Callable[[Stamped], bytes]
Kept = dict[dt.date, Row]


def kept_events(session: Session, *, feed_id: int) -> Kept:
    """The feed's events as last written, by day (a feed reads 60 or so at a time)."""
    query = select(*RECORDED).where(CalendarEvent.feed_id == feed_id)
    return {row.day: row for row in session.execute(query)}


def differs(kept: Kept, events: list[FeedEvent]) -> bool:
    """Whether any event is new, changed or gone since the feed was last written."""
    days = {event.day for event in events}
    if any(row.fingerprint != GONE and day not in days for day, row in kept.items()):
        return True
    return any(
        (row := kept.get(event.day)) is None or row.fingerprint != event.fingerprint
        for event in events
    )


def as_recorded(kept: Kept) -> list[Recorded]:
    """The kept events in date order, as the feed serves them."""
    return _recorded({day: row._asdict() for day, row in kept.items()})


def _recorded(by_day: dict[dt.date, dict]) -> list[Recorded]:
    return [
        Recorded(v["starts_at"], v["ends_at"], v["changed_at"], v["written"].encode())
        for _day, v in sorted(by_day.items())
    ]


def record(
    session: Session,
    *,
    feed_id: int,
    kept: Kept,
    events: list[FeedEvent],
    gone: Gone,
    write: Writer,
    now: dt.datetime,
) -> list[Recorded]:
    """Write out what changed since `kept` was read (new, changed and gone events).

    A changed event's SEQUENCE rises by one. Each UPDATE matches only the row as it was
    read, and each INSERT only a day not yet there, so when several processes record
    the same change at once, one of them does; the others read back what it wrote.
    """
    current = {event.day: event for event in events}
    changes: dict[dt.date, dict] = {}
    raced = _insert_new(session, feed_id, current, kept, changes, write=write, now=now)
    if _update_changed(session, current, kept, changes, gone=gone, write=write, now=now):
        raced = True
    if raced:
        return as_recorded(kept_events(session, feed_id=feed_id))
    return _recorded({day: row._asdict() for day, row in kept.items()} | changes)


def _insert_new(
    session: Session,
    feed_id: int,
    current: dict[dt.date, FeedEvent],
    kept: Kept,
    changes: dict[dt.date, dict],
    *,
    write: Writer,
    now: dt.datetime,
) -> bool:
    """Insert the days not yet kept (into `changes` too); True if another process won one."""
    new = [day for day in current if day not in kept]
    for day in new:
        written = write(Stamped(current[day], 0, now, now))
        changes[day] = _shown(current[day], written, now) | {"sequence": 0, "created_at": now}
    if not new:
        return False
    made = session.execute(
        insert_for(session)(CalendarEvent).on_conflict_do_nothing().returning(CalendarEvent.day),
        [{"feed_id": feed_id, "day": day, **changes[day]} for day in new],
    )
    return len(made.all()) < len(new)


def _update_changed(
    session: Session,
    current: dict[dt.date, FeedEvent],
    kept: Kept,
    changes: dict[dt.date, dict],
    *,
    gone: Gone,
    write: Writer,
    now: dt.datetime,
) -> bool:
    """Update the kept days that changed or went (into `changes` too), each only as it was
    read; True if another process changed one first."""
    raced = False
    for day, row in kept.items():
        event = current.get(day)
        if row.fingerprint == (event.fingerprint if event else GONE):
            continue
        stamped = Stamped(event or gone.event(row), row.sequence + 1, row.created_at, now)
        shown = _shown(stamped.event, write(stamped), now)
        if event is None:
            shown["fingerprint"] = GONE
        updated = session.execute(
            update(CalendarEvent)
            .where(CalendarEvent.id == row.id, CalendarEvent.sequence == row.sequence)
            .values(sequence=row.sequence + 1, **shown)
            .execution_options(synchronize_session=False)
        )
        raced = raced or changed(updated) != 1
        changes[day] = shown | {"sequence": row.sequence + 1}
    return raced


def _shown(event: FeedEvent, written: bytes, now: dt.datetime) -> dict:
    """The columns that record what an event shows, as of `now`."""
    return {
        "fingerprint": event.fingerprint,
        "starts_at": event.start.astimezone(dt.UTC),
        "ends_at": event.end.astimezone(dt.UTC),
        "summary": event.summary[:200],
        "written": written.decode(),
        "changed_at": now,
    }
