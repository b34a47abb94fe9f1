"""An iCalendar file's events, read as calendars really write them.

icalendar reads the whole file when it can, several VCALENDARs included. When it
cannot, the file is read again event by event: each VEVENT with those of the file's
VTIMEZONEs that can be read, so that one bad event is named (by its number, summary
and start, as written) with the reason, and the library's own words (or the bytes
it choked on) are never what a coordinator sees. A file holding one bare VEVENT is
read as a calendar of one. Exchange's empty VTIMEZONE (no TZID, one fixed offset)
stands for that offset.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zoneinfo
from dataclasses import dataclass, field
from typing import cast

from icalendar import Calendar, Event, Timezone

from bot.core.locales import WESTERN_CODE_PAGE
from bot.core.mrkdwn import quoted
from bot.imports.text import decode

SAVE_AS = "export the calendar again as an .ics file"
# What files that are not calendars of events start with.
NOT_EVENTS = {
    "VTODO": "a to-do list",
    "VJOURNAL": "a journal",
    "VFREEBUSY": "free/busy times",
    "VAVAILABILITY": "availability",
    "VALARM": "an alarm",
    "VTIMEZONE": "only a time zone",
    "VCARD": "a contact card (vCard)",
}
_FIXED_OFFSET = re.compile(r"^TZOFFSETTO:([+-])(\d{2})(\d{2})", re.IGNORECASE | re.MULTILINE)
# The library's words for values it could not read, and ours.
_REASONS = (
    (re.compile(r"Wrong (?:datetime|date) format: (.+)"), "{} is not a date or a time"),
    (re.compile(r"Expected datetime, date, or time\. Got: '(.+)'"), "{} is not a date or a time"),
    (re.compile(r"Offset must be less than 24 hours, was (.+)"), "the offset {} is over 24 hours"),
    (re.compile(r"Content line could not be parsed into parts: '(.*?)'"), "{} is not a line"),
    (re.compile(r"Not valid base 64"), "an attachment in it is not valid base64"),
    (re.compile(r"unsupported (\w+) parm"), "its {} is written in a way that cannot be read"),
    (re.compile(r"unsupported property: (.+)"), "{} is not an iCalendar property"),
    (re.compile(r"Start time is greater than end time"), "a period in it ends before it starts"),
)  # fmt: skip


class Refused(Exception):
    """The whole file is refused, for `reason` (a sentence)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Found:
    """One event, and the zone its calendar gives floating times (X-WR-TIMEZONE)."""

    event: Event
    floating: zoneinfo.ZoneInfo | None = None


@dataclass
class Source:
    """What a file holds: its events in order, and those that could not be read at all."""

    events: list[Found] = field(default_factory=list)
    # (event number, how it is named, why it could not be read)
    unreadable: list[tuple[int, str, str]] = field(default_factory=list)
    encoding: str = "UTF-8"
    # Exchange's empty VTIMEZONE: the fixed offset its times (TZID="") are in.
    blank_zone: dt.tzinfo | None = None
    # Read event by event: icalendar could not read the file whole.
    piecewise: bool = False


def read_source(data: bytes, *, code_page: str = WESTERN_CODE_PAGE) -> Source:
    """The file's events; Refused, with a sentence, when it is not a calendar of events.
    Text that is neither UTF-8 nor UTF-16 is read in `code_page` (the production's) first."""
    decoded = decode(data, save_as=SAVE_AS, code_page=code_page)
    text = decoded.text.lstrip("\ufeff \t\r\n")
    if not text:
        raise Refused("the file is empty")
    first = text.split("\n", 1)[0].strip().upper()
    if first.startswith("BEGIN:VEVENT"):
        text = f"BEGIN:VCALENDAR\r\n{text.rstrip()}\r\nEND:VCALENDAR\r\n"
    elif first.startswith("BEGIN:") and first[6:] in NOT_EVENTS:
        raise Refused(f"this file holds {NOT_EVENTS[first[6:]]}, not calendar events")
    elif not first.startswith("BEGIN:VCALENDAR"):
        raise Refused(
            "this is not an iCalendar (.ics) file: it must start BEGIN:VCALENDAR, and it "
            f"starts {quoted(first, limit=24)}"
        )
    source = _whole(text) or _piecewise(text)
    source.encoding = decoded.encoding
    return source


def _whole(text: str) -> Source | None:
    """The file read by icalendar in one go; None if it cannot be."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            calendars = Calendar.from_ical(text, multiple=True)
            source = Source()
            for calendar in calendars:
                floating = _zone(calendar.get("X-WR-TIMEZONE"))
                source.events += [
                    Found(c, floating) for c in calendar.walk("VEVENT") if isinstance(c, Event)
                ]
            return source
    except Exception:  # the library's many errors all mean: read it piece by piece
        return None


def _piecewise(text: str) -> Source:
    """Each event on its own, with the file's readable zones: bad events named, not fatal."""
    source = Source(piecewise=True)
    zones: dict[str, str] = {}  # TZID: its VTIMEZONE, for those that can be read
    floating = None
    number = 0
    for kind, block, header in _blocks(_unfolded(text)):
        if kind == "VTIMEZONE":
            zones.update(_readable_zone(block, source))
            continue
        number += 1
        floating = _zone(header.get("X-WR-TIMEZONE")) or floating
        # Only the zones this event names: a file of many events and zones stays linear.
        named = [zone for tzid, zone in zones.items() if tzid in block]
        wrapped = "\r\n".join(["BEGIN:VCALENDAR", *named, block, "END:VCALENDAR"])
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                [event] = Calendar.from_ical(wrapped).walk("VEVENT")
        except Exception as exc:  # named for the coordinator below
            source.unreadable.append((number, _named(number, block), _why(exc)))
            continue
        source.events.append(Found(cast(Event, event), floating))
    return source


def _unfolded(text: str) -> list[str]:
    """Content lines, with folded continuations (a leading space or tab) joined."""
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw.strip():
            lines.append(raw)
    return lines


def _blocks(lines: list[str]) -> list[tuple[str, str, dict[str, str]]]:
    """Every VEVENT and VTIMEZONE, as text, with the calendar properties seen before it."""
    found = []
    header: dict[str, str] = {}
    block: list[str] = []
    depth, start, collecting, kind = 0, 0, False, ""
    for line in lines:
        name, _, value = line.partition(":")
        name = name.split(";", 1)[0].strip().upper()
        if name == "BEGIN":
            depth += 1
            if not collecting and value.strip().upper() in ("VEVENT", "VTIMEZONE"):
                collecting, kind, block, start = True, value.strip().upper(), [], depth
        if collecting:
            block.append(line)
        elif depth == 1 and name.startswith("X-WR-"):
            header[name] = value.strip()
        if name == "END":
            if collecting and depth == start:
                found.append((kind, "\r\n".join(block), dict(header)))
                collecting = False
            depth = max(0, depth - 1)
    return found


def _readable_zone(block: str, source: Source) -> dict[str, str]:
    """{TZID: the VTIMEZONE's text} if icalendar can read it; an empty TZID's fixed offset
    kept instead."""
    tzid = next(
        (
            line.partition(":")[2].strip()
            for line in block.split("\r\n")
            if line.upper().startswith("TZID")
        ),
        "",
    )
    if not tzid:
        offsets = set(_FIXED_OFFSET.findall(block.replace("\r\n", "\n")))
        if len(offsets) == 1:
            sign, hours, minutes = offsets.pop()
            delta = dt.timedelta(hours=int(hours), minutes=int(minutes))
            source.blank_zone = dt.timezone(-delta if sign == "-" else delta)
        return {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Timezone.from_ical(block)
    except Exception:  # a zone that cannot be read is as if absent
        return {}
    return {tzid: block}


def _named(number: int, block: str) -> str:
    """`event 3 ("Day 3", 20261021T070000)`, from the event's lines as written."""
    parts = []
    for key in ("SUMMARY", "DTSTART"):
        for line in block.split("\r\n"):
            name = line.partition(":")[0].split(";", 1)[0].strip().upper()
            if name == key:
                value = line.partition(":")[2].strip()
                parts.append(quoted(value) if key == "SUMMARY" else quoted(value, limit=20))
                break
    return f"event {number} ({', '.join(parts)})" if parts else f"event {number}"


def _why(exc: Exception) -> str:
    """What was wrong, in words a coordinator reads: never the library's own."""
    message = str(exc)
    for pattern, words in _REASONS:
        if match := pattern.search(message):
            return "it could not be read: " + words.format(*(quoted(g) for g in match.groups()))
    return "it could not be read as iCalendar"


def _zone(value: object) -> zoneinfo.ZoneInfo | None:
    """An IANA zone named by X-WR-TIMEZONE, or None."""
    name = str(value or "").strip()
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
