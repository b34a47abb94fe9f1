"""Writing a calendar feed as iCalendar (RFC 5545, with RFC 7986's name and refresh interval)."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass

from icalendar import Calendar, Event, Timezone, vDuration
from icalendar.enums import STATUS

from bot.calendars import FeedEvent, event_uid

PRODID = "-//Crewcall//Crewcall calendar feed//EN"
# How often calendar clients are asked to fetch the feed again.
REFRESH = dt.timedelta(hours=1)
END = b"END:VCALENDAR\r\n"
# The first and last dates a feed's VTIMEZONE must cover.
Span = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class Stamped:
    """An event with what the feed's history says of it: its SEQUENCE and when it changed."""

    event: FeedEvent
    sequence: int
    created: dt.datetime
    changed: dt.datetime


@dataclass(frozen=True)
class CalendarHead:
    """The calendar's own properties."""

    key: str
    name: str
    timezone: str


def render_calendar(head: CalendarHead, events: list[bytes], *, span: Span | None) -> bytes:
    """The whole feed: the calendar, a VTIMEZONE covering `span`, and the events as written.

    The calendar and each event are written by icalendar; the events, written once and
    kept by the caller, go in before the calendar's END line.
    """
    written = _calendar(head, *(span or (None, None)))
    return b"".join([written[: -len(END)], *events, END])


@functools.lru_cache(maxsize=1024)
def _calendar(head: CalendarHead, first: dt.date | None, last: dt.date | None) -> bytes:
    """The calendar's own properties, and its zone from `first` to `last` (if any events)."""
    calendar = Calendar.new(
        prodid=PRODID,
        uid=f"{head.key}@crewcall",
        name=head.name,
        calscale="GREGORIAN",
    )
    # RFC 7986 asks for VALUE=DURATION on REFRESH-INTERVAL; X-PUBLISHED-TTL is Outlook's.
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-wr-timezone", head.timezone)
    calendar.add("x-published-ttl", vDuration(REFRESH))
    if first is not None and last is not None:
        zone = zoneinfo.ZoneInfo(head.timezone)
        calendar.add_component(Timezone.from_tzinfo(zone, first_date=first, last_date=last))
    written = calendar.to_ical()
    assert written.endswith(END)
    return written


def write_event(key: str, stamped: Stamped) -> bytes:
    """One event as a VEVENT (icalendar takes some 0.2 ms an event: callers keep them)."""
    event = stamped.event
    vevent = Event.new(
        uid=event_uid(key, event.day),
        start=event.start,
        end=event.end,
        summary=event.summary,
        location=event.location or None,
        description=event.description or None,
        sequence=stamped.sequence,
        stamp=stamped.changed,
        created=stamped.created,
        last_modified=stamped.changed,
        status=STATUS.CANCELLED if event.cancelled else STATUS.CONFIRMED,
    )
    if event.geo is not None:
        vevent.add("geo", event.geo)
    return vevent.to_ical()
