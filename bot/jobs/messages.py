"""What a delivery's post says, and what an update makes of it: the message, a
reminder, or the message as acknowledged or replaced."""

from __future__ import annotations

from bot.jobs.outbox import Outgoing
from bot.jobs.refreshes import Refresh
from bot.notices.blocks import (
    acknowledged_message,
    channel_message,
    dm_message,
    reminder_done,
    reminder_message,
    superseded_message,
)


def posted_message(out: Outgoing, *, link: str | None) -> tuple[str, list[dict]]:
    """(fallback, blocks) of a delivery's next post: the crew channel's, a reminder (with a
    `link` to the message it reminds of), or the DM."""
    if out.to_channel:
        return channel_message(out.card, detail=out.detail, tally=out.tally)  # type: ignore[arg-type]
    if out.sends and out.card.acknowledge:
        return reminder_message(out.card, reminder=out.sends, about=out.about, link=link)
    return dm_message(out.card, detail=out.detail)


def updated_messages(item: Refresh) -> list[tuple[str, str, list[dict]]]:
    """(ts, fallback, blocks) for each message the update touches: the delivery's own, as
    it now stands, and its latest reminder's one line once acknowledged or replaced."""
    if item.superseded:
        fallback, blocks = superseded_message(
            item.card, detail=item.detail, newer=item.superseded_by
        )
    elif item.to_channel:
        fallback, blocks = channel_message(item.card, detail=item.detail, tally=item.tally)  # type: ignore[arg-type]
    elif item.acknowledged_at:
        fallback, blocks = acknowledged_message(
            item.card, detail=item.detail, at=item.acknowledged_at
        )
    else:
        fallback, blocks = dm_message(item.card, detail=item.detail)
    updates = [(item.ts, fallback, blocks)]
    if item.nudge_ts and (item.superseded or item.acknowledged_at):
        newer = item.superseded_by if item.superseded else None
        at = None if item.superseded else item.acknowledged_at
        updates.append((item.nudge_ts, *reminder_done(item.card, at=at, newer=newer)))
    return updates
