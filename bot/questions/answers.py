"""Answers to what crew ask a coordinator in a day besides their call: when wrap is, where
the shoot is, who heads a department, the weather, the day's scenes and number, meals.

Each works out plain values from the schedule (bot/questions/blocks.py words them). A
question names its day somewhere among its words ("where are we shooting friday?"), or
none, which means the day being shot now, or else the next.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.calls.callsheet import default_day
from bot.core.asker import Asker
from bot.core.effective_calls import NoShoot, local_today, shoot_day_for
from bot.core.errors import UserError
from bot.core.names import find_department
from bot.core.roles import Action, allowed
from bot.core.sun import SunTimes, sun_times
from bot.core.views import DayView, DepartmentView, MemberView
from bot.core.when import NotADate, When, parse_when
from bot.storage.models import Role

# The longest run of words tried as a date ("next fri", "24 nov 2026").
DATE_WORDS = 3


@dataclass(frozen=True)
class Heads:
    """Who heads a department (none, one or several), and whether phones may be shown."""

    department: DepartmentView
    heads: list[MemberView]
    phones: bool


@dataclass(frozen=True)
class Weather:
    """What is known of a day's weather: no forecast service, the sun at the location."""

    day: DayView
    sun: SunTimes | None


def day_asked(asker: Asker, words: list[str], now: dt.datetime) -> DayView | NoShoot:
    """The shoot day a question's words name; by default today's until it wraps, then the
    next. NoShoot when there is none; BadDate for a date that is none."""
    schedule = asker.schedule
    when = date_in(words, today=local_today(asker.production, now), asker=asker)
    if not when.is_next:
        return shoot_day_for(schedule, when=when)
    day = default_day(schedule, now=now)
    if day is None:
        return NoShoot(local_today(asker.production, now), None, None)
    return day


def date_in(words: list[str], *, today: dt.date, asker: Asker) -> When:
    """The first run of words that is a date (`friday`, `next mon`, `24 nov`, `day 12`); the
    next call's when none is."""
    order = asker.production.date_order
    for start in range(len(words)):
        for length in range(min(DATE_WORDS, len(words) - start), 0, -1):
            try:
                when = parse_when(
                    " ".join(words[start : start + length]), today=today, date_order=order
                )
            except NotADate:
                continue
            if not when.is_next:
                return when
    return When()


def heads_of(asker: Asker, words: list[str]) -> Heads:
    """Who heads the department the words name (`camera`, `hmu`, `my department`)."""
    departments = asker.production.departments
    department = None
    for start in range(len(words)):
        for length in range(min(3, len(words) - start), 0, -1):
            department = find_department(departments, " ".join(words[start : start + length]))
            if department is not None:
                break
        if department is not None:
            break
    if department is None and "my" in words and asker.member and asker.member.department:
        department = asker.member.department
    if department is None:
        raise UserError(
            "Which department? Ask like _who is the camera head?_. Departments: "
            f"{asker.schedule.department_names()}."
        )
    heads = [
        m for m in asker.schedule.members_of(department) if m.role in (Role.HEAD, Role.COORDINATOR)
    ]
    return Heads(department, heads, allowed(asker.member, Action.SEE_PHONES))


def weather(asker: Asker, day: DayView) -> Weather:
    """What Crewcall knows of the day's weather: the sun, where the location has coordinates."""
    sun = None
    if day.latitude is not None and day.longitude is not None:
        sun = sun_times(day.latitude, day.longitude, day.date, asker.production.timezone)
    return Weather(day, sun)
