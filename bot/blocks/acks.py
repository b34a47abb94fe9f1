"""Block Kit for /acks: who has acknowledged a notice and who hasn't, with actions."""

from __future__ import annotations

from bot.acks import AckLine, AckReport
from bot.blocks.kit import capped, context, header, section, text_sections
from bot.blocks.notices import when_text
from bot.mrkdwn import escaped
from bot.notices import NoticeCard
from bot.storage.models import DeliveryStatus

NUDGE = "acks_nudge"
EXPORT = "acks_export"


def acks_blocks(report: AckReport) -> tuple[str, list[dict]]:
    """(fallback, blocks): the tally, the people still to acknowledge, those who have."""
    card, tally = report.card, report.tally
    waiting = [line for line in report.lines if not line.acknowledged_at]
    waiting = [line for line in waiting if line.status != DeliveryStatus.CANCELLED]
    done = [line for line in report.lines if line.acknowledged_at]
    summary = f"*{escaped(card.title)}*\n{tally.acknowledged}/{tally.total} acknowledged"
    if card.version > 1:
        summary += f" · version {card.version}"
    blocks = [header(f"Acknowledgements · notice {card.id}"), section(summary)]
    if report.superseded:
        blocks.append(context(":warning: A newer version replaced this notice."))
    if waiting:
        blocks.append(section(f"*Not yet ({len(waiting)})*"))
        blocks.extend(text_sections([_waiting_line(line) for line in waiting]))
    if done:
        blocks.append(section(f"*Acknowledged ({len(done)})*"))
        blocks.extend(text_sections([_done_line(card, line) for line in done]))
    blocks = capped(blocks, reserve=1)
    blocks.append(_actions(card, nudge=bool(waiting) and not report.superseded))
    fallback = f"Notice {card.id}: {tally.acknowledged}/{tally.total} acknowledged"
    return fallback, blocks


def _who(line: AckLine) -> str:
    return escaped(f"{line.name} ({line.department})" if line.department else line.name)


def _waiting_line(line: AckLine) -> str:
    parts = [f"• {_who(line)}"]
    if line.status == DeliveryStatus.FAILED:
        parts.append("could not be delivered")
    elif line.status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING) and not line.sent_at:
        parts.append("not sent yet")
    if line.renotify_count:
        plural = "s" if line.renotify_count > 1 else ""
        parts.append(f"{line.renotify_count} reminder{plural}")
    if line.escalated_at:
        parts.append("escalated")
    return " · ".join(parts)


def _done_line(card: NoticeCard, line: AckLine) -> str:
    assert line.acknowledged_at is not None
    return f"• {_who(line)} · {when_text(card, line.acknowledged_at)}"


def _actions(card: NoticeCard, *, nudge: bool) -> dict:
    buttons = []
    if nudge:
        buttons.append(_button("Nudge now", NUDGE, card.id))
    buttons.append(_button("Export CSV", EXPORT, card.id))
    return {"type": "actions", "block_id": f"acks-{card.id}", "elements": buttons}


def _button(label: str, action_id: str, notice_id: int) -> dict:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label},
        "value": str(notice_id),
    }
