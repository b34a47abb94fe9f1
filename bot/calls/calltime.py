"""/calltime: whose call, on which day, and every way the answer can come out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.core.asker import Asker
from bot.core.effective_calls import (
    EffectiveCall,
    NoShoot,
    department_call,
    effective_call,
    first_call_ahead,
    local_today,
    member_call,
    next_call,
    shoot_day_for,
)
from bot.core.errors import UserError
from bot.core.mrkdwn import escaped, quoted
from bot.core.names import (
    MENTION,
    did_you_mean,
    find_department,
    find_people,
    names_of,
    nearest,
    nearest_person,
)
from bot.core.schedule import Schedule
from bot.core.views import DayView, DepartmentView, MemberView
from bot.core.when import NotADate, When, nearest_date_word, parse_when

FILLER = {"for", "on", "at", "of", "the", "call", "calltime", "time", "my", "me", "is", "what"}
# What separates words besides spaces: a question mark, commas.
_WORD_BREAKS = re.compile(r"[?,!]+")


@dataclass(frozen=True)
class CallTimeRequest:
    """What /calltime was asked: a day, and optionally someone else or a department."""

    when: When
    # Someone else, by Slack id (a mention) or as found by name.
    person: str | None = None
    department: DepartmentView | None = None
    member: MemberView | None = None


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


# Longer than any question anyone asks /calltime: refused before it is read.
MAX_TEXT = 200


def _parse_request(schedule: Schedule, *, text: str, today: dt.date) -> CallTimeRequest:
    if len(text) > MAX_TEXT:
        raise UserError(
            f"That is {len(text):,} characters, longer than any /calltime question. {EXAMPLES}"
        )
    person = None
    if mention := MENTION.search(text):
        person = mention[1]
        text = text.replace(mention[0], " ")
    words = [w for w in _WORD_BREAKS.sub(" ", text).split() if w.lower() not in FILLER]
    for split in range(len(words) + 1):
        for when_words, who_words in (
            (words[:split], words[split:]),
            (words[split:], words[:split]),
        ):
            found = _read(schedule, when_words, who_words, today)
            if found is not None:
                if person and (found.department or found.member):
                    raise UserError("Ask about one person or one department at a time.")
                return CallTimeRequest(found.when, person, found.department, found.member)
    raise UserError(_not_understood(schedule, words, today))


def _read(
    schedule: Schedule, when_words: list[str], who_words: list[str], today: dt.date
) -> CallTimeRequest | None:
    """`when_words` as a date and `who_words` (if any) as a department or a person; None
    if they are not. BadDate (a date that is none) is for the asker at once."""
    department, member = None, None
    if who_words:
        who = " ".join(who_words)
        department = find_department(schedule.production.departments, who)
        if department is None:
            people = find_people(schedule.crew, who) if _could_be_a_name(who_words) else []
            if len(people) > 1:
                raise UserError(
                    f"Which {quoted(who.lstrip('@'))}? {names_of(people)}: write the full name."
                )
            if not people:
                return None
            member = people[0]
    try:
        when = parse_when(
            " ".join(when_words), today=today, date_order=schedule.production.date_order
        )
    except NotADate:
        return None
    return CallTimeRequest(when, department=department, member=member)


def _could_be_a_name(words: list[str]) -> bool:
    """A person is written in words (`@jonah`, `Jonah Pike`), not a date's numbers."""
    return len(words) <= 4 and not any(word[:1].isdigit() for word in words)


def answer(asker: Asker, request: CallTimeRequest, *, now: dt.datetime) -> Answer:
    """The answer to a parsed /calltime request."""
    schedule = asker.schedule
    if request.department is not None:
        return _department_answer(schedule, request.department, request.when, now)
    member = _subject(asker, request)
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


def _subject(asker: Asker, request: CallTimeRequest) -> MemberView:
    if request.member is not None:
        return request.member
    person = request.person
    if person is None or person == asker.user_id:
        if asker.member is None:
            raise UserError(
                f"You're not on the crew list of {escaped(asker.production.name)}. "
                "Ask your production coordinator to add you."
            )
        return asker.member
    member = asker.schedule.crew_by_user.get(person)
    if member is None:
        raise UserError(f"<@{person}> is not on the crew list of {escaped(asker.production.name)}.")
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


EXAMPLES = "Try `/calltime tomorrow`, `/calltime fri camera` or `/calltime day 12 @someone`."


def _not_understood(schedule: Schedule, words: list[str], today: dt.date) -> str:
    """What was not understood: the first word that is neither a date nor a department nor
    a person, with the nearest of those it might have meant."""
    order = schedule.production.date_order
    departments = [d.name for d in schedule.production.departments]
    for word in words:
        try:
            parse_when(word, today=today, date_order=order)
            continue
        except NotADate:
            pass
        if find_department(schedule.production.departments, word) or find_people(
            schedule.crew, word
        ):
            continue
        shown = quoted(word, limit=30)
        guess = (
            nearest_date_word(word)
            or nearest(word, departments)
            or nearest_person(schedule.crew, word)
        )
        if guess is not None:
            return did_you_mean(word, guess, EXAMPLES)
        if word.startswith("@"):
            return (
                f"Nobody on the crew list of {escaped(schedule.production.name)} is called {shown}."
            )
        return (
            f"I don't understand {shown}: it is neither a date, a department nor a person. "
            f"{EXAMPLES} Departments: {schedule.department_names()}."
        )
    shown = quoted(" ".join(words), limit=40)
    return f"I don't understand {shown}. {EXAMPLES} Departments: {schedule.department_names()}."
