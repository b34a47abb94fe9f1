"""A schedule from an iCalendar (.ics) file: one shoot day per event.

Calendars exported by Google, Outlook and Apple differ in how they write time: UTC
(`...Z`), a zone by TZID (IANA, or Windows names defined by the file's own VTIMEZONE),
floating times (taken in the production's zone), or all-day dates. Each event is read
into the same fields as a row of schedule.csv and saved the same way: all or nothing,
and a day already sent to the crew gets a proposed schedule change instead.

From an event: the date and general crew call from DTSTART (in the production's zone),
the estimated wrap from DTEND or DURATION, the day number from SUMMARY (`Day 12`), the
location from LOCATION (`Name, address` or one per line), coordinates from GEO (or
Apple's X-APPLE-STRUCTURED-LOCATION). DESCRIPTION lines such as `Shooting call: 08:00`,
`Parking: ...`, `Hospital: ...` and `Notes: ...` fill those fields; an all-day event
takes its general call from `General call: 07:00` there. A description with none of
these lines is the day's notes.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import zoneinfo
from dataclasses import dataclass, field

from icalendar import Calendar, Event
from sqlalchemy.orm import Session

from bot.clock import after_anchor, parse_clock, wrap_after_call
from bot.errors import UserError
from bot.imports.csvfile import ImportFailed
from bot.imports.report import ImportReport
from bot.imports.schedule import DayRow, save_days
from bot.storage.models import Production

DAY = 24 * 60
_DAY_NUMBER = re.compile(r"\bday\s*(\d{1,3})\b", re.IGNORECASE)
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
# Lines Crewcall's own feeds write that say nothing a shoot day keeps.
IGNORED = {"your call", "department calls", "scenes"}
ALL_DAY_CALL = "write `General call: 07:00` in its description, or make it a timed event"


@dataclass
class EventProblems:
    """Errors found in the file, each naming the event by number, summary and date."""

    errors: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")


def import_ics(session: Session, *, production: Production, data: bytes) -> ImportReport:
    """Add or update shoot days from the file's events; other days are left as they are."""
    report = ImportReport("shoot days")
    rows = read_days(data, timezone=production.timezone, report=report)
    return save_days(session, production=production, rows=rows, report=report)


def read_days(data: bytes, *, timezone: str, report: ImportReport) -> list[DayRow]:
    """Every event as a day's fields; ImportFailed naming each bad event, if any."""
    events = _events(data)
    zone = zoneinfo.ZoneInfo(timezone)
    problems = EventProblems()
    rows: list[DayRow] = []
    seen: dict[dt.date, str] = {}
    for number, event in enumerate(events, start=1):
        where = _where(number, event, zone)
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            report.notes.append(f"{where} is cancelled, so it was left out.")
            continue
        before = len(problems.errors)
        fields = _read_event(event, zone, where, problems)
        if len(problems.errors) > before:
            continue
        date = fields["date"]
        if date in seen:
            problems.add(where, f"{date:%a %-d %b %Y} is already {seen[date]}")
            continue
        seen[date] = where.split(" (")[0]
        rows.append(DayRow(fields, scenes=None))
    if problems.errors:
        raise ImportFailed(problems.errors)
    if not rows:
        raise ImportFailed(["every event in the file is cancelled: there is nothing to import"])
    return rows


def _events(data: bytes) -> list[Event]:
    """The file's VEVENTs; ImportFailed when it is not an iCalendar file or has none."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise ImportFailed(["the file is empty"])
    if not text[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        raise ImportFailed(["this is not an iCalendar (.ics) file: it must start BEGIN:VCALENDAR"])
    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as exc:
        raise ImportFailed([f"the file could not be read as iCalendar: {exc}"]) from None
    events = [c for c in calendar.walk("VEVENT") if isinstance(c, Event)]
    if not events:
        raise ImportFailed(["the file has no events (VEVENT): there is nothing to import"])
    return events


def _where(number: int, event: Event, zone: zoneinfo.ZoneInfo) -> str:
    """`event 3 ("Day 3 · Hollis Farm", 2026-10-21)`: how errors name an event."""
    summary = str(event.get("SUMMARY", "")).strip()
    start = _decoded(event, "DTSTART")
    when = ""
    if isinstance(start, dt.datetime):
        when = _local(start, zone).date().isoformat()
    elif isinstance(start, dt.date):
        when = start.isoformat()
    named = ", ".join(part for part in (f'"{summary[:60]}"' if summary else "", when) if part)
    return f"event {number} ({named})" if named else f"event {number}"


def _read_event(event: Event, zone: zoneinfo.ZoneInfo, where: str, problems: EventProblems) -> dict:
    """The day's fields from one event; problems found are added, and {} given."""
    if "RRULE" in event or "RDATE" in event or "RECURRENCE-ID" in event:
        problems.add(where, "it repeats (RRULE); give each shoot day an event of its own")
        return {}
    start = _decoded(event, "DTSTART")
    if not isinstance(start, dt.date):
        problems.add(where, "it has no start date (DTSTART), or one that is not a date")
        return {}
    if isinstance(start, dt.datetime) and start.tzinfo is None and _has_tzid(event, "DTSTART"):
        tzid = event["DTSTART"].params.get("TZID")
        problems.add(where, f"its time zone `{tzid}` is not known, and the file does not define it")
        return {}
    described = _description(event, where, problems)
    fields: dict = {}
    if isinstance(start, dt.datetime):
        _timed(event, _local(start, zone), zone, where, problems, fields, described)
    else:
        _all_day(event, start, where, problems, fields, described)
    if "general_call" not in fields:
        return {}
    if (shooting := described.pop("shooting_call", None)) is not None:
        fields["shooting_call"] = after_anchor(shooting, fields["general_call"])
    fields.update(described)
    if match := _DAY_NUMBER.search(str(event.get("SUMMARY", ""))):
        number = int(match[1])
        if 1 <= number <= 999:
            fields["day_number"] = number
    fields.update(_place(event, where, problems))
    return fields


def _timed(
    event: Event,
    start: dt.datetime,
    zone: zoneinfo.ZoneInfo,
    where: str,
    problems: EventProblems,
    fields: dict,
    described: dict,
) -> None:
    """Date, general call and wrap from the event's times; lines in its description win."""
    fields["date"] = start.date()
    general = described.pop("general_call", start.hour * 60 + start.minute)
    fields["general_call"] = general
    if (wrap := described.pop("wrap", None)) is not None:
        fields["wrap"] = wrap_after_call(wrap, general)
        return
    end = _end(event, start)
    if end is None:
        return
    if not isinstance(end, dt.datetime):
        problems.add(where, "it starts at a time but ends on a date (DTEND)")
        return
    local_end = _local(end, zone)
    ends = (local_end.date() - start.date()).days * DAY + local_end.hour * 60 + local_end.minute
    if local_end < start:
        problems.add(where, "it ends (DTEND) before it starts")
    elif ends >= 2 * DAY:
        problems.add(where, "it lasts into a third day; a shoot day is one event per day")
    elif ends > general:
        fields["wrap"] = ends


def _all_day(
    event: Event,
    date: dt.date,
    where: str,
    problems: EventProblems,
    fields: dict,
    described: dict,
) -> None:
    end = _end(event, date)
    if isinstance(end, dt.date) and (end - date).days > 1:
        problems.add(where, f"it lasts {(end - date).days} days; give each shoot day its own event")
        return
    general = described.pop("general_call", None)
    if general is None:
        problems.add(where, f"it is an all-day event with no general call; {ALL_DAY_CALL}")
        return
    fields["date"] = date
    fields["general_call"] = general
    if (wrap := described.pop("wrap", None)) is not None:
        fields["wrap"] = wrap_after_call(wrap, general)


def _description(event: Event, where: str, problems: EventProblems) -> dict:
    """Fields from `Name: value` lines; the other lines, and any `Notes:`, are the notes."""
    text = str(event.get("DESCRIPTION", "")).replace("\r\n", "\n")
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
            time = _leading_time(value)
            if time is None:
                problems.add(where, f"`{line.strip()}` in its description is not a time")
                continue
            found[name] = time
        elif name == "notes":
            notes.append(value)
        else:
            found[name] = value
    if notes:
        found["notes"] = "\n".join(notes)
    return found


def _place(event: Event, where: str, problems: EventProblems) -> dict:
    """location_name and address from LOCATION; latitude and longitude if the file has them."""
    place: dict = {}
    location = str(event.get("LOCATION", "")).replace("\r\n", "\n").strip()
    if location:
        lines = [line.strip() for line in location.splitlines() if line.strip()]
        if len(lines) > 1:
            name, address = lines[0], ", ".join(lines[1:])
        else:
            name, _, address = lines[0].partition(",")
        place["location_name"] = name.strip()[:200]
        place["address"] = address.strip()[:500]
    coordinates = _coordinates(event)
    if coordinates == ():
        problems.add(where, f"its GEO `{event.get('GEO')}` is not latitude;longitude")
    elif coordinates is not None:
        latitude, longitude = coordinates
        if abs(latitude) > 90 or abs(longitude) > 180:
            problems.add(where, f"its coordinates {latitude}, {longitude} are not on Earth")
        else:
            place["latitude"], place["longitude"] = latitude, longitude
    return place


def _coordinates(event: Event) -> tuple[float, float] | tuple[()] | None:
    """(latitude, longitude) from GEO or Apple's structured location; () if GEO is unreadable."""
    if "GEO" in event:
        geo = _decoded(event, "GEO")
        if isinstance(geo, tuple) and len(geo) == 2:
            return float(geo[0]), float(geo[1])
        return ()
    apple = event.get("X-APPLE-STRUCTURED-LOCATION")
    if apple is not None and (match := _GEO_URI.search(str(apple))):
        return float(match[1]), float(match[2])
    return None


def _leading_time(value: str) -> int | None:
    """The time a value starts with (`07:00`, `6:30am`, `07:00 (unit base)`), or None."""
    match = _LEADING_TIME.match(value)
    if not match:
        return None
    try:
        return parse_clock(match[1])
    except UserError:
        return None


def _end(event: Event, start: dt.date) -> dt.date | None:
    """DTEND, or DTSTART plus DURATION; None when the event gives neither."""
    end = _decoded(event, "DTEND")
    if isinstance(end, dt.date):
        return end
    duration = _decoded(event, "DURATION")
    if isinstance(duration, dt.timedelta):
        return start + duration
    return None


def _decoded(event: Event, name: str) -> object:
    """The property's value, or None when it is missing or cannot be read."""
    if name not in event:
        return None
    try:
        return event.decoded(name)
    except (ValueError, KeyError, TypeError):
        return None


def _has_tzid(event: Event, name: str) -> bool:
    return "TZID" in getattr(event[name], "params", {})


def _local(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """A moment as the production's wall clock; floating times already are."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(zone).replace(tzinfo=None)
