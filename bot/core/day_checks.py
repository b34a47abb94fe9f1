"""What to check in a shoot day before the crew hears of it: the same warnings for a
change typed in /schedule-change and for a schedule or calls file imported.

A shooting call before the crew call, a wrap before the shooting call, a day longer
than LONG_DAY from the general crew call to wrap, and a fixed (clock) call further than
FAR_FROM_GENERAL from the general crew call are almost always a typo: `01:30` for
`11:30`, or a wrap written for the wrong day. They are pointed out, not refused: a night
shoot's 01:30 call and a long location day are real too.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core.clock import duration_text
from bot.core.mrkdwn import escaped

# A clock call further than this from the general crew call is pointed out.
FAR_FROM_GENERAL = 4 * 60
# A day longer than this, general crew call to estimated wrap, is pointed out.
LONG_DAY = 14 * 60

Shown = Callable[[int], str]


def order_warnings(
    general_call: int, shooting_call: int | None, wrap: int | None, *, shown: Shown
) -> list[str]:
    """The day's times out of order, or a day too long; `shown` writes a time."""
    general = shown(general_call)
    lines = []
    if shooting_call is not None and shooting_call < general_call:
        lines.append(
            f"The shooting call ({shown(shooting_call)}) is before the crew call ({general})."
        )
    start = shooting_call if shooting_call is not None else general_call
    if wrap is not None and wrap < start:
        what = "shooting call" if shooting_call is not None else "crew call"
        lines.append(f"The wrap ({shown(wrap)}) is before the {what} ({shown(start)}).")
    elif wrap is not None and wrap - general_call > LONG_DAY:
        lines.append(
            f"The day runs {duration_text(wrap - general_call)} from the crew call ({general}) "
            f"to wrap ({shown(wrap)}), more than {duration_text(LONG_DAY)}."
        )
    return lines


def far_call_warning(whose: str, minutes: int, general_call: int, *, shown: Shown) -> str | None:
    """`Electric has a fixed call at 01:30 Thu, 7 h 30 min after the general crew call
    (18:00).`, or None when the call is near enough."""
    if abs(minutes - general_call) <= FAR_FROM_GENERAL:
        return None
    side = "before" if minutes < general_call else "after"
    return (
        f"{escaped(whose)} has a fixed call at {shown(minutes)}, "
        f"{duration_text(minutes - general_call)} {side} the general crew call "
        f"({shown(general_call)})."
    )
