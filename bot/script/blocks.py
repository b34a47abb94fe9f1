"""Block Kit for /script: the current revision, the history, and the out-of-sequence question."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

from bot.core.format import date_text, moment_text
from bot.core.kit import capped, context, header, section, text_sections
from bot.core.mrkdwn import escaped
from bot.core.views import ProductionView
from bot.script.revisions import OutOfSequence, Revision, revision_lines

CONFIRM = "script_confirm"
CANCEL = "script_cancel"


def status_blocks(
    production: ProductionView,
    revision: Revision | None,
    *,
    sent_to_you: bool,
    acknowledged_at: dt.datetime | None,
) -> tuple[str, list[dict]]:
    """The current colour, date, pages, scenes, link, and whether the asker acknowledged it."""
    if revision is None:
        text = "No script revisions have been announced yet."
        return text, [section(text)]
    title = f"Current script: {revision.colour} pages"  # a header: plain text
    colour = escaped(revision.colour)
    lines = [f"*{colour}* · issued {date_text(revision.issued_on)}"]
    lines.extend(revision_lines(revision))
    if acknowledged_at is not None:
        local = acknowledged_at.astimezone(zoneinfo.ZoneInfo(production.timezone))
        when = f"{moment_text(production, local)} {date_text(local.date())}"
        lines.append(f":white_check_mark: You acknowledged these pages {when}.")
    elif sent_to_you:
        lines.append(
            f":warning: You haven't acknowledged these pages yet (notice {revision.notice_id}): "
            "use the button in your DM with Crewcall."
        )
    return f"Current script: {colour} pages, issued {date_text(revision.issued_on)}", [
        header(title),
        section("\n".join(lines)),
    ]


def history_blocks(revisions: list[Revision]) -> tuple[str, list[dict]]:
    """Every revision, newest first."""
    if not revisions:
        text = "No script revisions have been announced yet."
        return text, [section(text)]
    lines = [
        f"*{escaped(r.colour)}* · {date_text(r.issued_on)} · pages {escaped(r.pages)}"
        + (f" · scenes {escaped(r.scenes)}" if r.scenes else "")
        for r in revisions
    ]
    blocks = [header(f"Script revisions ({len(revisions)})"), *text_sections(lines)]
    latest = escaped(revisions[0].colour)
    return f"{len(revisions)} script revisions, the latest {latest}", capped(blocks)


def out_of_sequence_blocks(question: OutOfSequence, *, text: str) -> tuple[str, list[dict]]:
    """Ask before announcing a colour that is not next; the buttons carry the command."""
    expected, asked = escaped(question.expected), escaped(question.asked)
    words = (
        f"The next colour is *{expected}*, but you asked for *{asked}*. "
        f"Announce {asked} pages anyway?"
    )
    value = json.dumps({"text": text})
    buttons = {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": CONFIRM,
                "text": {"type": "plain_text", "text": f"Announce {question.asked}"[:75]},
                "style": "primary",
                "value": value[:2000],
            },
            {
                "type": "button",
                "action_id": CANCEL,
                "text": {"type": "plain_text", "text": "Cancel"},
                "value": "cancel",
            },
        ],
    }
    return words, [section(words), buttons]


def announced_text(colour: str, people: int, notice_id: int) -> str:
    """What the coordinator is told once the revision is out."""
    who = "1 person" if people == 1 else f"{people} people"
    return (
        f"*{escaped(colour)} pages* announced to {who} and the crew channel (notice {notice_id}). "
        f"`/acks {notice_id}` shows who has them."
    )


def announced_blocks(text: str) -> list[dict]:
    """The announcement's confirmation as blocks."""
    return [section(text), context("Crewcall · script revisions")]
