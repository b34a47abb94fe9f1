"""Block Kit for notices: the DM, the crew channel post, and how each looks later."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from bot.core.format import date_text, moment_text
from bot.core.kit import capped, context, header, section, text_sections
from bot.core.mrkdwn import escaped
from bot.notices.cards import NoticeCard
from bot.notices.standing import Tally

ACKNOWLEDGE = "acknowledge"
# The block id of a reminder's Acknowledge button starts so (the message's: `notice-`).
REMINDER_BLOCK = "reminder-"
# The message metadata that marks a post as a delivery's, so that a sender recovering
# from a crash can find out whether it was posted before posting it again.
METADATA_TYPE = "crewcall_delivery"
# Room kept for the footer and the button.
FOOTER_BLOCKS = 3


def dm_message(card: NoticeCard, *, detail: str = "") -> tuple[str, list[dict]]:
    """(fallback, blocks) for a person's DM."""
    blocks = capped(_content(card, detail), reserve=FOOTER_BLOCKS)
    blocks.append(context(_reference(card)))
    if card.acknowledge:
        blocks.append(_button(card))
    return _fallback(card, detail), blocks


def reminder_message(
    card: NoticeCard, *, reminder: int, about: str = "", link: str | None = None
) -> tuple[str, list[dict]]:
    """A reminder to acknowledge: one line and the button, not the whole notice again.

    `about` names what to acknowledge (`the call sheet for Tue 24 Nov (your call 05:30)`);
    `link` is the original message's permalink.
    """
    line = f"{reminder_label(card, reminder)}: please acknowledge {about or escaped(card.title)}"
    footer = _reference(card)
    if link:
        footer = f"<{link}|The message> · {footer}"
    blocks = [section(f"*{line}*"), context(footer)]
    if card.acknowledge:
        blocks.append(_button(card, block_id=f"{REMINDER_BLOCK}{card.id}"))
    return line, blocks


def reminder_label(card: NoticeCard, reminder: int) -> str:
    """`Reminder 2 of 3`; a reminder beyond the production's number (sent by hand) has no total."""
    if 0 < reminder <= card.renotify_max:
        return f"Reminder {reminder} of {card.renotify_max}"
    return f"Reminder {reminder}"


def reminder_done(
    card: NoticeCard, *, at: dt.datetime | None, newer: int | None
) -> tuple[str, list[dict]]:
    """A reminder once its notice is acknowledged (`at`) or replaced: one line, no button."""
    if at is not None:
        line = f":white_check_mark: Acknowledged {when_text(card, at)} · {escaped(card.title)}"
    else:
        newer_text = f"notice {newer}" if newer else "a newer notice"
        line = f":warning: Out of date: {escaped(card.title)} was replaced by {newer_text}."
    return line, [section(line), context(_reference(card))]


def acknowledged_message(
    card: NoticeCard, *, detail: str, at: dt.datetime
) -> tuple[str, list[dict]]:
    """The DM once acknowledged: no button, and when."""
    blocks = capped(_content(card, detail), reserve=FOOTER_BLOCKS)
    blocks.append(
        context(f":white_check_mark: Acknowledged {when_text(card, at)} · {_reference(card)}")
    )
    return _fallback(card, detail), blocks


def superseded_message(
    card: NoticeCard, *, detail: str, newer: int | None
) -> tuple[str, list[dict]]:
    """A DM or post whose notice was replaced: no button, and which notice replaced it."""
    blocks = capped(_content(card, detail), reserve=FOOTER_BLOCKS)
    newer_text = f"notice {newer}" if newer else "a newer notice"
    blocks.insert(0, section(f":warning: *Out of date:* replaced by {newer_text}."))
    blocks.append(context(_reference(card)))
    return f"Out of date: {escaped(card.title)}", blocks


def channel_message(card: NoticeCard, *, tally: Tally, detail: str = "") -> tuple[str, list[dict]]:
    """The crew channel's post: the notice (with the channel's own part), the count, the button."""
    blocks = capped(_content(card, detail), reserve=FOOTER_BLOCKS)
    count = f"{tally.acknowledged}/{tally.total} acknowledged · " if card.acknowledge else ""
    blocks.append(context(count + _reference(card)))
    if card.acknowledge:
        blocks.append(_button(card))
    return _fallback(card, ""), blocks


def delivery_metadata(*, notice_id: int, delivery_id: int, send: int) -> dict:
    """Message metadata naming the delivery and which of its posts this is."""
    return {
        "event_type": METADATA_TYPE,
        "event_payload": {"notice": notice_id, "delivery": delivery_id, "send": send},
    }


def when_text(card: NoticeCard, moment: dt.datetime) -> str:
    """`14:05 Tue 24 Nov` in the production's zone and time format."""
    local = moment.astimezone(zoneinfo.ZoneInfo(card.timezone))
    return f"{moment_text(card, local)} {date_text(local.date())}"


def _content(card: NoticeCard, detail: str) -> list[dict]:
    """The header (the title, plain text) and the body and detail (mrkdwn, as written when
    the notice was made, with what people typed in them escaped then)."""
    title = f":rotating_light: {card.title}" if card.urgent else card.title
    blocks = [header(title)]
    if detail:
        blocks.extend(text_sections(detail.splitlines()))
    if card.body:
        blocks.extend(text_sections(card.body.splitlines()))
    return blocks


def _reference(card: NoticeCard) -> str:
    parts = [f"Notice {card.id}"]
    if card.version > 1:
        parts.append(f"version {card.version}")
    if card.author:
        parts.append(f"from <@{card.author}>")
    return " · ".join(parts)


def _fallback(card: NoticeCard, detail: str) -> str:
    first = detail.splitlines()[0] if detail else ""
    return f"{escaped(card.title)}: {first}" if first else escaped(card.title)


def _button(card: NoticeCard, *, block_id: str | None = None) -> dict:
    return {
        "type": "actions",
        "block_id": block_id or f"notice-{card.id}",
        "elements": [
            {
                "type": "button",
                "action_id": ACKNOWLEDGE,
                "text": {"type": "plain_text", "text": "Acknowledge"},
                "style": "primary",
                "value": str(card.id),
            }
        ],
    }


def announcement_sent(notice_id: int, people: int, channel: str) -> str:
    """What the coordinator is told once an announcement is on its way."""
    return (
        f"Announcement {notice_id} is on its way to {people} people and <#{channel}>. "
        f"`/acks {notice_id}` shows who has acknowledged it."
    )
