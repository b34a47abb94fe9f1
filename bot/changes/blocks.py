"""Words and Block Kit for schedule changes: each person's before and after, the summary,
the preview with Send and Cancel."""

from __future__ import annotations

from collections import defaultdict

from bot.changes.change import Impact, PersonChange
from bot.core.calls import EffectiveCall
from bot.core.format import clock_text, date_text, day_title
from bot.core.kit import capped, context, header, text_sections
from bot.core.mrkdwn import escaped
from bot.core.views import DayView, ProductionView

SEND = "schedule_change_send"
CANCEL = "schedule_change_cancel"
# Room kept for the footer and the buttons.
FOOTER_BLOCKS = 3


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
        lines.append(f"{_people(unchanged)} whose call stays the same: the new {what}")
    if also_told:
        told = "told of the earlier change" if earlier == "change" else "sent the call sheet"
        lines.append(f"{_people(also_told)} {told}: this update replaces it")
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


def preview_blocks(
    production: ProductionView,
    impact: Impact,
    *,
    change_id: int,
    recipients: int,
    also_told: int,
    earlier: str = "change",
) -> tuple[str, list[dict]]:
    """The ephemeral preview: what changes for whom, with Send and Cancel."""
    title = notice_title(impact)
    blocks = [header(f"Preview · {title}")]
    for part in _preview_parts(production, impact, also_told=also_told, earlier=earlier):
        blocks.extend(text_sections(part))
    blocks = capped(blocks, reserve=FOOTER_BLOCKS)
    blocks.append(context(_reach(production, recipients, urgent=impact.change.urgent)))
    blocks.append(_buttons(change_id))
    return f"Preview: {title}", blocks


def preview_text(
    production: ProductionView,
    impact: Impact,
    *,
    recipients: int,
    also_told: int,
    earlier: str = "change",
) -> list[str]:
    """The preview as lines of mrkdwn, for the modal (which has no room for buttons)."""
    parts = _preview_parts(production, impact, also_told=also_told, earlier=earlier)
    return [
        *(line for part in parts for line in part),
        _reach(production, recipients, urgent=impact.change.urgent),
    ]


def warning_lines(production: ProductionView, impact: Impact) -> list[str]:
    """What the coordinator should look at before sending: the day's order and far calls."""
    if impact.change.cancel:
        return []
    day = impact.after
    general = clock_text(production, day.general_call, date=day.date)
    lines = []
    if day.shooting_call is not None and day.shooting_call < day.general_call:
        shooting = clock_text(production, day.shooting_call, date=day.date)
        lines.append(
            f":warning: The shooting call ({shooting}) is before the crew call ({general})."
        )
    start = day.shooting_call if day.shooting_call is not None else day.general_call
    if day.wrap is not None and day.wrap < start:
        wrap = clock_text(production, day.wrap, date=day.date)
        what = "shooting call" if day.shooting_call is not None else "crew call"
        lines.append(f":warning: The wrap ({wrap}) is before the {what}.")
    place = impact.change.location
    if place is not None and place.is_new and impact.location_moved:
        missing = [name for name in ("address", "parking", "hospital") if not getattr(place, name)]
        if missing:
            name = escaped(place.name)
            lines.append(
                f":warning: {name} is new to the schedule, and has no {_listed(missing)} yet. "
                f'Add them: `location "{name}" address "..." parking "..." hospital "..."`, '
                "or in the form."
            )
    if not day.hospital:
        where = escaped(day.location_name) or "the day's location"
        lines.append(f":warning: {where} has no nearest hospital on the schedule.")
    lines.extend(_moved_note_lines(production, impact))
    for whose, minutes in impact.far_calls:
        call = clock_text(production, minutes, date=day.date)
        hours = abs(minutes - day.general_call) / 60
        side = "before" if minutes < day.general_call else "after"
        lines.append(
            f":warning: {escaped(whose)} has a fixed call at {call}, {hours:g} hours {side} the "
            f"general crew call ({general}). It stays at {call}: change it too if it should move."
        )
    return lines


def _moved_note_lines(production: ProductionView, impact: Impact) -> list[str]:
    """A warning for each note written for a call the change moves."""
    lines = []
    for moved in impact.moved_notes:
        was = clock_text(production, moved.before, date=impact.before.date)
        now = clock_text(production, moved.after, date=impact.after.date)
        lines.append(
            f":warning: {escaped(moved.whose)}'s note \u201c{escaped(moved.note)}\u201d was "
            f"written for the {was} call, which becomes {now}: check it still holds."
        )
    return lines


def _preview_parts(
    production: ProductionView, impact: Impact, *, also_told: int, earlier: str
) -> list[list[str]]:
    """The preview's paragraphs: what to check, the day's changes, the note, who is affected."""
    parts = [day_lines(production, impact)]
    if warnings := warning_lines(production, impact):
        parts.insert(0, warnings)
    if impact.change.note:
        parts.append([f"*Note:* {escaped(impact.change.note)}"])
    parts.append(
        ["*Who is affected*", *who_lines(production, impact, also_told=also_told, earlier=earlier)]
    )
    return parts


def _reach(production: ProductionView, recipients: int, *, urgent: bool) -> str:
    told = f"DMs {_people(recipients)} their own before and after" if recipients else "DMs nobody"
    text = f"*Send* {told} and posts the change to <#{production.crew_channel}>."
    if urgent:
        text += " Urgent: reminders ignore quiet hours."
    return text


def _buttons(change_id: int) -> dict:
    return {
        "type": "actions",
        "block_id": f"schedule-change-{change_id}",
        "elements": [
            {
                "type": "button",
                "action_id": SEND,
                "text": {"type": "plain_text", "text": "Send"},
                "style": "primary",
                "value": str(change_id),
            },
            {
                "type": "button",
                "action_id": CANCEL,
                "text": {"type": "plain_text", "text": "Cancel"},
                "value": str(change_id),
            },
        ],
    }


def _call_text(
    production: ProductionView, impact: Impact, call: EffectiveCall, after_change: bool
) -> str:
    day = impact.after if after_change else impact.before
    return clock_text(production, call.minutes, date=day.date) if call.called else "not called"


def _group_order(item: tuple) -> tuple:
    (department, before, after), _ = item
    return (department, before if before is not None else -1, after if after is not None else -1)


def _listed(names: list[str]) -> str:
    """`address, parking or hospital`."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"
