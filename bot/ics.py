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
# Events written out, by everything they show: a feed read again after a change
# writes only the events that changed (icalendar takes some 0.2 ms an event).
EVENTS_KEPT = 32_768


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


def render_calendar(head: CalendarHead, events: list[Stamped]) -> bytes:
    """The whole feed, with a VTIMEZONE covering every event; the same input, the same bytes.

    The calendar (with its VTIMEZONE) and each event are written by icalendar; the
    events, written once and kept, go in before the calendar's END line.
    """
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
    if events:
        first = min(stamped.event.start for stamped in events).date()
        last = max(stamped.event.end for stamped in events).date()
        calendar.add_component(
            Timezone.from_tzinfo(
                zoneinfo.ZoneInfo(head.timezone),
                first_date=first - dt.timedelta(days=1),
                last_date=last + dt.timedelta(days=1),
            )
        )
    written = calendar.to_ical()
    assert written.endswith(END)
    return b"".join([written[: -len(END)], *(_vevent(head.key, s) for s in events), END])


@functools.lru_cache(maxsize=EVENTS_KEPT)
def _vevent(key: str, stamped: Stamped) -> bytes:
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
