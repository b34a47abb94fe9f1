"""Block Kit for the call sheet, kept inside Slack's limits for any size of crew."""

from __future__ import annotations

import datetime as dt

from bot.blocks.calltime import day_facts
from bot.blocks.format import clock_text, day_title, offset_text
from bot.blocks.kit import capped, context, header, section, text_sections
from bot.callsheet import CallSheet, DepartmentLine, PersonLine
from bot.mrkdwn import escaped
from bot.scenes import format_eighths, pages_text
from bot.views import DayView, ProductionView, SceneView

FIELDS_PER_SECTION = 10


def callsheet_blocks(
    production: ProductionView, sheet: CallSheet, *, today: dt.date | None = None
) -> tuple[str, list[dict]]:
    """(fallback text, blocks): header, facts, calls by department, personal calls, scenes
    (the date with its year when it is in another year than `today`)."""
    day = sheet.day
    title = callsheet_title(day, today=today)
    blocks: list[dict] = [
        header(title),
        *day_facts(production, day),
        _heading("Calls by department"),
        *_field_sections([department_text(production, sheet, line) for line in sheet.departments]),
    ]
    if sheet.personal:
        blocks.append(_heading("Personal calls"))
        blocks.extend(
            text_sections([person_line(production, sheet, line) for line in sheet.personal])
        )
    if day.scenes:
        blocks.append(_heading(scenes_heading(sheet)))
        blocks.extend(text_sections([scene_line(scene) for scene in day.scenes]))
    if day.notes:
        blocks.append(section(f"*Notes*\n{escaped(day.notes)}"))
    blocks.append(context(coming_up(production, sheet)))
    return f"{title}: general crew call {clock_text(production, day.general_call)}", capped(blocks)


def callsheet_title(day: DayView, *, today: dt.date | None = None) -> str:
    """`Call sheet · Tue 24 Nov · Day 12`."""
    return f"Call sheet · {day_title(day, today=today)}"


def department_text(production: ProductionView, sheet: CallSheet, line: DepartmentLine) -> str:
    """`*Camera*` and, below, `05:30 (30 min before the general call) · 5/5 called`."""
    if not line.call.called:
        return f"*{escaped(line.name)}*\nnot called"
    time = clock_text(production, line.call.minutes, date=sheet.day.date)
    offset = f" ({offset_text(line.call.offset)})" if line.call.offset is not None else ""
    return f"*{escaped(line.name)}*\n{time}{offset} · {line.called}/{line.people} called"


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


def _field_sections(fields: list[str]) -> list[dict]:
    return [
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f[:2000]} for f in fields[i : i + FIELDS_PER_SECTION]
            ],
        }
        for i in range(0, len(fields), FIELDS_PER_SECTION)
    ]


def _heading(text: str) -> dict:
    return section(f"*{text}*")
