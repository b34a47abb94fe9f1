"""Block Kit for /calltime answers: pure functions of the answer."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from bot.calls.calltime import (
    Answer,
    DepartmentCall,
    NoShoot,
    NotCalled,
    NothingAhead,
    PersonCall,
)
from bot.core.effective_calls import Source
from bot.core.format import (
    clock_text,
    date_text,
    day_title,
    moment_text,
    offset_text,
    reader_clock,
    source_text,
)
from bot.core.kit import header, section
from bot.core.mrkdwn import escaped
from bot.core.sun import sun_times
from bot.core.views import DayView, ProductionView
from bot.notices.standing import Standing
from bot.storage.models import NoticeKind


def calltime_blocks(
    production: ProductionView,
    result: Answer,
    *,
    reader_tz: str | None = None,
    show_phone: bool = False,
    callsheet: Standing | None = None,
    today: dt.date | None = None,
) -> tuple[str, list[dict]]:
    """(fallback text, blocks) for any /calltime answer; `callsheet`: the asker's standing.
    Dates in another year than `today` show their year."""
    if isinstance(result, PersonCall):
        return _person_call(production, result, reader_tz, show_phone, callsheet, today)
    if isinstance(result, DepartmentCall):
        return _department_call(production, result, today)
    if isinstance(result, NotCalled):
        return _not_called(production, result, today)
    if isinstance(result, NoShoot):
        return no_shoot_blocks(production, result, today=today)
    return _nothing_ahead(result)


def _person_call(
    production: ProductionView,
    result: PersonCall,
    reader_tz: str | None,
    show_phone: bool,
    callsheet: Standing | None,
    today: dt.date | None,
) -> tuple[str, list[dict]]:
    day, call = result.day, result.call
    whose = "Your call" if result.is_asker else f"{result.member.name or 'Their'}'s call"
    time = clock_text(production, call.minutes, date=day.date)
    lines = [f"*{time}* · {source_text(result.member, call)}"]
    if call.note:
        lines.append(f"_{escaped(call.note)}_")
    if call.minutes is not None and (
        theirs := reader_clock(production, day.date, call.minutes, reader_tz)
    ):
        lines.append(theirs)
    if show_phone and not result.is_asker and result.member.phone:
        lines.append(f"Phone: {escaped(result.member.phone)}")
    if callsheet is not None:
        lines.append(_callsheet_line(production, callsheet))
    fallback = f"{escaped(whose)} {date_text(day.date, today=today)}: {time}"
    title = f"{whose} · {day_title(day, today=today)}"  # a header: plain text
    return fallback, [
        header(title),
        section("\n".join(lines)),
        *day_facts(production, day),
    ]


def _callsheet_line(production: ProductionView, callsheet: Standing) -> str:
    """Where the asker stands on the day's live notice: its call sheet, or the change since."""
    what = "call sheet" if callsheet.kind == NoticeKind.CALLSHEET else "schedule change"
    if callsheet.acknowledged_at is None:
        return (
            f":warning: You haven't acknowledged this day's {what} (notice "
            f"{callsheet.notice_id}) yet: use its button in your DM with Crewcall."
        )
    zone = zoneinfo.ZoneInfo(production.timezone)
    local = callsheet.acknowledged_at.astimezone(zone)
    when = f"{moment_text(production, local)} {date_text(local.date())}"
    return f":white_check_mark: {what.capitalize()} acknowledged {when}"


def _department_call(
    production: ProductionView, result: DepartmentCall, today: dt.date | None
) -> tuple[str, list[dict]]:
    day, call = result.day, result.call
    time = clock_text(production, call.minutes, date=day.date)
    name = escaped(result.department.name)
    if call.called:
        detail = f"*{time}* · general crew call"
        if call.source != Source.GENERAL:
            detail = f"*{time}* · {name} call"
            if call.offset is not None:
                detail += f", {offset_text(call.offset)}"
    else:
        detail = f"{name} is not called"
    lines = [detail, f"{result.people} {'person' if result.people == 1 else 'people'} called"]
    if call.note:
        lines.insert(1, f"_{escaped(call.note)}_")
    fallback = f"{name} {date_text(day.date, today=today)}: {time if call.called else 'not called'}"
    return fallback, [
        header(f"{result.department.name} · {day_title(day, today=today)}"),
        section("\n".join(lines)),
        *day_facts(production, day),
    ]


def _not_called(
    production: ProductionView, result: NotCalled, today: dt.date | None
) -> tuple[str, list[dict]]:
    who = "You're" if result.is_asker else f"{escaped(result.member.name)} is"
    text = f"{who} not called on {day_title(result.day, today=today)}."
    if result.next is not None:
        day, call = result.next
        time = clock_text(production, call.minutes, date=day.date)
        place = escaped(day.location_name) or "location TBC"
        text += f"\nNext call: *{time}* on {day_title(day, today=today)} at {place}."
    else:
        text += "\nNo further calls are scheduled."
    return text.splitlines()[0], [section(text)]


def no_shoot_blocks(
    production: ProductionView, result: NoShoot, *, today: dt.date | None = None
) -> tuple[str, list[dict]]:
    """No shoot (or a cancelled one) on the day asked, and the next shoot day."""
    if result.cancelled is not None:
        text = f"{day_title(result.cancelled, today=today)} is cancelled."
    else:
        text = f"There is no shoot on {date_text(result.date, today=today)}."
    if result.next_day is not None:
        day = result.next_day
        time = clock_text(production, day.general_call, date=day.date)
        text += f"\nNext shoot day: {day_title(day, today=today)}, general crew call {time}."
    else:
        text += "\nNo more shoot days are scheduled."
    return text.splitlines()[0], [section(text)]


def _nothing_ahead(result: NothingAhead) -> tuple[str, list[dict]]:
    subject = "You have" if result.is_asker else f"{escaped(result.subject)} has"
    text = f"{subject} no calls ahead on the schedule."
    return text, [section(text)]


@functools.lru_cache(maxsize=4096)
def day_facts(production: ProductionView, day: DayView) -> tuple[dict, ...]:
    """The day's general facts, as every call sheet has them: calls, wrap, sun; the place.

    Cached by identity: the production and day come from a loaded Schedule, which is
    never changed (a new version is loaded as new objects). The blocks are shared
    between answers, so callers copy them into their own list and never mutate them.
    """
    return (section("\n".join([*fact_lines(production, day), *place_lines(day)])),)


def fact_lines(production: ProductionView, day: DayView) -> list[str]:
    """`*General crew call:* 06:30` and the like: calls, wrap, and the sun when known; one a
    line, which a phone shows as it shows them here."""
    date = day.date
    lines = [
        f"*General crew call:* {clock_text(production, day.general_call, date=date)}",
        f"*Shooting call:* {clock_text(production, day.shooting_call, date=date)}",
        f"*Estimated wrap:* {clock_text(production, day.wrap, date=date)}",
    ]
    if day.latitude is not None and day.longitude is not None:
        sun = sun_times(day.latitude, day.longitude, date, production.timezone)
        rise, fall = (moment_text(production, moment) for moment in (sun.sunrise, sun.sunset))
        lines.append(f"*Sunrise · sunset:* {rise} · {fall}")
    return lines


def place_lines(day: DayView) -> list[str]:
    """The location, its address, parking and nearest hospital, one per line."""
    place = [f"*{escaped(day.location_name) or 'Location TBC'}*"]
    if day.address:
        place.append(escaped(day.address))
    if day.parking:
        place.append(f"*Parking:* {escaped(day.parking)}")
    if day.hospital:
        place.append(f"*Nearest hospital:* {escaped(day.hospital)}")
    return place
