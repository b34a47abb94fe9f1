"""Writing a calendar feed as iCalendar (RFC 5545, with RFC 7986's name and refresh interval)."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDuration
from icalendar.enums import STATUS

from bot.calendars.calendar_events import FeedEvent, event_uid

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
        calendar.add_component(vtimezone(head.timezone, first=first, last=last))
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


def vtimezone(name: str, *, first: dt.date, last: dt.date) -> Timezone:
    """The zone's VTIMEZONE from `first` to `last`, transition by transition from the IANA
    database: each onset is the wall-clock time before the change (RFC 5545 3.6.5).

    Written here rather than by icalendar's Timezone.from_tzinfo, which (in 7.3) dates a
    change to summer time by the wall clock after it: London's 01:00 GMT as 02:00, read
    back as 02:00 GMT, an hour late, by any client that follows the file's own zone.
    """
    zone = zoneinfo.ZoneInfo(name)
    start = dt.datetime.combine(first, dt.time(0), tzinfo=zone).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    timezone = Timezone()
    timezone.add("TZID", name)
    # The observance in force at `first` starts at its own change, with the offset before it
    # (a reader takes a change's size from TZOFFSETFROM); a zone with none in a year has one.
    earlier = _changes(start - dt.timedelta(days=400), start, zone)[-1:]
    changes = earlier + _changes(start, end.astimezone(dt.UTC), zone)
    if not earlier:
        offset = start.astimezone(zone).utcoffset()
        onset = start.astimezone(zone).replace(tzinfo=None)
        timezone.add_component(_observance(onset, offset, offset, start.astimezone(zone)))
    for instant in changes:
        before = (instant - _MINUTE).astimezone(zone).utcoffset()
        after = instant.astimezone(zone)
        onset = (instant + before).replace(tzinfo=None)  # type: ignore[operator]
        timezone.add_component(_observance(onset, before, after.utcoffset(), after))
    return timezone


_MINUTE = dt.timedelta(minutes=1)


def _changes(start: dt.datetime, end: dt.datetime, zone: zoneinfo.ZoneInfo) -> list[dt.datetime]:
    """Every instant (UTC, to the minute) in [start, end) at which the zone's offset changes."""
    found = []
    step = dt.timedelta(hours=6)
    moment = start
    while moment < end:
        following = min(moment + step, end)
        if moment.astimezone(zone).utcoffset() != following.astimezone(zone).utcoffset():
            low, high = moment, following  # the change is in (low, high]
            while high - low > _MINUTE:
                middle = low + (high - low) / 2
                middle = middle.replace(second=0, microsecond=0)
                if middle <= low:
                    middle = low + _MINUTE
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high)
        moment = following
    return found


def _observance(
    onset: dt.datetime, before: dt.timedelta | None, after: dt.timedelta | None, at: dt.datetime
) -> TimezoneStandard | TimezoneDaylight:
    """One observance, starting at the wall-clock `onset`: DAYLIGHT when the clocks go
    forward (even where the IANA database calls the other side summer time, as Morocco's
    Ramadan hour), so that no reader meets a negative daylight saving."""
    forward = before is not None and after is not None and after > before
    observance = TimezoneDaylight() if forward else TimezoneStandard()
    observance.add("DTSTART", onset)
    observance.add("TZOFFSETFROM", before)
    observance.add("TZOFFSETTO", after)
    observance.add("TZNAME", at.tzname() or "")
    return observance
