"""One calendar event's properties as a shoot day's fields: its description's `Name: value`
lines, its place and coordinates, its end, and what was wrong with it."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field

from icalendar import Event

from bot.core.clock import parse_clock
from bot.core.errors import UserError
from bot.core.mrkdwn import quoted
from bot.imports.report import ImportReport

_KEYED_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z ]{0,30}?)\s*:\s*(.*)$")
_LEADING_TIME = re.compile(r"^\s*(\d{1,2}(?:[:.h]?\d{2})?\s*(?:[ap]\.?m?\.?)?)(?![\w:])", re.I)
_GEO_URI = re.compile(r"geo:\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)")
# Google Calendar writes descriptions typed in its web page as HTML.
_LINE_BREAK = re.compile(r"<br\s*/?>|</p>|</div>|</li>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")

# Description keys, as people write them, and the field each fills.
KEYS = {
    "general call": "general_call",
    "general crew call": "general_call",
    "crew call": "general_call",
    "call": "general_call",
    "shooting call": "shooting_call",
    "shoot call": "shooting_call",
    "wrap": "wrap",
    "estimated wrap": "wrap",
    "address": "address",
    "parking": "parking",
    "hospital": "hospital",
    "nearest hospital": "hospital",
    "notes": "notes",
    "note": "notes",
}
TIMES = ("general_call", "shooting_call", "wrap")
# What people write for a time not known yet.
TO_BE_CONFIRMED = {"tbc", "tba", "tbd", "to be confirmed", "to be announced", "?", "-", "—", "n/a"}
# Lines Crewcall's own feeds write that say nothing a shoot day keeps.
IGNORED = {"your call", "department calls", "scenes"}

# Reasons a refusal names (each with its first few events); the rest are counted.
REASONS_SHOWN = 6
EVENTS_NAMED = 3


@dataclass
class EventProblems:
    """Why events were refused, each reason with the events (by number, summary and date)."""

    reasons: dict[str, list[str]] = field(default_factory=dict)

    def add(self, where: str, message: str) -> None:
        """Record that the event at `where` was refused for `message`."""
        self.reasons.setdefault(message, []).append(where)

    @property
    def errors(self) -> list[str]:
        """One line per reason: the first events it holds for, then why."""
        lines = []
        for why, wheres in list(self.reasons.items())[:REASONS_SHOWN]:
            named = ", ".join(wheres[:EVENTS_NAMED])
            if len(wheres) > EVENTS_NAMED:
                named += f" and {len(wheres) - EVENTS_NAMED:,} more"
            lines.append(f"{named}: {why}")
        if len(self.reasons) > REASONS_SHOWN:
            lines.append(f"and {len(self.reasons) - REASONS_SHOWN:,} more problems of other kinds")
        return lines


def description_of(event: Event, where: str, problems: EventProblems, report: ImportReport) -> dict:
    """Fields from `Name: value` lines; the other lines, and any `Notes:`, are the notes.

    A time still to be confirmed (`Wrap: TBC`) is left unset, and the report says so."""
    text = text_of(event, "DESCRIPTION").replace("\r\n", "\n")
    if _TAG.search(text):
        text = html.unescape(_TAG.sub("", _LINE_BREAK.sub("\n", text)))
    text = text.strip()
    found: dict = {}
    notes: list[str] = []
    for line in text.splitlines():
        match = _KEYED_LINE.match(line)
        key = " ".join(match[1].lower().split()) if match else ""
        name = KEYS.get(key)
        if match is None or name is None:
            if key not in IGNORED and line.strip():
                notes.append(line.strip())
            continue
        value = match[2].strip()
        if name in TIMES:
            if value.lower().strip(" .") in TO_BE_CONFIRMED:
                report.notes.append(f"{where}: its {key} is {quoted(value)}, so it was left unset.")
                continue
            time = leading_time(value)
            if time is None:
                problems.add(where, f"{quoted(line.strip())} in its description is not a time")
                continue
            found[name] = time
        elif name == "notes":
            notes.append(value)
        else:
            found[name] = value
    if notes:
        found["notes"] = "\n".join(notes)
    return found


def place_of(event: Event, where: str, problems: EventProblems, *, address: str | None) -> dict:
    """location_name and address from LOCATION; latitude and longitude if the file has them.

    When the description gives the `address`, LOCATION is the place's name, commas and all
    (less the address, if it repeats it after the name)."""
    place: dict = {}
    location = text_of(event, "LOCATION").replace("\r\n", "\n").strip()
    if location:
        lines = [line.strip() for line in location.splitlines() if line.strip()]
        if address:
            name = ", ".join(lines).removesuffix(address).rstrip(" ,")
        elif len(lines) > 1:
            name, address = lines[0], ", ".join(lines[1:])
        else:
            name, _, address = lines[0].partition(",")
        place["location_name"] = name.strip()[:200]
        place["address"] = address.strip()[:500]
    coordinates = coordinates_of(event)
    if coordinates == ():
        problems.add(where, f"its GEO `{event.get('GEO')}` is not latitude;longitude")
    elif len(coordinates or ()) == 2:
        latitude, longitude = coordinates  # type: ignore[misc]  # mypy does not narrow by len
        if abs(latitude) > 90 or abs(longitude) > 180:
            problems.add(where, f"its coordinates {latitude}, {longitude} are not on Earth")
        else:
            place["latitude"], place["longitude"] = latitude, longitude
    return place


def coordinates_of(event: Event) -> tuple[float, float] | tuple[()] | None:
    """(latitude, longitude) from GEO or Apple's structured location; () if GEO is unreadable."""
    if "GEO" in event:
        geo = decoded_of(event, "GEO")
        if isinstance(geo, tuple) and len(geo) == 2:
            return float(geo[0]), float(geo[1])
        return ()
    apple = event.get("X-APPLE-STRUCTURED-LOCATION")
    if apple is not None and (match := _GEO_URI.search(str(apple))):
        return float(match[1]), float(match[2])
    return None


def leading_time(value: str) -> int | None:
    """The time a value starts with (`07:00`, `6:30am`, `07:00 (unit base)`), or None."""
    match = _LEADING_TIME.match(value)
    if not match:
        return None
    try:
        return parse_clock(match[1])
    except UserError:
        return None


def end_of(event: Event, start: dt.date) -> dt.date | None:
    """DTEND, or DTSTART plus DURATION; None when the event gives neither.

    As RFC 5545 counts a duration: hours and minutes exactly (PT10H is ten hours, across
    a clock change too), whole days by the calendar (P1D is the same time the next day).
    """
    end = decoded_of(event, "DTEND")
    if isinstance(end, dt.date):
        return end
    duration = decoded_of(event, "DURATION")
    if not isinstance(duration, dt.timedelta):
        return None
    if isinstance(start, dt.datetime) and start.tzinfo is not None and duration.seconds:
        return (start.astimezone(dt.UTC) + duration).astimezone(start.tzinfo)
    return start + duration


def decoded_of(event: Event, name: str) -> object:
    """The property's value, or None when it is missing or cannot be read."""
    if name not in event:
        return None
    try:
        return event.decoded(name)
    except (ValueError, KeyError, TypeError):
        return None


def text_of(event: Event, name: str) -> str:
    """A text property's value; the first, when a file repeats the property."""
    value = event.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value)


def tzid_of(event: Event, name: str) -> str | None:
    """The property's TZID parameter as written ("" when empty), or None when it has none."""
    if name not in event:
        return None
    params = getattr(event[name], "params", {})
    return str(params["TZID"]) if "TZID" in params else None
