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

from icalendar import Event
from sqlalchemy.orm import Session

from bot.core.clock import after_anchor, parse_clock, wrap_after_call
from bot.core.errors import UserError
from bot.core.mrkdwn import quoted
from bot.imports.csvfile import ImportFailed
from bot.imports.ics_source import Refused, Source, read_source
from bot.imports.report import ImportReport
from bot.imports.schedule import DayRow, save_days
from bot.imports.text import NotText
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
# What people write for a time not known yet.
TO_BE_CONFIRMED = {"tbc", "tba", "tbd", "to be confirmed", "to be announced", "?", "-", "—", "n/a"}
# Lines Crewcall's own feeds write that say nothing a shoot day keeps.
IGNORED = {"your call", "department calls", "scenes"}
ALL_DAY_CALL = "write `General call: 07:00` in its description, or make it a timed event"


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


def import_ics(session: Session, *, production: Production, data: bytes) -> ImportReport:
    """Add or update shoot days from the file's events; other days are left as they are."""
    report = ImportReport("shoot days")
    rows = read_days(data, timezone=production.timezone, report=report)
    return save_days(session, production=production, rows=rows, report=report)


def read_days(data: bytes, *, timezone: str, report: ImportReport) -> list[DayRow]:
    """Every event as a day's fields; ImportFailed naming each bad event, if any."""
    source = _source(data)
    if source.encoding:
        report.notes.append(f"The file was read as {source.encoding} text (not UTF-8).")
    zone = zoneinfo.ZoneInfo(timezone)
    problems = EventProblems()
    for _number, named, why in source.unreadable:
        problems.add(named, why)
    rows: list[DayRow] = []
    seen: dict[dt.date, str] = {}
    unreadable = {number for number, _, _ in source.unreadable}
    numbers = (n for n in range(1, 1 << 30) if n not in unreadable)
    for number, found in zip(numbers, source.events, strict=False):
        event = found.event
        reading = Reading(zone, found.floating, source.blank_zone)
        where = _where(number, event, reading)
        if _text(event, "STATUS").upper() == "CANCELLED":
            report.notes.append(f"{where} is cancelled, so it was left out.")
            continue
        fields = _read_event(event, reading, where, problems, report)
        if not fields:
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


def _source(data: bytes) -> Source:
    """The file's events; ImportFailed when it is not a calendar of events, or has none."""
    try:
        source = read_source(data)
    except Refused as refused:
        raise ImportFailed([refused.reason]) from None
    except NotText as exc:
        raise ImportFailed([str(exc)]) from None
    if not source.events and not source.unreadable:
        if source.piecewise:
            raise ImportFailed(["the file could not be read as iCalendar, and has no events"])
        raise ImportFailed(["the file has no events (VEVENT): there is nothing to import"])
    return source


@dataclass(frozen=True)
class Reading:
    """How an event's times are read: into the production's zone, from its calendar's
    zone for floating times (X-WR-TIMEZONE), and Exchange's empty zone's offset."""

    zone: zoneinfo.ZoneInfo
    floating: zoneinfo.ZoneInfo | None = None
    blank: dt.tzinfo | None = None

    def local(self, moment: dt.datetime, *, tzid: str | None) -> dt.datetime:
        """A moment as the production's wall clock."""
        if moment.tzinfo is None:
            if tzid == "" and self.blank is not None:
                moment = moment.replace(tzinfo=self.blank)
            elif self.floating is not None:
                moment = moment.replace(tzinfo=self.floating)
            else:
                return moment  # floating: already the production's wall clock
        return moment.astimezone(self.zone).replace(tzinfo=None)


def _where(number: int, event: Event, reading: Reading) -> str:
    """`event 3 ("Day 3 · Hollis Farm", 2026-10-21)`: how errors name an event."""
    summary = _text(event, "SUMMARY").strip()
    start = _decoded(event, "DTSTART")
    when = ""
    if isinstance(start, dt.datetime):
        when = reading.local(start, tzid=_tzid(event, "DTSTART")).date().isoformat()
    elif isinstance(start, dt.date):
        when = start.isoformat()
    summary = quoted(summary, limit=60, mark='"') if summary else ""
    named = ", ".join(part for part in (summary, when) if part)
    return f"event {number} ({named})" if named else f"event {number}"


def _read_event(
    event: Event, reading: Reading, where: str, problems: EventProblems, report: ImportReport
) -> dict:
    """The day's fields from one event; problems found are added, and {} given."""
    if "RRULE" in event or "RDATE" in event or "RECURRENCE-ID" in event:
        problems.add(where, "it repeats (RRULE); give each shoot day an event of its own")
        return {}
    start = _decoded(event, "DTSTART")
    if not isinstance(start, dt.date):
        problems.add(where, _no_start(event))
        return {}
    tzid = _tzid(event, "DTSTART")
    unknown_zone = tzid and not (tzid == "" and reading.blank)
    if isinstance(start, dt.datetime) and start.tzinfo is None and unknown_zone:
        problems.add(
            where, f"its time zone {quoted(tzid)} is not known, and the file does not define it"
        )
        return {}
    described = _description(event, where, problems, report)
    fields: dict = {}
    if isinstance(start, dt.datetime):
        _timed(event, reading.local(start, tzid=tzid), reading, where, problems, fields, described)
    else:
        _all_day(event, start, where, problems, fields, described)
    if "general_call" not in fields:
        return {}
    if (shooting := described.pop("shooting_call", None)) is not None:
        fields["shooting_call"] = after_anchor(shooting, fields["general_call"])
    fields.update(described)
    if match := _DAY_NUMBER.search(_text(event, "SUMMARY")):
        number = int(match[1])
        if 1 <= number <= 999:
            fields["day_number"] = number
    fields.update(_place(event, where, problems, address=described.get("address")))
    return fields


def _no_start(event: Event) -> str:
    """Why an event's start cannot be read: it has none, or what it has is not a date."""
    if "DTSTART" not in event:
        return "it has no start date (DTSTART)"
    raw = event["DTSTART"]
    if isinstance(raw, list):
        return "it has more than one start date (DTSTART)"
    written = getattr(raw, "to_ical", lambda: raw)()
    if isinstance(written, bytes):
        written = written.decode("utf-8", "replace")
    return f"its start date (DTSTART) {quoted(str(written), limit=24)} is not a date or a time"


def _timed(
    event: Event,
    start: dt.datetime,
    reading: Reading,
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
    local_end = reading.local(end, tzid=_tzid(event, "DTEND"))
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
    if isinstance(end, dt.datetime):
        # An all-day start with a timed end (seen in the wild): it ends on that end's date,
        # or the day before when it ends at midnight.
        end = end.date() + dt.timedelta(days=0 if end.time() == dt.time(0) else 1)
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


def _description(event: Event, where: str, problems: EventProblems, report: ImportReport) -> dict:
    """Fields from `Name: value` lines; the other lines, and any `Notes:`, are the notes.

    A time still to be confirmed (`Wrap: TBC`) is left unset, and the report says so."""
    text = _text(event, "DESCRIPTION").replace("\r\n", "\n")
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
            time = _leading_time(value)
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


def _place(event: Event, where: str, problems: EventProblems, *, address: str | None) -> dict:
    """location_name and address from LOCATION; latitude and longitude if the file has them.

    When the description gives the `address`, LOCATION is the place's name, commas and all
    (less the address, if it repeats it after the name)."""
    place: dict = {}
    location = _text(event, "LOCATION").replace("\r\n", "\n").strip()
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


def _text(event: Event, name: str) -> str:
    """A text property's value; the first, when a file repeats the property."""
    value = event.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value)


def _tzid(event: Event, name: str) -> str | None:
    """The property's TZID parameter as written ("" when empty), or None when it has none."""
    if name not in event:
        return None
    params = getattr(event[name], "params", {})
    return str(params["TZID"]) if "TZID" in params else None
