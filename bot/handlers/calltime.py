"""/calltime: parse, answer, render; the same reply serves questions in DMs."""

from __future__ import annotations

import datetime as dt

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.asker import identify
from bot.blocks.calltime import calltime_blocks
from bot.blocks.help import command_help_blocks
from bot.calltime import answer, parse_request
from bot.commands import command_named
from bot.deps import Deps
from bot.storage.models import Role


def register(app: App) -> None:
    app.command("/calltime")(calltime_command)


def calltime_command(
    ack: Ack, command: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """Answer /calltime inside the acknowledgement, so the crew member sees it at once."""
    text = command.get("text", "")
    if text.strip().lower() == "help":
        slash = command_named("/calltime")
        ack(response_type="ephemeral", text=slash.description, blocks=command_help_blocks(slash))
        return
    fallback, blocks = calltime_reply(
        db,
        client,
        deps,
        team_id=command["team_id"],
        user_id=command["user_id"],
        channel_id=command.get("channel_id"),
        text=text,
        now=now,
    )
    ack(response_type="ephemeral", text=fallback, blocks=blocks)


def calltime_reply(
    db: Session,
    client: WebClient,
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    channel_id: str | None,
    text: str,
    now: dt.datetime,
) -> tuple[str, list[dict]]:
    """(fallback, blocks) answering `text` as /calltime arguments; UserError if not understood."""
    asker = identify(
        db, client, deps, team_id=team_id, user_id=user_id, channel_id=channel_id, now=now
    )
    request = parse_request(asker.schedule, text=text, now=now)
    result = answer(asker, request, now=now)
    sees_phones = asker.member is not None and asker.member.role in (Role.HEAD, Role.COORDINATOR)
    return calltime_blocks(
        asker.production, result, reader_tz=asker.timezone, show_phone=sees_phones
    )
