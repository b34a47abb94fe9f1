"""Dates and times as Crewcall shows them: the production's zone and format, the reader's
too; and where a call comes from."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import Protocol

from bot.core.clock import DAY, format_clock
from bot.core.effective_calls import EffectiveCall, Source, local_datetime
from bot.core.mrkdwn import escaped
from bot.core.views import DayView, MemberView, ProductionView
from bot.storage.models import TimeFormat


class Formatted(Protocol):
    """What times are written by: a production (its view or its row), or a notice's card."""

    @property
    def time_format(self) -> TimeFormat:
        """24- or 12-hour times."""


def day_title(day: DayView, *, today: dt.date | None = None) -> str:
    """`Tue 24 Nov · Day 12` (`Tue 5 Jan 2027 · Day 30` from another year than `today`)."""
    title = date_text(day.date, today=today)
    return f"{title} · Day {day.day_number}" if day.day_number else title


def date_text(date: dt.date, *, today: dt.date | None = None) -> str:
    """`Tue 24 Nov`; with its year when `today` is given and in another year."""
    text = _date_text(date)
    return f"{text} {date.year}" if today is not None and today.year != date.year else text


@functools.lru_cache(maxsize=1024)
def _date_text(date: dt.date) -> str:
    """strftime is slow enough to show in /calltime's timings."""
    return date.strftime("%a %-d %b")


def clock_text(production: Formatted, minutes: int | None, *, date: dt.date | None = None) -> str:
    """`06:30` in the production's format; past midnight the weekday follows (`01:30 Wed`)."""
    if minutes is None:
        return "—"
    text = format_clock(minutes, production.time_format)
    if minutes >= DAY and date is not None:
        text += " " + (date + dt.timedelta(days=minutes // DAY)).strftime("%a")
    return text


def reader_clock(
    production: ProductionView, date: dt.date, minutes: int, reader_tz: str | None
) -> str | None:
    """The same moment in the reader's own zone, when it differs from the production's."""
    if not reader_tz or reader_tz == production.timezone:
        return None
    try:
        zone = zoneinfo.ZoneInfo(reader_tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    moment = local_datetime(production, date, minutes)
    local = moment.astimezone(zone)
    if local.utcoffset() == moment.utcoffset():
        return None
    text = moment_text(production, local)
    if local.date() != date:
        text += " " + local.strftime("%a")
    return f"{text} your time ({reader_tz})"


def moment_text(production: Formatted, moment: dt.datetime | None) -> str:
    """A moment's wall-clock time in the production's format (`—` when there is none)."""
    if moment is None:
        return "—"
    return format_clock(moment.hour * 60 + moment.minute, production.time_format)


def offset_text(minutes: int) -> str:
    """`90 min before the general call`, `30 min after the general call`."""
    if minutes < 0:
        return f"{-minutes} min before the general call"
    return f"{minutes} min after the general call"


def source_text(member: MemberView, call: EffectiveCall) -> str:
    """Where a person's call comes from: `Camera call, 30 min before the general call`."""
    if call.source == Source.GENERAL:
        return "general crew call"
    if call.source == Source.PERSONAL:
        text = "personal call"
    else:
        department = escaped(member.department.name) if member.department else "Department"
        text = f"{department} call"
    return f"{text}, {offset_text(call.offset)}" if call.offset is not None else text
