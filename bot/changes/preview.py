"""Block Kit for a schedule change's preview: what it does, whom it reaches, what to
check first, and Send and Cancel."""

from __future__ import annotations

from bot.changes.blocks import day_lines, listed, notice_title, people_count, who_lines
from bot.changes.change import Impact
from bot.core.day_checks import far_call_warning, order_warnings
from bot.core.format import clock_text
from bot.core.kit import capped, context, header, text_sections
from bot.core.mrkdwn import escaped
from bot.core.views import ProductionView

SEND = "schedule_change_send"
CANCEL = "schedule_change_cancel"
# Room kept for the footer and the buttons.
FOOTER_BLOCKS = 3


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

    def shown(minutes: int) -> str:
        return clock_text(production, minutes, date=day.date)

    order = order_warnings(day.general_call, day.shooting_call, day.wrap, shown=shown)
    lines = [f":warning: {line}" for line in order]
    place = impact.change.location
    if place is not None and place.is_new and impact.location_moved:
        missing = [name for name in ("address", "parking", "hospital") if not getattr(place, name)]
        if missing:
            name = escaped(place.name)
            lines.append(
                f":warning: {name} is new to the schedule, and has no {listed(missing)} yet. "
                f'Add them: `location "{name}" address "..." parking "..." hospital "..."`, '
                "or in the form."
            )
    if not day.hospital:
        where = escaped(day.location_name) or "the day's location"
        lines.append(f":warning: {where} has no nearest hospital on the schedule.")
    lines.extend(_moved_note_lines(production, impact))
    for whose, minutes in impact.far_calls:
        if far := far_call_warning(whose, minutes, day.general_call, shown=shown):
            lines.append(
                f":warning: {far} It stays at {shown(minutes)}: change it too if it should move."
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
    told = (
        f"DMs {people_count(recipients)} their own before and after" if recipients else "DMs nobody"
    )
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
