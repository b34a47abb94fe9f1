"""/callsheet [when]: the whole day as Block Kit."""

from __future__ import annotations

import datetime as dt

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.asker import identify
from bot.blocks.callsheet import callsheet_blocks
from bot.blocks.calltime import no_shoot_blocks
from bot.blocks.help import command_help_blocks
from bot.callsheet import build_callsheet, default_day
from bot.commands import command_named
from bot.deps import Deps
from bot.schedule import NoShoot, local_today, shoot_day_for
from bot.when import parse_when


def register(app: App) -> None:
    app.command("/callsheet")(callsheet_command)


def callsheet_command(
    ack: Ack, command: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """Answer /callsheet inside the acknowledgement."""
    text = command.get("text", "")
    if text.strip().lower() == "help":
        slash = command_named("/callsheet")
        ack(response_type="ephemeral", text=slash.description, blocks=command_help_blocks(slash))
        return
    fallback, blocks = callsheet_reply(
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


def callsheet_reply(
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
    """(fallback, blocks) for the call sheet of the day `text` names (today's or the next)."""
    asker = identify(
        db, client, deps, team_id=team_id, user_id=user_id, channel_id=channel_id, now=now
    )
    schedule, production = asker.schedule, asker.production
    when = parse_when(text, today=local_today(production, now), date_order=production.date_order)
    if when.is_next:
        day = default_day(schedule, now=now)
        if day is None:
            return no_shoot_blocks(production, NoShoot(local_today(production, now), None, None))
    else:
        day = shoot_day_for(schedule, when=when)
        if isinstance(day, NoShoot):
            return no_shoot_blocks(production, day)
    return callsheet_blocks(production, build_callsheet(schedule, day=day))
