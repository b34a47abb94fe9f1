"""Calendar feeds as served: a secret, its schedule in memory, its events stamped, the .ics.

A calendar client fetches its feed every hour or so, and most fetches find nothing
new. Each process keeps every feed it has written until that production's schedule
changes (its schedule_version), so a fetch costs one indexed query for the secret.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.calendars.calendar_events import FeedOf, feed_events
from bot.calendars.feed_rows import (
    Gone,
    as_recorded,
    differs,
    feed_for,
    find_feed,
    kept_events,
    record,
    rotate,
)
from bot.calendars.ics_writer import CalendarHead, render_calendar, write_event
from bot.core.directory import Directory
from bot.core.errors import UserError
from bot.core.mrkdwn import escaped, quoted
from bot.core.roles import Action, require
from bot.core.schedule import Schedule
from bot.core.views import MemberView
from bot.storage.db import Database
from bot.storage.models import CalendarFeed

SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")
FEEDS_KEPT = 4096
GONE_FROM_PERSON = "You are no longer called on this day."
GONE_FROM_PRODUCTION = "This day is no longer on the schedule."
CALENDAR_USAGE = (
    "`/crewcall calendar` sends you your calendar; `/crewcall calendar production` the "
    "production's shoot days; `/crewcall calendar reset` replaces your link."
)


@dataclass(frozen=True)
class FeedRequest:
    """`/crewcall calendar [production] [reset]`: whose feed, and whether to replace its link."""

    production: bool
    reset: bool

    @classmethod
    def parse(cls, words: list[str]) -> FeedRequest:
        """The words after `calendar`, in any order; UserError for anything else."""
        said = [word.lower() for word in words]
        unknown = [word for word in said if word not in ("production", "reset")]
        if unknown or len(set(said)) != len(said):
            raise UserError(
                f"I don't know {quoted('/crewcall calendar ' + ' '.join(words))}. {CALENDAR_USAGE}"
            )
        return cls(production="production" in said, reset="reset" in said)


def open_feed(
    session: Session,
    schedule: Schedule,
    member: MemberView | None,
    request: FeedRequest,
    *,
    now: dt.datetime,
) -> tuple[FeedOf, CalendarFeed]:
    """The asker's feed (or the production's), made on first use, its secret replaced if asked.

    Anyone on the crew may have the production's feed (it shows what /callsheet shows);
    only coordinators may replace its link, which everyone subscribed shares.
    """
    production = schedule.production
    if member is None:
        raise UserError(
            f"You're not on {escaped(production.name)}'s crew list, so there are no calls of yours "
            "to put in a calendar."
        )
    if request.production and request.reset:
        require(member, Action.RESET_PRODUCTION_CALENDAR)
    feed_of = FeedOf(schedule, None if request.production else member)
    feed = feed_for(
        session,
        production_id=production.id,
        member_id=None if request.production else member.id,
        now=now,
    )
    if request.reset:
        rotate(session, feed=feed, now=now)
    return feed_of, feed


@dataclass(frozen=True)
class Rendered:
    """A feed written out, with what HTTP caches need to know of it."""

    body: bytes
    etag: str
    last_modified: dt.datetime
    filename: str


class Feeds:
    """Every calendar feed of one process: written on demand, kept per schedule version."""

    def __init__(self, db: Database, directory: Directory, *, kept: int = FEEDS_KEPT) -> None:
        self.db = db
        self.directory = directory
        self._kept = kept
        self._written: OrderedDict[tuple[int, int], Rendered] = OrderedDict()
        self._lock = threading.Lock()

    def serve(self, secret: str, *, now: dt.datetime) -> Rendered | None:
        """The feed this secret opens, or None: unknown, rotated, or its production ended."""
        if not SECRET_SHAPE.fullmatch(secret):
            return None
        with self.db.readers() as reading:
            found = find_feed(reading, secret=secret)
        if found is None:
            return None
        schedules = self.directory.workspace(found.team_id)
        schedule = schedules.productions.get(found.production_id) if schedules else None
        if schedule is None:
            return None
        member = None
        if found.crew_member_id is not None:
            member = schedule.crew_by_id.get(found.crew_member_id)
            if member is None:
                return None
        key = (found.id, schedule.version)
        with self._lock:
            if (kept := self._written.get(key)) is not None:
                self._written.move_to_end(key)
                return kept
        rendered = self.render(
            FeedOf(schedule, member), feed_id=found.id, created=found.created_at, now=now
        )
        with self._lock:
            self._written[key] = rendered
            while len(self._written) > self._kept:
                self._written.popitem(last=False)
        return rendered

    def render(
        self, feed: FeedOf, *, feed_id: int, created: dt.datetime, now: dt.datetime
    ) -> Rendered:
        """Write the feed out now; what changed since it was last read gets a new SEQUENCE.

        Uses sessions of its own: call it outside any transaction that holds the write lock.
        """
        schedule: Schedule = feed.schedule
        timezone = schedule.production.timezone
        events = feed_events(feed)
        with self.db.readers() as reading:
            found = kept_events(reading, feed_id=feed_id)
        if differs(found, events):
            gone = Gone(timezone, GONE_FROM_PERSON if feed.member else GONE_FROM_PRODUCTION)
            write = functools.partial(write_event, feed.key)
            with self.db.transaction() as writing:
                kept = record(
                    writing,
                    feed_id=feed_id,
                    kept=found,
                    events=events,
                    gone=gone,
                    write=write,
                    now=now,
                )
        else:
            kept = as_recorded(found)
        span = None
        if kept:
            first = min(entry.starts_at for entry in kept).date() - dt.timedelta(days=1)
            last = max(entry.ends_at for entry in kept).date() + dt.timedelta(days=1)
            span = (first, last)
        head = CalendarHead(feed.key, feed.name, timezone)
        body = render_calendar(head, [entry.written for entry in kept], span=span)
        changed = max((entry.changed_at for entry in kept), default=created)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        return Rendered(body, etag, changed.replace(microsecond=0), feed.filename)
