"""Block Kit for /acks: who has not acknowledged a notice first, by department; the rest
on asking (`/acks 12 all`, or **Show all**)."""

from __future__ import annotations

from collections import Counter

from bot.core.kit import capped, context, department_lines, header, section, text_sections
from bot.core.mrkdwn import escaped
from bot.notices.acks import AckLine, AckReport
from bot.notices.blocks import when_text
from bot.notices.cards import NoticeCard
from bot.storage.models import DeliveryStatus

NUDGE = "acks_nudge"
EXPORT = "acks_export"
SHOW_ALL = "acks_all"


def acks_blocks(
    report: AckReport, *, show_all: bool = False, missing_only: bool = False
) -> tuple[str, list[dict]]:
    """(fallback, blocks): the tally; who has not acknowledged, by department, with what was
    done about it said once; then those who have, counted (listed with `show_all`).
    `missing_only` (`/script missing`): the people missing it, and nothing else."""
    card, tally = report.card, report.tally
    waiting = [
        line
        for line in report.lines
        if not line.acknowledged_at and line.status != DeliveryStatus.CANCELLED
    ]
    done = [line for line in report.lines if line.acknowledged_at]
    summary = f"*{escaped(card.title)}*\n{tally.acknowledged}/{tally.total} acknowledged"
    if card.version > 1:
        summary += f" · version {card.version}"
    blocks = [header(f"Acknowledgements · notice {card.id}"), section(summary)]
    if report.superseded:
        blocks.append(context(":warning: A newer version replaced this notice."))
    if waiting:
        blocks.extend(_waiting(waiting, report.lines))
    elif missing_only:
        blocks.append(section("Nobody is missing it: everyone it went to has acknowledged it."))
    if done and not missing_only:
        blocks.extend(_done(card, done, listed=show_all))
    blocks = capped(blocks, reserve=1)
    blocks.append(
        _actions(
            card,
            nudge=bool(waiting) and not report.superseded,
            show_all=bool(done) and not show_all and not missing_only,
        )
    )
    fallback = f"Notice {card.id}: {tally.acknowledged}/{tally.total} acknowledged"
    return fallback, blocks


def _waiting(waiting: list[AckLine], everyone: list[AckLine]) -> list[dict]:
    """`*Not yet (5)* · 3 reminders each · escalated`, then a line per department."""
    common = Counter(_chased(line) for line in waiting).most_common(1)[0][0]
    heading = " · ".join([f"*Not yet ({len(waiting)})*", *common])
    sent_to = Counter(line.department for line in everyone)
    lines = department_lines(
        ((line.department, _waiting_name(line, common)) for line in waiting),
        lambda department, names: f" ({names} of {sent_to[department]})",
    )
    return [section(heading), *text_sections(lines)]


def _done(card: NoticeCard, done: list[AckLine], *, listed: bool) -> list[dict]:
    """`*Acknowledged (3)*` with how many in each department, or each person and when."""
    if not listed:
        counts = Counter(line.department or "No department" for line in done)
        each = ", ".join(f"{escaped(name)} {count}" for name, count in sorted(counts.items()))
        return [section(f"*Acknowledged ({len(done)})*: {each}")]
    lines = department_lines(
        ((line.department, f"{escaped(line.name)} {_at(card, line)}") for line in done),
        lambda _department, _names: "",
    )
    return [section(f"*Acknowledged ({len(done)})*"), *text_sections(lines)]


def _chased(line: AckLine) -> tuple[str, ...]:
    """What was done about a person's missing acknowledgement: reminders, escalation."""
    facts = []
    if line.renotify_count:
        plural = "s" if line.renotify_count > 1 else ""
        facts.append(f"{line.renotify_count} reminder{plural}")
    if line.escalated_at:
        facts.append("escalated")
    return tuple(facts)


def _waiting_name(line: AckLine, common: tuple[str, ...]) -> str:
    """The name, and what sets this person apart: not delivered, not sent, other reminders."""
    notes = []
    if line.status == DeliveryStatus.FAILED:
        notes.append("could not be delivered")
    elif line.status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING) and not line.sent_at:
        notes.append("not sent yet")
    if (chased := _chased(line)) != common:
        notes.extend(chased or ["no reminder yet"])
    return escaped(line.name) + (f" _({', '.join(notes)})_" if notes else "")


def _at(card: NoticeCard, line: AckLine) -> str:
    assert line.acknowledged_at is not None
    return f"_{when_text(card, line.acknowledged_at)}_"


def _actions(card: NoticeCard, *, nudge: bool, show_all: bool) -> dict:
    buttons = []
    if nudge:
        buttons.append(_button("Nudge now", NUDGE, card.id))
    if show_all:
        buttons.append(_button("Show all", SHOW_ALL, card.id))
    buttons.append(_button("Export CSV", EXPORT, card.id))
    return {"type": "actions", "block_id": f"acks-{card.id}", "elements": buttons}


def _button(label: str, action_id: str, notice_id: int) -> dict:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label},
        "value": str(notice_id),
    }
