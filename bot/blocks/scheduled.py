"""The words of the automatic messages: the evening call sheet and the morning reminder.

They are notices (bot/notices.py), so they are text: a title, a body everyone gets,
and each delivery's own part. The sender lays them out (bot/blocks/notices.py).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from bot.blocks.callsheet import (
    callsheet_title,
    coming_up,
    department_text,
    person_line,
    scene_line,
    scenes_heading,
)
from bot.blocks.calltime import fact_fields, place_lines, source_text
from bot.blocks.format import clock_text, date_text, day_title
from bot.callsheet import CallSheet
from bot.mrkdwn import escaped
from bot.planning import Called
from bot.views import DayView, ProductionView


@dataclass(frozen=True)
class CallSheetNotice:
    """The call sheet as a notice: its title, the body all get, the channel post's part."""

    title: str
    body: str
    channel_detail: str


def callsheet_notice(production: ProductionView, sheet: CallSheet) -> CallSheetNotice:
    """The day's facts for everyone; calls by department, scenes and what's next for the channel."""
    day = sheet.day
    body = [field.replace("\n", " ") for field in fact_fields(production, day)]
    body.extend(place_lines(day))
    if day.notes:
        body.append(f"*Notes:* {escaped(day.notes)}")
    channel = ["*Calls by department*"]
    channel.extend(
        "• " + department_text(production, sheet, line).replace("\n", ": ", 1)
        for line in sheet.departments
    )
    if sheet.personal:
        channel.append("*Personal calls*")
        channel.extend(person_line(production, sheet, line) for line in sheet.personal)
    if day.scenes:
        channel.append(f"*{scenes_heading(sheet)}*")
        channel.extend(scene_line(scene) for scene in day.scenes)
    channel.append(f"_{coming_up(production, sheet)}_")
    return CallSheetNotice(callsheet_title(day), "\n".join(body), "\n".join(channel))


def own_call(production: ProductionView, day: DayView, person: Called) -> str:
    """A person's part of the call sheet: `Your call Wed 21 Oct: *05:30* · Camera call`."""
    time = clock_text(production, person.call.minutes, date=day.date)
    line = f"Your call {date_text(day.date)}: *{time}* · {source_text(person.member, person.call)}"
    return f"{line}\n_{escaped(person.call.note)}_" if person.call.note else line


def reminder_title(day: DayView) -> str:
    """`Reminder · Wed 21 Oct · Day 3`."""
    return f"Reminder · {day_title(day)}"


def reminder_text(production: ProductionView, day: DayView, person: Called) -> str:
    """`Your call today 06:30 at Hollis Farm`, with the address and parking below it."""
    local = person.at.astimezone(zoneinfo.ZoneInfo(production.timezone))
    reminded = (person.at - dt.timedelta(minutes=production.reminder_lead)).astimezone(local.tzinfo)
    if local.date() == reminded.date():
        when = "today"
    elif local.date() == reminded.date() + dt.timedelta(days=1):
        when = "tomorrow"
    else:
        when = date_text(local.date())
    time = clock_text(production, person.call.minutes % (24 * 60))
    lines = [f"Your call {when} {time} at {escaped(day.location_name) or 'the location (TBC)'}"]
    if person.call.note:
        lines.append(f"_{escaped(person.call.note)}_")
    lines.extend(place_lines(day)[1:])
    return "\n".join(lines)
