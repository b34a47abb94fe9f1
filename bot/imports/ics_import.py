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
import re
import zoneinfo
from dataclasses import dataclass

from icalendar import Event
from sqlalchemy.orm import Session

from bot.core.clock import after_anchor, wrap_after_call
from bot.core.locales import code_page_for
from bot.core.mrkdwn import quoted
from bot.imports.csvfile import ImportFailed, read_as
from bot.imports.ics_event import (
    EventProblems,
    decoded_of,
    description_of,
    end_of,
    place_of,
    text_of,
    tzid_of,
)
from bot.imports.ics_source import Refused, Source, read_source
from bot.imports.report import ImportReport
from bot.imports.schedule import DayRow, save_days
from bot.imports.text import NotText
from bot.storage.models import Production

DAY = 24 * 60
_DAY_NUMBER = re.compile(r"\bday\s*(\d{1,3})\b", re.IGNORECASE)
ALL_DAY_CALL = "write `General call: 07:00` in its description, or make it a timed event"


def import_ics(session: Session, *, production: Production, data: bytes) -> ImportReport:
    """Add or update shoot days from the file's events; other days are left as they are."""
    report = ImportReport("shoot days")
    rows = read_days(data, timezone=production.timezone, report=report)
    return save_days(session, production=production, rows=rows, report=report)


def read_days(data: bytes, *, timezone: str, report: ImportReport) -> list[DayRow]:
    """Every event as a day's fields; ImportFailed naming each bad event, if any."""
    source = _source(data, code_page=code_page_for(timezone))
    summaries = [text_of(found.event, "SUMMARY") for found in source.events]
    if read := read_as(source.encoding, summaries):
        report.notes.append(read)
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
        if text_of(event, "STATUS").upper() == "CANCELLED":
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


def _source(data: bytes, *, code_page: str) -> Source:
    """The file's events; ImportFailed when it is not a calendar of events, or has none."""
    try:
        source = read_source(data, code_page=code_page)
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
    summary = text_of(event, "SUMMARY").strip()
    start = decoded_of(event, "DTSTART")
    when = ""
    if isinstance(start, dt.datetime):
        when = reading.local(start, tzid=tzid_of(event, "DTSTART")).date().isoformat()
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
    start = decoded_of(event, "DTSTART")
    if not isinstance(start, dt.date):
        problems.add(where, _no_start(event))
        return {}
    tzid = tzid_of(event, "DTSTART")
    unknown_zone = tzid and not (tzid == "" and reading.blank)
    if isinstance(start, dt.datetime) and start.tzinfo is None and unknown_zone:
        problems.add(
            where,
            f"its time zone {quoted(tzid or '')} is not known, and the file does not define it",
        )
        return {}
    described = description_of(event, where, problems, report)
    fields: dict = {}
    if isinstance(start, dt.datetime):
        _timed(event, start, reading, where, problems, fields, described)
    else:
        _all_day(event, start, where, problems, fields, described)
    if "general_call" not in fields:
        return {}
    if (shooting := described.pop("shooting_call", None)) is not None:
        fields["shooting_call"] = after_anchor(shooting, fields["general_call"])
    fields.update(described)
    if match := _DAY_NUMBER.search(text_of(event, "SUMMARY")):
        number = int(match[1])
        if 1 <= number <= 999:
            fields["day_number"] = number
    fields.update(place_of(event, where, problems, address=described.get("address")))
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
    written: dt.datetime,
    reading: Reading,
    where: str,
    problems: EventProblems,
    fields: dict,
    described: dict,
) -> None:
    """Date, general call and wrap from the event's times (`written` is its start as the
    file has it); lines in its description win."""
    start = reading.local(written, tzid=tzid_of(event, "DTSTART"))
    fields["date"] = start.date()
    general = described.pop("general_call", start.hour * 60 + start.minute)
    fields["general_call"] = general
    if (wrap := described.pop("wrap", None)) is not None:
        fields["wrap"] = wrap_after_call(wrap, general)
        return
    # The end from the start as written, in its own zone: DURATION counts from there.
    end = end_of(event, written)
    if end is None:
        return
    if not isinstance(end, dt.datetime):
        problems.add(where, "it starts at a time but ends on a date (DTEND)")
        return
    end_zone = tzid_of(event, "DTEND" if "DTEND" in event else "DTSTART")
    local_end = reading.local(end, tzid=end_zone)
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
    end = end_of(event, date)
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
