"""schedule.csv: date, day, general_call, shooting_call, wrap, location, address, parking,
hospital, latitude, longitude, scenes, notes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.changes.change import Change
from bot.changes.places import Place
from bot.core.clock import after_anchor, file_time, wrap_after_call
from bot.core.errors import UserError
from bot.core.locales import code_page_for
from bot.core.mrkdwn import quoted
from bot.core.notes import checked_note
from bot.core.numbers import is_digits
from bot.core.scenes import SceneSpec, parse_scenes
from bot.core.when import parse_file_date
from bot.imports.csvfile import Problems, Row, read_rows
from bot.imports.day_warnings import day_warnings, far_call_warnings, fixed_calls
from bot.imports.fields import update_fields
from bot.imports.notified import notified_dates, propose_from_import
from bot.imports.report import ImportReport
from bot.storage.models import DateOrder, Production, Scene, ShootDay

TEXT_COLUMNS = {
    "location": "location_name",
    "address": "address",
    "parking": "parking",
    "hospital": "hospital",
    "notes": "notes",
}


@dataclass
class DayRow:
    """A checked day from a file: the fields it gives, and its scenes (None: not given)."""

    fields: dict
    scenes: list[SceneSpec] | None


def import_schedule(session: Session, *, production: Production, data: bytes) -> ImportReport:
    """Add or update shoot days by date; days not in the file are left as they are."""
    table = read_rows(
        data,
        required=("date", "general_call"),
        kind="schedule",
        code_page=code_page_for(production.timezone),
    )
    rows = _checked(table.rows, production.date_order)
    report = ImportReport("shoot days", notes=list(table.notes))
    if serial := next((r.get("date") for r in table.rows if is_digits(r.get("date"))), None):
        read = parse_file_date(serial, production.date_order)
        report.notes.append(
            f"Dates written as Excel's numbers for them were read as dates ({serial} is "
            f"{read:%a %-d %b %Y}); format the column as dates to be sure."
        )
    return save_days(session, production=production, rows=rows, report=report)


def save_days(
    session: Session, *, production: Production, rows: list[DayRow], report: ImportReport
) -> ImportReport:
    """Create or update each day by date. Fields a row does not give are left as they are;
    new calls for a day that has gone out to the crew are proposed, not applied."""
    existing = {
        day.date: day
        for day in session.scalars(
            select(ShootDay)
            .where(ShootDay.production_id == production.id)
            .options(selectinload(ShootDay.scenes))
        )
    }
    notified = notified_dates(session, production_id=production.id)
    warnings: list[str] = []
    for entry in rows:
        day = existing.get(entry.fields["date"])
        if day is None:
            day = ShootDay(production_id=production.id, **entry.fields)
            day.scenes = _scenes(entry.scenes or [])
            session.add(day)
            report.created += 1
            warnings += day_warnings(production, day)
            continue
        fields, change = dict(entry.fields), None
        general = day.general_call
        if day.date in notified:
            change = _proposed(day, fields)
        if update_day(day, fields, entry.scenes):
            report.updated += 1
        elif change is None:
            report.unchanged += 1
        if change is not None:
            propose_from_import(session, day=day, change=change, report=report)
        warnings += day_warnings(production, day)
        if day.general_call != general:  # fixed calls stay where they were: still near?
            warnings += far_call_warnings(production, day, fixed_calls(session, day.calls))
    session.flush()
    report.notes += warnings
    return report


def _proposed(day: ShootDay, fields: dict) -> Change | None:
    """Take out of `fields` what moves calls on a notified day, as a Change (None if nothing).

    The calls, wrap and a new location are proposed; the rest (scenes, notes, corrections
    to the same location's details) is applied as usual.
    """
    found = {}
    for name in ("general_call", "shooting_call", "wrap"):
        value = fields.pop(name, None)  # an empty time on a notified day is left as it is
        if value is not None and value != getattr(day, name):
            found[name] = value
    place = None
    if fields.get("location_name", day.location_name) != day.location_name:
        details = ("address", "parking", "hospital", "latitude", "longitude")
        given: dict[str, Any] = {name: fields.pop(name, getattr(day, name)) for name in details}
        place = Place(fields.pop("location_name"), **given, known_from="the import")
    if not found and place is None:
        return None
    return Change(day.date, location=place, **found)


def update_day(day: ShootDay, fields: dict, scenes: list[SceneSpec] | None) -> bool:
    """Apply fields and scenes (None: leave them) to a day; bump its revision on any change."""
    changed = update_fields(day, fields)
    current = [SceneSpec(s.number, s.set_name, s.day_night, s.eighths) for s in day.scenes]
    if scenes is not None and current != scenes:
        day.scenes = _scenes(scenes)
        changed = True
    if changed:
        day.revision += 1
    return changed


def _scenes(specs: list[SceneSpec]) -> list[Scene]:
    return [
        Scene(
            position=i,
            number=s.number,
            set_name=s.set_name,
            day_night=s.day_night,
            eighths=s.eighths,
        )
        for i, s in enumerate(specs)
    ]


def _checked(rows: list[Row], date_order: DateOrder) -> list[DayRow]:
    problems = Problems()
    checked: list = []
    seen: dict = {}
    for row in rows:
        entry = _check_row(row, date_order, problems)
        if entry is None:
            continue
        date = entry.fields["date"]
        if date in seen:
            problems.add(row, "date", f"{date} is already on row {seen[date]}")
        seen[date] = row.number
        checked.append(entry)
    problems.check()
    return checked


def _check_row(row: Row, date_order: DateOrder, problems: Problems) -> DayRow | None:
    """The fields a row gives: a column the file does not have leaves its field as it is
    (an empty cell in a column it has clears it)."""
    before = len(problems.found)
    fields: dict = {
        column: row.get(source) for source, column in TEXT_COLUMNS.items() if row.has(source)
    }
    fields["date"] = problems.parse(row, "date", lambda v: parse_file_date(v, date_order))
    if row.has("day"):
        fields["day_number"] = problems.parse(row, "day", _day_number, optional=True)
    general = problems.parse(row, "general_call", file_time)
    fields["general_call"] = general
    if general is not None:
        for column, place in (("shooting_call", after_anchor), ("wrap", wrap_after_call)):
            if row.has(column):
                time = problems.parse(row, column, file_time, optional=True)
                fields[column] = None if time is None else place(time, general)
    if row.has("notes"):
        problems.parse(row, "notes", checked_note, optional=True)
    for column, limit in (("latitude", 90), ("longitude", 180)):
        if row.has(column):
            fields[column] = problems.parse(row, column, _coordinate(limit), optional=True)
    given = [fields[c] is not None for c in ("latitude", "longitude") if c in fields]
    if any(given) and given != [True, True]:
        problems.add(row, "latitude/longitude", "give both coordinates or neither")
    scenes = None
    if row.has("scenes"):
        scenes = problems.parse(row, "scenes", parse_scenes, optional=True) or []
    if len(problems.found) > before:
        return None
    return DayRow(fields, scenes)


def _day_number(text: str) -> int:
    if not is_digits(text) or not 1 <= int(text) <= 999:
        raise UserError(f"{quoted(text)} is not a day number from 1 to 999")
    return int(text)


def _coordinate(limit: int):
    def parse(text: str) -> float:
        if "," in text and "." not in text:
            text = text.replace(",", ".", 1)  # a decimal comma, as European Excel writes
        try:
            value = float(text)
        except ValueError:
            raise UserError(f"{quoted(text)} is not a number") from None
        if not -limit <= value <= limit:
            raise UserError(f"{quoted(text)} is outside -{limit} to {limit}")
        return value

    return parse
