"""/calltime: whose call, on which day, and every way the answer can come out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.asker import Asker
from bot.crew import MENTION
from bot.errors import UserError
from bot.schedule import (
    EffectiveCall,
    NoShoot,
    Schedule,
    department_call,
    department_key,
    effective_call,
    first_call_ahead,
    local_today,
    member_call,
    next_call,
    shoot_day_for,
)
from bot.views import DayView, DepartmentView, MemberView
from bot.when import When, parse_when

FILLER = {"for", "on", "at", "of", "the", "call", "calltime", "time", "my", "me", "is", "what"}
_MENTION_ANYWHERE = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")


@dataclass(frozen=True)
class CallTimeRequest:
    """What /calltime was asked: a day, and optionally someone else or a department."""

    when: When
    person: str | None = None
    department: DepartmentView | None = None


@dataclass(frozen=True)
class PersonCall:
    """Someone's call on a day they are called."""

    day: DayView
    member: MemberView
    call: EffectiveCall
    is_asker: bool


@dataclass(frozen=True)
class NotCalled:
    """Someone is not called on a shoot day; their next call, if any."""

    day: DayView
    member: MemberView
    next: tuple[DayView, EffectiveCall] | None
    is_asker: bool


@dataclass(frozen=True)
class DepartmentCall:
    """A department's call on a day, and how many of its people are called."""

    day: DayView
    department: DepartmentView
    call: EffectiveCall
    people: int


@dataclass(frozen=True)
class NothingAhead:
    """No call ahead at all for this person (or department)."""

    subject: str
    is_asker: bool


Answer = PersonCall | NotCalled | NoShoot | DepartmentCall | NothingAhead


def parse_request(schedule: Schedule, *, text: str, now: dt.datetime) -> CallTimeRequest:
    """Read `[when] [@person | department]`, in either order; UserError if not understood.

    Most of a crew asks the same few things (nothing, `tomorrow`, `fri camera`): each is
    read once a day per schedule version (Schedule.recall). What is refused is not kept.
    """
    today = local_today(schedule.production, now)
    return schedule.recall(
        ("calltime", text, today), lambda: _parse_request(schedule, text=text, today=today)
    )


def _parse_request(schedule: Schedule, *, text: str, today: dt.date) -> CallTimeRequest:
    production = schedule.production
    person = None
    if mention := _MENTION_ANYWHERE.search(text):
        person = MENTION.match(mention.group(0)).group(1)  # type: ignore[union-attr]
        text = text.replace(mention.group(0), " ")
    words = [w for w in text.replace("?", " ").split() if w.lower() not in FILLER]
    departments = schedule.departments_by_key
    for split in range(len(words) + 1):
        for when_words, who_words in (
            (words[:split], words[split:]),
            (words[split:], words[:split]),
        ):
            department = departments.get(department_key(" ".join(who_words))) if who_words else None
            if who_words and department is None:
                continue
            try:
                when = parse_when(
                    " ".join(when_words), today=today, date_order=production.date_order
                )
            except UserError:
                continue
            if person and department:
                raise UserError("Ask about one person or one department at a time.")
            return CallTimeRequest(when, person, department)
    raise UserError(_not_understood(" ".join(words), schedule.department_names()))


def answer(asker: Asker, request: CallTimeRequest, *, now: dt.datetime) -> Answer:
    """The answer to a parsed /calltime request."""
    schedule = asker.schedule
    if request.department is not None:
        return _department_answer(schedule, request.department, request.when, now)
    member = _subject(asker, request.person)
    is_asker = member.slack_user_id == asker.user_id
    if request.when.is_next:
        found = next_call(schedule, member=member, now=now)
        if found is None:
            return NothingAhead(member.name or "you", is_asker)
        return PersonCall(found[0], member, found[1], is_asker)
    day = shoot_day_for(schedule, when=request.when)
    if isinstance(day, NoShoot):
        return day
    call = member_call(schedule, member=member, day=day)
    if not call.called:
        return NotCalled(day, member, next_call(schedule, member=member, now=now), is_asker)
    return PersonCall(day, member, call, is_asker)


def _subject(asker: Asker, person: str | None) -> MemberView:
    if person is None or person == asker.user_id:
        if asker.member is None:
            raise UserError(
                f"You're not on the crew list of {asker.production.name}. "
                "Ask your production coordinator to add you."
            )
        return asker.member
    member = asker.schedule.crew_by_user.get(person)
    if member is None:
        raise UserError(f"<@{person}> is not on the crew list of {asker.production.name}.")
    return member


def _department_answer(
    schedule: Schedule, department: DepartmentView, when: When, now: dt.datetime
) -> Answer:
    if when.is_next:
        found = first_call_ahead(
            schedule, now=now, call_on=lambda day: department_on(schedule, day, department).call
        )
        if found is None:
            return NothingAhead(department.name, is_asker=False)
        return department_on(schedule, found[0], department)
    day = shoot_day_for(schedule, when=when)
    if isinstance(day, NoShoot):
        return day
    return department_on(schedule, day, department)


def department_on(schedule: Schedule, day: DayView, department: DepartmentView) -> DepartmentCall:
    """The department's call that day, and how many of its people are called (overrides counted)."""
    return schedule.memo(
        ("department", day.id, department.id), lambda: _department_on(schedule, day, department)
    )


def _department_on(schedule: Schedule, day: DayView, department: DepartmentView) -> DepartmentCall:
    calls = schedule.day_calls(day)
    own = calls.department.get(department.id)
    people = sum(
        effective_call(day, personal=calls.person.get(m.id), departmental=own).called
        for m in schedule.members_of(department)
    )
    return DepartmentCall(day, department, department_call(day, own), people)


def _not_understood(text: str, names: str) -> str:
    return (
        f"I don't understand `{text}`: it is neither a date nor a department. "
        f"Try `/calltime tomorrow`, `/calltime fri camera` or `/calltime day 12 @someone`. "
        f"Departments: {names}."
    )
