"""Dates as crew type them: `today`, `fri`, `next mon`, `24 nov`, `11/24`, `day 12`, `next`.

A small closed grammar parsed by hand: it answers in microseconds, with no
language-detection surprises, and the day/month order is the production's.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.core.errors import UserError
from bot.core.mrkdwn import quoted
from bot.core.names import nearest
from bot.core.numbers import is_digits
from bot.storage.models import DateOrder

DATE_EXAMPLE = "try today, tomorrow, fri, next mon, 24 nov, 2026-11-24 or day 12"
WEEKDAYS = {
    name: index
    for index, names in enumerate(
        [
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "weds", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        ]
    )
    for name in names
}
MONTHS = {
    name: index + 1
    for index, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for name in names
}
# The years a schedule may name: any shoot's, with room to add or subtract days.
YEARS = range(1900, 3000)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?$")
# Excel (Windows) counts days from 30 Dec 1899; these are 2000 to 2099.
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIALS = (36526, 73050)
_DASHED = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{2}|\d{4})$")
_DAY_NUMBER = re.compile(r"^(?:day|d)\s*#?\s*(\d{1,3})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?(?:\s+(\d{4}))?$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$")


@dataclass(frozen=True)
class When:
    """What a person asked for: a date, a shoot day number, or their next call."""

    date: dt.date | None = None
    day_number: int | None = None

    @property
    def is_next(self) -> bool:
        """Whether the person asked for their next call, not a date or a day number."""
        return self.date is None and self.day_number is None


NEXT = When()


class NotADate(UserError):
    """The words are not a date at all (a caller may read them as something else)."""


class BadDate(UserError):
    """The words are written as a date, but name none (`31 feb`, `24/11` day/month the wrong
    way round): every command says so in the same words, whatever else it tries."""


def date_example(order: DateOrder) -> str:
    """What works, in the production's day/month order."""
    numeric = "24/11" if order == DateOrder.DAY_FIRST else "11/24"
    return f"try today, tomorrow, fri, next mon, 24 nov, {numeric}, 2026-11-24 or day 12"


def parse_when(text: str, *, today: dt.date, date_order: DateOrder) -> When:
    """Read `text` relative to `today` (in the production's zone). BadDate for what is written
    as a date and is not one; NotADate (with the nearest date word, if one is close) for
    anything else. Both are UserErrors, in the same words from every command."""
    try:
        return _parse_when(text, today=today, date_order=date_order)
    except BadDate:
        raise
    except UserError:
        pass
    shown = quoted(text.strip(), limit=30)
    hint = nearest_date_word(text)
    if hint is not None:
        raise NotADate(f"I don't understand the date {shown}: did you mean {quoted(hint)}?")
    raise NotADate(f"I don't understand the date {shown}; {date_example(date_order)}.")


def nearest_date_word(text: str) -> str | None:
    """`tomorow` -> `tomorrow`, `fryday` -> `friday`, `next fridya` -> `next friday`."""
    words = text.strip().lower().split()
    if not words or len(words) > 2 or any(any(c.isdigit() for c in w) for w in words):
        return None
    choices = ["today", "tomorrow", "yesterday", *(n for n in WEEKDAYS if len(n) > 4)]
    guessed = [
        w if w in ("next", "this", *WEEKDAYS, "today", "tomorrow") else nearest(w, choices)
        for w in words
    ]
    if None in guessed or guessed == words:
        return None
    return " ".join(guessed)  # type: ignore[arg-type]


def _parse_when(text: str, *, today: dt.date, date_order: DateOrder) -> When:
    cleaned = " ".join(text.strip().lower().replace(",", " ").split())
    if cleaned in ("", "next", "next call"):
        return NEXT
    if cleaned in ("today", "tonight", "tod"):
        return When(date=today)
    if cleaned in ("tomorrow", "tmrw", "tmw", "tomorrow night"):
        return When(date=today + dt.timedelta(days=1))
    if cleaned == "yesterday":
        return When(date=today - dt.timedelta(days=1))
    if match := _DAY_NUMBER.match(cleaned):
        return When(day_number=int(match.group(1)))
    found = _weekday(cleaned, today) or _calendar_date(cleaned, today, date_order)
    if found is None:
        raise UserError(f"I don't understand the date {quoted(text.strip())}; {DATE_EXAMPLE}.")
    return When(date=found)


def _numeric_date(first: int, second: int, order: DateOrder, text: str) -> tuple[int, int]:
    """(day, month) from `24/11` in the production's order; BadDate saying the order if the
    numbers cannot be a date that way round."""
    day, month = (first, second) if order == DateOrder.DAY_FIRST else (second, first)
    if not 1 <= month <= 12:
        way = "day/month (24/11)" if order == DateOrder.DAY_FIRST else "month/day (11/24)"
        raise BadDate(
            f"{quoted(text)} is not a date: this production writes dates {way}, and there is no "
            f"month {month}. Write `{second}/{first}`, or the month's name, e.g. 24 nov."
        )
    return day, month


def _weekday(cleaned: str, today: dt.date) -> dt.date | None:
    """`fri` is today if today is Friday, else the coming one; `next fri` is after today."""
    words = cleaned.split()
    prefix, name = (words[0], words[-1]) if len(words) == 2 else ("", cleaned)
    if name not in WEEKDAYS or prefix not in ("", "next", "this", "on"):
        return None
    ahead = (WEEKDAYS[name] - today.weekday()) % 7
    if prefix == "next" and ahead == 0:
        ahead = 7
    return today + dt.timedelta(days=ahead)


def _calendar_date(cleaned: str, today: dt.date, order: DateOrder) -> dt.date | None:
    if match := _ISO.match(cleaned):
        return _valid(int(match[1]), int(match[2]), int(match[3]), cleaned)
    if match := _NUMERIC.match(cleaned):
        day, month = _numeric_date(int(match[1]), int(match[2]), order, cleaned)
        return _with_year(day, month, match[3], today, cleaned)
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        if (match := pattern.match(cleaned)) and match[month_group] in MONTHS:
            month = MONTHS[match[month_group]]
            return _with_year(int(match[day_group]), month, match[3], today, cleaned)
    return None


def _with_year(day: int, month: int, year: str | None, today: dt.date, text: str) -> dt.date:
    if year is not None:
        return _valid(int(year) + (2000 if len(year) == 2 else 0), month, day, text)
    # No year: the nearest such date to today, so that in late December `3 jan` is next year.
    candidates = [_valid_or_none(today.year + delta, month, day) for delta in (-1, 0, 1)]
    valid = [c for c in candidates if c is not None]
    if not valid:
        raise BadDate(_no_such_day(text, month, day, None))
    return min(valid, key=lambda c: abs((c - today).days))


def _valid(year: int, month: int, day: int, text: str) -> dt.date:
    if not YEARS[0] <= year <= YEARS[-1]:
        raise BadDate(
            f"{quoted(text)} is not a date Crewcall keeps: its years run from {YEARS[0]} "
            f"to {YEARS[-1]}."
        )
    found = _valid_or_none(year, month, day)
    if found is None:
        raise BadDate(_no_such_day(text, month, day, year))
    return found


def _no_such_day(text: str, month: int, day: int, year: int | None) -> str:
    """`31 feb is not a date: February has no 31st.`, the same from every command."""
    if not 1 <= month <= 12:
        return f"{quoted(text)} is not a date: there is no month {month}."
    name = dt.date(2000, month, 1).strftime("%B")
    when = f" in {year}" if year is not None else ""
    return f"{quoted(text)} is not a date: {name}{when} has no {_ordinal(day)}."


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _valid_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_file_date(text: str, date_order: DateOrder) -> dt.date:
    """A date in an imported file: ISO (`2026-11-24`), or numeric with a year in the
    production's order (`24/11/2026`, `24.11.2026`, `24-11-2026`), or with the month's
    name (`24 Nov 2026`, `24-Nov-2026`, `Tue 24 November 2026`), or Excel's number for a
    date (`46350`). No relative words."""
    cleaned = " ".join(text.strip().lower().replace(",", " ").split())
    if is_digits(cleaned) and EXCEL_SERIALS[0] <= int(cleaned) <= EXCEL_SERIALS[1]:
        # Excel's number for a date, from a date column formatted as General.
        return EXCEL_EPOCH + dt.timedelta(days=int(cleaned))
    if not _ISO.match(cleaned):
        cleaned = _DASHED.sub(lambda m: f"{m[1]}/{m[2]}/{m[3]}", cleaned)
        cleaned = " ".join(cleaned.replace("-", " ").split())
        words = cleaned.split()
        if len(words) > 1 and words[0].rstrip(".") in WEEKDAYS:
            cleaned = " ".join(words[1:])
    match = _NUMERIC.match(cleaned)
    has_year = bool(_ISO.match(cleaned)) or (match is not None and match[3] is not None)
    if not has_year and not re.search(r"\d{4}$", cleaned):
        raise UserError(f"{quoted(text)} is not a date with a year, e.g. 2026-11-24")
    found = _calendar_date(cleaned, dt.date(2000, 1, 1), date_order)
    if found is None:
        raise UserError(f"{quoted(text)} is not a date, e.g. 2026-11-24")
    return found
