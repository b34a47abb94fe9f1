"""Words for schedule changes: each person's before and after, the day's lines, who is
affected, the summary (bot/changes/preview.py lays out the preview with Send and Cancel)."""

from __future__ import annotations

from collections import defaultdict

from bot.changes.change import Impact, PersonChange
from bot.core.effective_calls import EffectiveCall
from bot.core.format import clock_text, date_text, day_title
from bot.core.mrkdwn import escaped
from bot.core.views import DayView, ProductionView

# `was` when nothing is known of the person's call before (nothing was shown to them).
UNKNOWN = object()


def notice_title(impact: Impact) -> str:
    """`Schedule change · Tue 24 Nov · Day 6`, or `Cancelled · ...` for a cancelled day."""
    kind = "Cancelled" if impact.change.cancel else "Schedule change"
    return f"{kind} · {day_title(impact.before)}"


def personal_detail(
    production: ProductionView,
    impact: Impact,
    person: PersonChange,
    *,
    was: int | object | None = UNKNOWN,
) -> str:
    """One person's own before and after: `Your call Tue 24 Nov: *06:30*, was 07:00`; `was`
    (if given) is the call they last had, where it is not their call before this change."""
    return call_change_text(
        production,
        impact.after,
        call=person.after,
        was=person.before.minutes if was is UNKNOWN else was,
        cancelled=impact.change.cancel,
    )


def call_change_text(
    production: ProductionView,
    day: DayView,
    *,
    call: EffectiveCall,
    was: int | object | None,
    cancelled: bool = False,
) -> str:
    """A person's call on a changed day against the one they had (`was`: None if they were
    not called, UNKNOWN if nobody knows): `Your call Tue 24 Nov: *06:30*, was 07:00`."""
    date = day.date
    known = was is not UNKNOWN
    was_text = clock_text(production, was, date=date) if isinstance(was, int) else "not called"
    if cancelled:
        lines = [f"*{day_title(day)} is cancelled.*"]
        if isinstance(was, int):
            lines.append(f"Your call was {was_text}.")
        return "\n".join(lines)
    if not call.called:
        if isinstance(was, int):
            return f"You're no longer called on {date_text(date)} (your call was {was_text})."
        return f"You're not called on {date_text(date)}."
    now = clock_text(production, call.minutes, date=date)
    if not known:
        line = f"Your call {date_text(date)}: *{now}*"
    elif was is None:
        line = f"You're now called on {date_text(date)}: *{now}* (you weren't before)."
    elif was != call.minutes:
        line = f"Your call {date_text(date)}: *{now}*, was {was_text}"
    else:
        line = f"Your call {date_text(date)}: *{now}* (unchanged)"
    return "\n".join([line, f"_{escaped(call.note)}_"] if call.note else [line])


def day_lines(production: ProductionView, impact: Impact) -> list[str]:
    """What changes for the whole day: its calls, wrap and place."""
    before, after = impact.before, impact.after
    if impact.change.cancel:
        return [f"*{day_title(before)} is cancelled.*"]
    lines = []
    for label, old, new, moved in (
        ("General crew call", before.general_call, after.general_call, impact.general_moved),
        ("Shooting call", before.shooting_call, after.shooting_call, impact.shooting_moved),
        ("Estimated wrap", before.wrap, after.wrap, impact.wrap_moved),
    ):
        if moved:
            new_text = clock_text(production, new, date=after.date)
            old_text = clock_text(production, old, date=before.date)
            lines.append(f"{label}: *{new_text}*, was {old_text}")
    if impact.location_moved:
        place = impact.change.location
        matched = ""
        if place is not None and place.matched_from:
            matched = (
                f" (`{escaped(place.matched_from)}`: the place of {escaped(place.known_from)})"
            )
        was = escaped(before.location_name) or "TBC"
        lines.append(f"Location: *{escaped(after.location_name)}*{matched}, was {was}")
        lines.extend(
            f"{label}{escaped(text)}"
            for label, text in (
                ("", after.address),
                ("Parking: ", after.parking),
                ("Nearest hospital: ", after.hospital),
            )
            if text
        )
    return lines


def who_lines(
    production: ProductionView, impact: Impact, *, also_told: int = 0, earlier: str = "change"
) -> list[str]:
    """For whom it changes, by department: `Camera (5 people): 05:30, was 06:00`."""
    groups: dict[tuple, list[PersonChange]] = defaultdict(list)
    unchanged = 0
    for person in impact.affected:
        if not person.call_moved and not impact.change.cancel:
            unchanged += 1
            continue
        department = (
            escaped(person.member.department.name) if person.member.department else "No department"
        )
        groups[(department, person.before.minutes, person.after.minutes)].append(person)
    lines = []
    for (department, _, _), people in sorted(groups.items(), key=_group_order):
        first = people[0]
        who = (
            f"{escaped(first.member.name) or 'Someone'} ({department})"
            if len(people) == 1
            else f"{department} ({len(people)} people)"
        )
        was = _call_text(production, impact, first.before, after_change=False)
        if impact.change.cancel:
            lines.append(f"{who}: was called {was}")
        else:
            lines.append(f"{who}: {_call_text(production, impact, first.after, True)}, was {was}")
    if unchanged:
        moved = (("location", impact.location_moved), ("shooting call", impact.shooting_moved))
        what = " and ".join(name for name, did in moved if did)
        lines.append(f"{people_count(unchanged)} whose call stays the same: the new {what}")
    if also_told:
        told = "told of the earlier change" if earlier == "change" else "sent the call sheet"
        lines.append(f"{people_count(also_told)} {told}: this update replaces it")
    return lines or ["Nobody's own call, location or shooting call changes."]


def summary_body(
    production: ProductionView, impact: Impact, *, also_told: int, earlier: str = "change"
) -> str:
    """The notice's body, below each DM's own change and as the channel post: the day's
    changes (the general call first), the note, and who is affected, last."""
    lines = day_lines(production, impact)
    if impact.change.note:
        lines.append(f"*Note:* {escaped(impact.change.note)}")
    lines += [
        "*Who is affected*",
        *who_lines(production, impact, also_told=also_told, earlier=earlier),
    ]
    return "\n".join(lines)


def _call_text(
    production: ProductionView, impact: Impact, call: EffectiveCall, after_change: bool
) -> str:
    day = impact.after if after_change else impact.before
    return clock_text(production, call.minutes, date=day.date) if call.called else "not called"


def _group_order(item: tuple) -> tuple:
    (department, before, after), _ = item
    return (department, before if before is not None else -1, after if after is not None else -1)


def listed(names: list[str]) -> str:
    """`address, parking or hospital`."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def people_count(count: int) -> str:
    """`1 person`, `3 people`."""
    return f"{count} {'person' if count == 1 else 'people'}"
