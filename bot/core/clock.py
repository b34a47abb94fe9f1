"""Times of day as people write them, and as Crewcall shows them.

A time is kept as minutes after the shoot day's local midnight; 1440 and more
is the next morning, which is how night shoots' calls and wraps are written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.errors import UserError
from bot.core.mrkdwn import quoted
from bot.storage.models import CallKind, TimeFormat

DAY = 24 * 60
TIME_EXAMPLE = "write a time like 06:30, 6:30am or 18:00"
_TWELVE_HOUR = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m?\.?$")
_TWENTY_FOUR_HOUR = re.compile(r"^(\d{1,2})[:.h]?(\d{2})(?::\d{2})?$")
# A time as a spreadsheet may export one: the fraction of a day (0.291666667 is 07:00;
# 0 is midnight, and 1 the 24:00 that Excel lets a cell hold).
_DAY_FRACTION = re.compile(r"0?[.,]\d+|0|1(?:[.,]0+)?")
_OFFSET = re.compile(r"^([+-])\s*(\d{1,3})(?:\s*min(?:utes?)?)?$")


@dataclass(frozen=True)
class CallSpec:
    """A call as written: a clock time, an offset from the general crew call, or off."""

    kind: CallKind
    minutes: int = 0


class NoSuchHour(UserError):
    """A time written past 23:59 (`25:00`): refused with how to write it instead."""


def parse_clock(text: str) -> int:
    """Minutes after midnight for `06:30`, `6:30`, `0630`, `6:30am`, `6:30a`, `6pm`.

    Only 00:00 to 23:59: a night shoot writes 01:30, and the day's order (`after_anchor`,
    `wrap_after_call`) places it after midnight.
    """
    cleaned = text.strip().lower()
    if match := _TWELVE_HOUR.match(cleaned):
        hour, minute = int(match[1]), int(match[2] or 0)
        if 1 <= hour <= 12 and minute <= 59:
            return (hour % 12 + (12 if match[3] == "p" else 0)) * 60 + minute
    elif match := _TWENTY_FOUR_HOUR.match(cleaned):
        hour, minute = int(match[1]), int(match[2])
        if hour <= 23 and minute <= 59:
            return hour * 60 + minute
        if hour < 30 and minute <= 59:
            raise NoSuchHour(f"{quoted(text)} is not a time: {_past_midnight(hour, minute)}")
    raise UserError(f"{quoted(text)} is not a time; {TIME_EXAMPLE}.")


def _past_midnight(hour: int, minute: int) -> str:
    """Why 24:00 to 29:59 is refused, and how to write it instead."""
    return (
        "hours run from 00 to 23. For a call after midnight write it as the clock shows it "
        f"({hour - 24:02d}:{minute:02d}); the day's order puts it after midnight."
    )


def file_time(text: str) -> int:
    """A time in an imported file: as parse_clock reads one (seconds, as Excel writes
    `07:00:00`, are dropped), or a spreadsheet's fraction of a day (`0.291666667`)."""
    cleaned = text.strip()
    if _DAY_FRACTION.fullmatch(cleaned):
        minutes = round(float(cleaned.replace(",", ".")) * DAY)
        if minutes < DAY:
            return minutes
        # 0.9999999 rounds to a whole day, as 1 is: the 24:00 a cell can hold.
        raise NoSuchHour(
            f"{quoted(text)} is 24:00 as a spreadsheet writes it, and is not a time: "
            f"{_past_midnight(24, 0)}"
        )
    return parse_clock(cleaned)


def parse_offset(text: str) -> int:
    """Signed minutes from the general crew call: `-90`, `+30`."""
    match = _OFFSET.match(text.strip().lower())
    if not match:
        raise UserError(
            f"{quoted(text)} is not an offset; write minutes with a sign, like -90 or +30."
        )
    minutes = int(match.group(2))
    if minutes > 720:
        raise UserError(f"{quoted(text)} is more than 12 hours from the general crew call.")
    return -minutes if match.group(1) == "-" else minutes


def parse_call(text: str) -> CallSpec:
    """A call as written in a file or a command: a time, a signed offset, or `off`."""
    cleaned = text.strip().lower()
    if cleaned in ("off", "not called", "none"):
        return CallSpec(CallKind.OFF)
    if cleaned[:1] in ("+", "-"):
        return CallSpec(CallKind.OFFSET, parse_offset(cleaned))
    try:
        return CallSpec(CallKind.CLOCK, parse_clock(cleaned))
    except NoSuchHour:
        raise
    except UserError:
        raise UserError(
            f"{quoted(text)} is not a call; {TIME_EXAMPLE}, an offset like -90, or off."
        ) from None


def after_anchor(minutes: int, anchor: int) -> int:
    """A clock time read on the day of `anchor`: more than 12 hours before it means next day."""
    return minutes + DAY if minutes < DAY and minutes + DAY // 2 <= anchor else minutes


def placed(spec: CallSpec, general_call: int) -> CallSpec:
    """A call as stored: a clock time placed on the day of the general call it was written
    for, where it then stays whatever becomes of the general call; others as they are."""
    if spec.kind != CallKind.CLOCK:
        return spec
    return CallSpec(CallKind.CLOCK, after_anchor(spec.minutes, general_call))


def wrap_after_call(wrap: int, call: int) -> int:
    """An estimated wrap earlier than the call is the next morning."""
    return wrap + DAY if wrap < DAY and wrap <= call else wrap


def duration_text(minutes: int) -> str:
    """`7 h 15 min`, `4 h`, `45 min`: a length of time as crew say it, never `7.25 hours`."""
    hours, rest = divmod(abs(minutes), 60)
    return (
        " ".join(part for part in (f"{hours} h" * bool(hours), f"{rest} min" * bool(rest)) if part)
        or "0 min"
    )


def format_clock(minutes: int, time_format: TimeFormat) -> str:
    """`06:30` or `6:30am`; the day offset is the caller's to show."""
    hour, minute = divmod(minutes % DAY, 60)
    if time_format == TimeFormat.H24:
        return f"{hour:02d}:{minute:02d}"
    suffix = "am" if hour < 12 else "pm"
    return f"{(hour % 12) or 12}:{minute:02d}{suffix}"
