"""Whose call is when on a shoot day, and where it comes from (personal, department or
general); which day a date names; what comes next. Pure functions of a `Schedule`."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from bot.core.errors import UserError
from bot.core.schedule import Schedule
from bot.core.views import CallView, DayView, MemberView, ProductionView
from bot.core.when import When
from bot.storage.models import CallKind, DayStatus


class Source(StrEnum):
    PERSONAL = "personal"
    DEPARTMENT = "department"
    GENERAL = "general"


@dataclass(frozen=True)
class EffectiveCall:
    """A call resolved for one day: minutes after local midnight, or None when not called."""

    minutes: int | None
    source: Source
    note: str = ""
    # Minutes from the general crew call, when the call is written as an offset.
    offset: int | None = None

    @property
    def called(self) -> bool:
        """Whether the person is called at all."""
        return self.minutes is not None


@dataclass(frozen=True)
class NoShoot:
    """No shoot (or a cancelled one) on the date asked; the next shoot day, if any."""

    date: dt.date
    cancelled: DayView | None
    next_day: DayView | None


def call_minutes(call: CallView, general_call: int) -> int | None:
    """Where a stored call lands on its day: offsets follow the general crew call, clock
    calls stay where they were placed when written (bot/core/clock.placed)."""
    if call.kind == CallKind.OFF:
        return None
    if call.kind == CallKind.OFFSET:
        return general_call + call.minutes
    return call.minutes


def effective_call(
    day: DayView, *, personal: CallView | None, departmental: CallView | None
) -> EffectiveCall:
    """The person's override, else their department's call, else the general crew call."""
    for call, source in ((personal, Source.PERSONAL), (departmental, Source.DEPARTMENT)):
        if call is not None:
            offset = call.minutes if call.kind == CallKind.OFFSET else None
            return EffectiveCall(call_minutes(call, day.general_call), source, call.note, offset)
    return EffectiveCall(day.general_call, Source.GENERAL)


def department_call(day: DayView, departmental: CallView | None) -> EffectiveCall:
    """A department's call for the day: its own, or the general crew call."""
    return effective_call(day, personal=None, departmental=departmental)


def member_call(schedule: Schedule, *, member: MemberView, day: DayView) -> EffectiveCall:
    """One person's effective call on one day."""
    calls = schedule.day_calls(day)
    return effective_call(
        day,
        personal=calls.person.get(member.id),
        departmental=calls.department.get(member.department_id),  # type: ignore[arg-type]
    )


def local_datetime(production: ProductionView, day: dt.date, minutes: int) -> dt.datetime:
    """The wall-clock moment `minutes` after the day's local midnight, in the production's zone.

    Wall-clock arithmetic: on the day the clocks change, 06:30 is still 06:30.
    """
    midnight = dt.datetime.combine(day, dt.time(0))
    zone = zoneinfo.ZoneInfo(production.timezone)
    return (midnight + dt.timedelta(minutes=minutes)).replace(tzinfo=zone)


def day_end(production: ProductionView, day: DayView) -> dt.datetime:
    """When a shoot day is over (UTC): its estimated wrap, or twelve hours after its call."""
    end = day.wrap if day.wrap is not None else day.general_call + 12 * 60
    return local_datetime(production, day.date, end).astimezone(dt.UTC)


def local_today(production: ProductionView, now: dt.datetime) -> dt.date:
    """The production's calendar date at `now`."""
    return now.astimezone(zoneinfo.ZoneInfo(production.timezone)).date()


def find_day(schedule: Schedule, *, when: When) -> DayView | None:
    """The shoot day for a date or a day number (not `next`); None when there is none."""
    if when.day_number is None:
        found = schedule.days_from(when.date)  # type: ignore[arg-type]
        return found[0] if found and found[0].date == when.date else None
    return schedule.numbered(when.day_number)


def shoot_day_for(schedule: Schedule, *, when: When) -> DayView | NoShoot:
    """The scheduled day for a date or day number, or why there is none and what comes next."""
    day = find_day(schedule, when=when)
    if day is None and when.day_number is not None:
        last = schedule.last_day_number()
        known = f"the schedule runs to day {last}" if last else "no days are numbered"
        raise UserError(f"There is no day {when.day_number}: {known}.")
    if day is not None and day.status != DayStatus.CANCELLED:
        return day
    date = day.date if day else when.date
    assert date is not None  # a When is a date or a day number, and numbers were found above
    following = upcoming_days(schedule, start=date + dt.timedelta(days=1), limit=1)
    return NoShoot(date, day, following[0] if following else None)


def upcoming_days(schedule: Schedule, *, start: dt.date, limit: int | None = None) -> list[DayView]:
    """Scheduled shoot days on or after `start`, in order."""
    days = schedule.scheduled_from(start)
    return days[:limit] if limit else days


def calls_ahead(
    schedule: Schedule, *, now: dt.datetime, call_on: Callable[[DayView], EffectiveCall]
) -> Iterator[tuple[DayView, EffectiveCall]]:
    """Scheduled days with a call (as `call_on` gives it) that are not over at `now`, in
    order: today's stays until its wrap, though its call has passed."""
    production = schedule.production
    # From yesterday: a night shoot runs past midnight.
    start = local_today(production, now) - dt.timedelta(days=1)
    for day in upcoming_days(schedule, start=start):
        call = call_on(day)
        if call.minutes is None:
            continue
        if (
            day_end(production, day) > now
            or local_datetime(production, day.date, call.minutes) > now
        ):
            yield day, call


def first_call_ahead(
    schedule: Schedule, *, now: dt.datetime, call_on: Callable[[DayView], EffectiveCall]
) -> tuple[DayView, EffectiveCall] | None:
    """The first scheduled day with a call (as `call_on` gives it) not over at `now`."""
    return next(calls_ahead(schedule, now=now, call_on=call_on), None)


def next_call(
    schedule: Schedule, *, member: MemberView, now: dt.datetime
) -> tuple[DayView, EffectiveCall] | None:
    """The member's call on the first day of theirs not over at `now` (today's until its
    wrap), or None."""
    return first_call_ahead(
        schedule, now=now, call_on=lambda day: member_call(schedule, member=member, day=day)
    )


def department_key(name: str) -> str:
    """How a department's name is matched: lower case, single spaces."""
    return " ".join(name.lower().split())
