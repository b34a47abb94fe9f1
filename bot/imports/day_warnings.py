"""An import's report points out what a typed change's preview would (bot/core/day_checks.py):
a day's times out of order or too long, and fixed calls far from the general crew call.
They are notes, not refusals: a file is imported as it says, and the coordinator sees at
once the row that was probably mistyped."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from bot.core.day_checks import Shown, far_call_warning, order_warnings
from bot.core.format import clock_text
from bot.storage.models import Call, CallKind, CrewMember, Department, Production, ShootDay


def day_warnings(production: Production, day: ShootDay) -> list[str]:
    """`:warning: Thu 22 Oct · Day 4: The day runs 19 h 15 min ...` for the day as it now
    stands; nothing when it is in order."""
    shown = _shown(production, day)
    found = order_warnings(day.general_call, day.shooting_call, day.wrap, shown=shown)
    return [f":warning: {_label(day)}: {line}" for line in found]


def far_call_warnings(
    production: Production, day: ShootDay, fixed: Iterable[tuple[str, int]]
) -> list[str]:
    """A warning for each fixed call, (whose, minutes), far from the day's general call."""
    shown = _shown(production, day)
    return [
        f":warning: {_label(day)}: {warning}"
        for whose, minutes in fixed
        if (warning := far_call_warning(whose, minutes, day.general_call, shown=shown))
    ]


def fixed_calls(session: Session, calls: Iterable[Call]) -> list[tuple[str, int]]:
    """The day's clock calls as (whose, minutes): a person's by name, else the department's."""
    found = []
    for call in calls:
        if call.kind != CallKind.CLOCK:
            continue
        subject = (
            session.get(CrewMember, call.crew_member_id)
            if call.crew_member_id
            else session.get(Department, call.department_id)
        )
        found.append((subject.name if subject else "", call.minutes))
    return found


def _shown(production: Production, day: ShootDay) -> Shown:
    return lambda minutes: clock_text(production, minutes, date=day.date)


def _label(day: ShootDay) -> str:
    """`Thu 22 Oct · Day 4`, as the day's messages name it."""
    number = f" · Day {day.day_number}" if day.day_number else ""
    return f"{day.date:%a %-d %b}{number}"
