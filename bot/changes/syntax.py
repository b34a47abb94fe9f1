"""What coordinators write to change a day: the quick syntax (the modal's fields are read
by bot/changes/form_values.py).

`/schedule-change <when> <change>... [-- note] [--urgent]`, where a change is `call HH:MM`,
`shooting HH:MM`, `wrap HH:MM`, `<department> HH:MM|±MIN`, `@person HH:MM|±MIN`,
`location "<name>"` or `cancel`. Both ways in give the same `Change`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from bot.changes.change import Change
from bot.changes.places import Place, place_named
from bot.core.clock import CallSpec, parse_call, parse_clock
from bot.core.errors import UserError
from bot.core.mrkdwn import quoted
from bot.core.names import MENTION, find_department, find_people, person_named, who_named
from bot.core.notes import checked_note
from bot.core.schedule import Schedule
from bot.core.views import DepartmentView, MemberView
from bot.core.when import NotADate, parse_when

EXAMPLE = "`/schedule-change tue call 06:30 camera -90 @jonah 05:45 -- rain cover`"
URGENT = "--urgent"
_TOKENS = re.compile(r'"[^"]*"?|\S+')
_NOTE = re.compile(r"(?:^|\s)--(?:\s|$)")
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})
_DAY_FIELDS = {
    "call": "general_call",
    "general": "general_call",
    "shooting": "shooting_call",
    "shoot": "shooting_call",
    "wrap": "wrap",
}
MERIDIEM = {"am", "pm", "a", "p", "a.m.", "p.m."}
# What a new place may be given with its location, and an example of each.
PLACE_DETAILS = {
    "address": "Mill Lane, Wheatley OX33 1XX",
    "parking": "Field behind the mill",
    "hospital": "John Radcliffe Hospital, Oxford",
}
# Words that start a change (a location's name runs up to the next of them).
KEYWORDS = {*_DAY_FIELDS, "location", "loc", "cancel", "cancelled", "canceled", *PLACE_DETAILS}


def parse_quick(schedule: Schedule, text: str, *, today: dt.date) -> Change:
    """Read the quick syntax into a Change; UserError naming what was not understood."""
    head, _, note = _NOTE.sub("\0", text.translate(_QUOTES), count=1).partition("\0")
    urgent = URGENT in (head + " " + note).lower().split()
    tokens = _TOKENS.findall(_without_urgent(head))
    date, rest = _take_date(schedule, tokens, today=today)
    fields = _changes(schedule, rest, near=date)
    return Change(date, note=checked_note(_without_urgent(note)), urgent=urgent, **fields)


def _without_urgent(text: str) -> str:
    return " ".join(word for word in text.split() if word.lower() != URGENT)


def _take_date(schedule: Schedule, tokens: list[str], *, today: dt.date) -> tuple[dt.date, list]:
    """The day the change is for (its first one to three words) and the words after it."""
    production = schedule.production
    for length in (3, 2, 1):
        if len(tokens) < length:
            continue
        try:
            when = parse_when(
                " ".join(tokens[:length]), today=today, date_order=production.date_order
            )
        except NotADate:
            continue
        if when.is_next:
            break
        if when.day_number is not None:
            day = schedule.numbered(when.day_number)
            if day is None:
                raise UserError(f"There is no day {when.day_number} on the schedule.")
            return day.date, tokens[length:]
        return when.date, tokens[length:]  # type: ignore[return-value]
    first = tokens[0] if tokens else ""
    raise UserError(
        f"Start with the day to change ({quoted(first)} is not one): today, tomorrow, fri, "
        f"24 nov, 2026-11-24 or day 12. For example {EXAMPLE}."
    )


def _changes(schedule: Schedule, tokens: list[str], *, near: dt.date) -> dict:
    """The changes after the day, as Change's keyword arguments."""
    fields: dict = {}
    departments: dict[int, CallSpec] = {}
    people: dict[int, CallSpec] = {}
    details: dict[str, str] = {}
    index = 0
    while index < len(tokens):
        word = tokens[index].lower()
        if word in _DAY_FIELDS:
            name = _DAY_FIELDS[word]
            if word in ("general", "shooting", "shoot") and _peek(tokens, index + 1) == "call":
                index += 1
            minutes, index = _value(tokens, index + 1, parse_clock, what=word)
            once(fields, name, minutes, what=word)
        elif word in ("location", "loc"):
            name, index = _words(schedule, tokens, index + 1)
            if not name:
                raise UserError('Give the new location in quotes, `location "Old Mill"`, or not.')
            once(fields, "location", place_named(schedule, name, near=near), what="location")
        elif word in PLACE_DETAILS:
            value, index = _words(schedule, tokens, index + 1)
            if not value:
                raise UserError(
                    f'Give the {word} after {quoted(word)}, e.g. `{word} "{PLACE_DETAILS[word]}"`.'
                )
            once(details, word, value, what=word)
        elif word in ("cancel", "cancelled", "canceled"):
            fields["cancel"] = True
            index += 1
        else:
            subject, index = _subject(schedule, tokens, index)
            what = subject.name or "that person"
            spec, index = _value(tokens, index, parse_call, what=what)
            once(
                departments if isinstance(subject, DepartmentView) else people,
                subject.id,
                spec,
                what=what,
            )
    if details:
        fields["location"] = _with_details(fields.get("location"), details)
    return checked_fields(fields, departments, people)


def _with_details(place: Place | None, details: dict[str, Any]) -> Place:
    """The new location with the address, parking or hospital written after it."""
    if place is None:
        raise UserError(
            "An address, parking or hospital goes with a new location: "
            '`location "Old Mill" address "Mill Lane, Wheatley" hospital "JR Hospital"`.'
        )
    return dataclasses.replace(place, **details)


def _words(schedule: Schedule, tokens: list[str], index: int) -> tuple[str, int]:
    """A name or a detail from `index`: one quoted token, or the words up to the next thing
    a change is made of (a keyword, an @person, a department); and the index after it."""
    if index < len(tokens) and tokens[index].startswith('"'):
        return tokens[index].strip('"').strip(), index + 1
    words = []
    while index < len(tokens):
        token = tokens[index]
        if (
            token.lower() in KEYWORDS
            or token.startswith("@")
            or MENTION.fullmatch(token)
            or find_department(schedule.production.departments, token)
        ):
            break
        words.append(token)
        index += 1
    return " ".join(words), index


def checked_fields(fields: dict, departments: dict, people: dict) -> dict:
    """The fields of a change, checked as a whole."""
    if fields.get("cancel") and (len(fields) > 1 or departments or people):
        raise UserError(
            "`cancel` cancels the whole day: send it on its own, with a note if you like."
        )
    if not fields and not departments and not people:
        raise UserError(f"Say what changes after the day. For example {EXAMPLE}.")
    fields["departments"] = tuple(departments.items())
    fields["people"] = tuple(people.items())
    return fields


def once(found: dict, key: object, value: object, *, what: str) -> None:
    """Add `key`: `value` to `found`; UserError if the change names it twice."""
    if key in found:
        raise UserError(f"{what} is changed twice; give each change once.")
    found[key] = value


def _peek(tokens: list[str], index: int) -> str:
    return tokens[index].lower() if index < len(tokens) else ""


def _value(tokens: list[str], index: int, parse: Callable, *, what: str) -> tuple:
    """Parse the time or call at `index` (`6:30 am` may be two words); the index after it."""
    if index >= len(tokens):
        raise UserError(f"Give a time after {quoted(what)}, e.g. 06:30 (or -90 for a department).")
    value = tokens[index]
    if _peek(tokens, index + 1) in MERIDIEM:
        value, index = value + tokens[index + 1], index + 1
    try:
        return parse(value), index + 1
    except UserError as exc:
        raise UserError(f"After {quoted(what)}: {exc}") from None


# What a refusal of the day's changes explains, after the nearest name if there is one.
CHANGES = (
    'Changes are call, shooting, wrap, location "<name>", cancel, a department or a person '
    f"with a time. For example {EXAMPLE}."
)


def _subject(
    schedule: Schedule, tokens: list[str], index: int
) -> tuple[DepartmentView | MemberView, int]:
    """The department or person named from `index` (`camera`, `hair and make-up`, `@jonah`,
    `@Jonah Pike`, `Jonah Pike`, a mention) up to the call after it; and the call's index.
    When the words up to the next call name nobody, the longest of them that does is the
    subject (`camera soon`: Camera, then `soon` as its call, refused as one)."""
    end = index + 1
    while end < len(tokens) and not _starts_a_value(tokens, end):
        end += 1
    production = schedule.production
    for stop in range(end, index, -1):
        text = " ".join(tokens[index:stop])
        if department := find_department(production.departments, text):
            return department, stop
        if len(people := find_people(schedule.crew, text)) == 1:
            return people[0], stop
    found = who_named(
        production.departments,
        schedule.crew,
        " ".join(tokens[index:end]),
        production=production.name,
        example=CHANGES,
    )
    return found, end


def _starts_a_value(tokens: list[str], index: int) -> bool:
    """Whether a call (`06:30`, `6:30 am`, `-90`, `off`) or another change starts here."""
    token = tokens[index]
    if token.lower() in KEYWORDS or token.startswith('"'):
        return True
    for written in (token, token + _peek(tokens, index + 1)):
        try:
            parse_call(written)
        except UserError:
            continue
        return True
    return False


def member_named(schedule: Schedule, who: str) -> MemberView:
    """A crew member as the form's lines name them (`Jonah Pike 05:45`, `@jonah -30`)."""
    return person_named(schedule.crew, who, production=schedule.production.name)


def location_place(schedule: Schedule, name: str, *, near: dt.date) -> Place | None:
    """The modal's location field: None when left empty."""
    name = name.strip()
    return place_named(schedule, name, near=near) if name else None
