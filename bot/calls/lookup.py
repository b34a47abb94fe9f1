"""Look-up commands (/calltime, /callsheet) and questions share one path: who, then what."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from slack_bolt import Ack
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.core.asker import Asker, identify
from bot.core.commands import command_named
from bot.core.deps import Deps
from bot.core.help import command_help_blocks

Reply = tuple[str, list[dict]]
# Called as answerer(asker, text, now, deps); answering only reads.
Answerer = Callable[[Asker, str, dt.datetime, Deps], Reply]


def answer_command(
    ack: Ack,
    command: dict,
    answerer: Answerer,
    *,
    db: Session,
    client: WebClient,
    deps: Deps,
    now: dt.datetime,
) -> None:
    """`help`, or the answer, inside the acknowledgement so it shows at once."""
    text = command.get("text", "")
    if answered_help(ack, command):
        return
    fallback, blocks = reply(
        answerer,
        db=db,
        client=client,
        deps=deps,
        team_id=command["team_id"],
        user_id=command["user_id"],
        channel_id=command.get("channel_id"),
        text=text,
        now=now,
    )
    ack(response_type="ephemeral", text=fallback, blocks=blocks)


def reply(
    answerer: Answerer,
    *,
    db: Session,
    client: WebClient,
    deps: Deps,
    team_id: str,
    user_id: str,
    channel_id: str | None,
    text: str,
    now: dt.datetime,
) -> Reply:
    """Identify the asker, then let `answerer` answer `text`; UserError if not understood."""
    asker = identify(
        db, client, deps, team_id=team_id, user_id=user_id, channel_id=channel_id, now=now
    )
    return answerer(asker, text, now, deps)


def answered_help(ack: Ack, command: dict) -> bool:
    """Answer `/<command> help` with its usage; False when the text is something else."""
    if command.get("text", "").strip().lower() != "help":
        return False
    slash = command_named(command["command"])
    ack(response_type="ephemeral", text=slash.description, blocks=command_help_blocks(slash))
    return True
