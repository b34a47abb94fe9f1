"""Block Kit for the call sheet, kept inside Slack's limits for any size of crew."""

from __future__ import annotations

import datetime as dt

from bot.calls.blocks import fact_lines, place_lines
from bot.calls.callsheet import CallSheet, DepartmentLine, PersonLine
from bot.core.format import clock_text, day_title, offset_text
from bot.core.kit import capped, header, section, text_sections
from bot.core.mrkdwn import escaped
from bot.core.scenes import format_eighths, pages_text
from bot.core.views import DayView, ProductionView, SceneView


def callsheet_blocks(
    production: ProductionView,
    sheet: CallSheet,
    *,
    today: dt.date | None = None,
    own: str = "",
) -> tuple[str, list[dict]]:
    """(fallback text, blocks) for /callsheet: the header, `own` (the reader's own call,
    when they are called) and the sheet's lines, as every call sheet shows them."""
    day = sheet.day
    title = callsheet_title(day, today=today)
    blocks: list[dict] = [header(title)]
    if own:
        blocks.append(section(own))
    blocks.extend(text_sections(callsheet_lines(production, sheet)))
    fallback = f"{title}: general crew call {clock_text(production, day.general_call)}"
    return fallback, capped(blocks)


def callsheet_lines(production: ProductionView, sheet: CallSheet) -> list[str]:
    """The call sheet, in the one order every copy of it keeps (crew channel, DM,
    /callsheet, App Home): general crew call, shooting call, wrap (and the sun); the
    location, its address, parking and nearest hospital; calls by department; personal
    calls; scenes; notes; the next shoot days."""
    day = sheet.day
    lines = fact_lines(production, day)
    lines.extend(place_lines(day))
    lines.append("*Calls by department*")
    lines.extend(department_text(production, sheet, line) for line in sheet.departments)
    if sheet.personal:
        lines.append("*Personal calls*")
        lines.extend(person_line(production, sheet, line) for line in sheet.personal)
    if day.scenes:
        lines.append(f"*{scenes_heading(sheet)}*")
        lines.extend(scene_line(scene) for scene in day.scenes)
    if day.notes:
        lines.append(f"*Notes:* {escaped(day.notes)}")
    lines.append(f"_{coming_up(production, sheet)}_")
    return lines


def callsheet_title(day: DayView, *, today: dt.date | None = None) -> str:
    """`Call sheet · Tue 24 Nov · Day 12`."""
    return f"Call sheet · {day_title(day, today=today)}"


def department_text(production: ProductionView, sheet: CallSheet, line: DepartmentLine) -> str:
    """`• *Camera*: 05:30 (30 min before the general call) · 5/5 called — pickup 05:15`: the
    department's note stays beside its call."""
    if not line.call.called:
        return f"• *{escaped(line.name)}*: not called"
    time = clock_text(production, line.call.minutes, date=sheet.day.date)
    offset = f" ({offset_text(line.call.offset)})" if line.call.offset is not None else ""
    note = f" — {escaped(line.call.note)}" if line.call.note else ""
    return f"• *{escaped(line.name)}*: {time}{offset} · {line.called}/{line.people} called{note}"


def person_line(production: ProductionView, sheet: CallSheet, line: PersonLine) -> str:
    """`• Ana Ruiz (Camera): *05:15* — pickup at hotel`."""
    who = escaped(f"{line.name} ({line.department})" if line.department else line.name)
    if not line.call.called:
        when = "off"
    else:
        when = clock_text(production, line.call.minutes, date=sheet.day.date)
    note = f" — {escaped(line.call.note)}" if line.call.note else ""
    return f"• {who}: *{when}*{note}"


def scenes_heading(sheet: CallSheet) -> str:
    """`Scenes (4, 5 3/8 pages)`."""
    scenes = sheet.day.scenes
    pages = pages_text([scene.eighths for scene in scenes])
    return f"Scenes ({len(scenes)}, {pages})" if pages else f"Scenes ({len(scenes)})"


def scene_line(scene: SceneView) -> str:
    """`*12A* · Farmhouse kitchen · INT night · 1 3/8 pg`."""
    parts = [
        f"*{escaped(scene.number)}*",
        escaped(scene.set_name),
        escaped(scene.day_night),
        f"{format_eighths(scene.eighths)} pg" if scene.eighths else "",
    ]
    return " · ".join(part for part in parts if part)


def coming_up(production: ProductionView, sheet: CallSheet) -> str:
    """The next two shoot days in one line."""
    if not sheet.next_days:
        return "No more shoot days scheduled."
    lines = [
        f"{day_title(d)}: {clock_text(production, d.general_call)} "
        f"at {escaped(d.location_name) or 'TBC'}"
        for d in sheet.next_days
    ]
    return "Next: " + " | ".join(lines)
