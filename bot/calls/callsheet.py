"""/callsheet: the whole day — calls by department, personal calls, scenes, what comes next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.calls.calltime import department_on
from bot.core.effective_calls import (
    EffectiveCall,
    day_end,
    effective_call,
    local_today,
    upcoming_days,
)
from bot.core.schedule import Schedule
from bot.core.views import DayView


@dataclass(frozen=True)
class DepartmentLine:
    """A department's call and how many of its people are called."""

    name: str
    call: EffectiveCall
    called: int
    people: int


@dataclass(frozen=True)
class PersonLine:
    """Someone whose call differs from their department's: a personal call, or off."""

    name: str
    department: str
    call: EffectiveCall


@dataclass(frozen=True)
class CallSheet:
    """Everything the call sheet shows for one day."""

    day: DayView
    departments: list[DepartmentLine]
    personal: list[PersonLine]
    next_days: list[DayView]


def default_day(schedule: Schedule, *, now: dt.datetime) -> DayView | None:
    """Today's shoot day until it wraps, then the next one."""
    production = schedule.production
    start = local_today(production, now) - dt.timedelta(days=1)
    for day in upcoming_days(schedule, start=start, limit=3):
        if day_end(production, day) > now:
            return day
    return None


def build_callsheet(schedule: Schedule, *, day: DayView) -> CallSheet:
    """Every call on `day`, from the schedule in memory."""
    departments = []
    for department in sorted(schedule.production.departments, key=lambda d: d.name):
        found = department_on(schedule, day, department)
        people = len(schedule.members_of(department))
        departments.append(DepartmentLine(department.name, found.call, found.people, people))
    personal_calls = schedule.day_calls(day).person
    personal = [
        PersonLine(
            member.name or member.email or member.slack_user_id or "?",
            member.department.name if member.department else "",
            effective_call(day, personal=personal_calls[member.id], departmental=None),
        )
        for member in schedule.crew
        if member.id in personal_calls
    ]
    following = upcoming_days(schedule, start=day.date + dt.timedelta(days=1), limit=2)
    return CallSheet(day, departments, personal, following)
