"""Block Kit for the call sheet, kept inside Slack's limits for any size of crew."""

from __future__ import annotations

from bot.blocks.calltime import day_facts
from bot.blocks.format import clock_text, day_title, offset_text
from bot.blocks.kit import capped, context, header, section, text_sections
from bot.callsheet import CallSheet
from bot.scenes import format_eighths
from bot.views import ProductionView

FIELDS_PER_SECTION = 10


def callsheet_blocks(production: ProductionView, sheet: CallSheet) -> tuple[str, list[dict]]:
    """(fallback text, blocks): header, facts, calls by department, personal calls, scenes."""
    day = sheet.day
    title = f"Call sheet · {day_title(day)}"
    blocks: list[dict] = [
        header(title),
        *day_facts(production, day),
        _heading("Calls by department"),
        *_field_sections(
            [_department_field(production, sheet, line) for line in sheet.departments]
        ),
    ]
    if sheet.personal:
        blocks.append(_heading("Personal calls"))
        blocks.extend(
            text_sections([_person_line(production, sheet, line) for line in sheet.personal])
        )
    if day.scenes:
        total = format_eighths(sum(scene.eighths for scene in day.scenes))
        blocks.append(_heading(f"Scenes ({len(day.scenes)}, {total} pages)"))
        blocks.extend(text_sections([_scene_line(scene) for scene in day.scenes]))
    if day.notes:
        blocks.append(section(f"*Notes*\n{day.notes}"))
    blocks.append(_coming_up(production, sheet))
    return f"{title}: general crew call {clock_text(production, day.general_call)}", capped(blocks)


def _department_field(production: ProductionView, sheet: CallSheet, line) -> str:  # type: ignore[no-untyped-def]
    if not line.call.called:
        return f"*{line.name}*\nnot called"
    time = clock_text(production, line.call.minutes, date=sheet.day.date)
    offset = f" ({offset_text(line.call.offset)})" if line.call.offset is not None else ""
    return f"*{line.name}*\n{time}{offset} · {line.called}/{line.people} called"


def _person_line(production: ProductionView, sheet: CallSheet, line) -> str:  # type: ignore[no-untyped-def]
    who = f"{line.name} ({line.department})" if line.department else line.name
    if not line.call.called:
        when = "off"
    else:
        when = clock_text(production, line.call.minutes, date=sheet.day.date)
    note = f" — {line.call.note}" if line.call.note else ""
    return f"• {who}: *{when}*{note}"


def _scene_line(scene) -> str:  # type: ignore[no-untyped-def]
    parts = [
        f"*{scene.number}*",
        scene.set_name,
        scene.day_night,
        f"{format_eighths(scene.eighths)} pg",
    ]
    return " · ".join(part for part in parts if part)


def _coming_up(production: ProductionView, sheet: CallSheet) -> dict:
    if not sheet.next_days:
        return context("No more shoot days scheduled.")
    lines = [
        f"{day_title(d)}: {clock_text(production, d.general_call)} at {d.location_name or 'TBC'}"
        for d in sheet.next_days
    ]
    return context("Next: " + " | ".join(lines))


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
