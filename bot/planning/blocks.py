"""The words of the automatic messages: the evening call sheet and the morning reminder.

They are notices (bot/notices/notices.py), so they are text: a title, a body everyone gets,
and each delivery's own part. The sender lays them out (bot/notices/blocks.py).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from bot.calls.blocks import place_lines
from bot.calls.callsheet import CallSheet
from bot.calls.callsheet_blocks import callsheet_lines, callsheet_title
from bot.core.effective_calls import EffectiveCall
from bot.core.format import clock_text, date_text, day_title, source_text
from bot.core.mrkdwn import escaped
from bot.core.views import DayView, MemberView, ProductionView
from bot.planning.due import Called


@dataclass(frozen=True)
class CallSheetNotice:
    """The call sheet as a notice: its title, and the body everyone gets (the channel post
    and each DM, whose own part is the person's call, above it)."""

    title: str
    body: str


def callsheet_notice(production: ProductionView, sheet: CallSheet) -> CallSheetNotice:
    """The whole call sheet for everyone, laid out as /callsheet lays it out."""
    return CallSheetNotice(
        callsheet_title(sheet.day), "\n".join(callsheet_lines(production, sheet))
    )


def own_call(
    production: ProductionView, day: DayView, member: MemberView, call: EffectiveCall
) -> str:
    """A person's part of the call sheet: `Your call Wed 21 Oct: *05:30* · Camera call`."""
    time = clock_text(production, call.minutes, date=day.date)
    line = f"Your call {date_text(day.date)}: *{time}* · {source_text(member, call)}"
    return f"{line}\n_{escaped(call.note)}_" if call.note else line


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
    time = clock_text(production, (person.call.minutes or 0) % (24 * 60))
    lines = [f"Your call {when} {time} at {escaped(day.location_name) or 'the location (TBC)'}"]
    if person.call.note:
        lines.append(f"_{escaped(person.call.note)}_")
    lines.extend(place_lines(day)[1:])
    return "\n".join(lines)
