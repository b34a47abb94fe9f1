"""/callsheet [when]: the whole day as Block Kit."""

from __future__ import annotations

import datetime as dt

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.calls.blocks import no_shoot_blocks
from bot.calls.callsheet import build_callsheet, default_day
from bot.calls.callsheet_blocks import callsheet_blocks
from bot.calls.lookup import Reply, answer_command
from bot.core.asker import Asker
from bot.core.deps import Deps
from bot.core.schedule import NoShoot, local_today, member_call, shoot_day_for
from bot.core.when import parse_when
from bot.planning.blocks import own_call


def register(app: App) -> None:
    """Answer /callsheet."""
    app.command("/callsheet")(callsheet_command)


def callsheet_command(
    ack: Ack, command: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """Answer /callsheet inside the acknowledgement."""
    answer_command(ack, command, callsheet_answer, db=db, client=client, deps=deps, now=now)


def callsheet_answer(asker: Asker, text: str, now: dt.datetime, _deps: Deps) -> Reply:
    """The call sheet of the day `text` names: by default today's until wrap, then the next."""
    schedule, production = asker.schedule, asker.production
    today = local_today(production, now)
    when = parse_when(text, today=today, date_order=production.date_order)
    if when.is_next:
        day = default_day(schedule, now=now)
        if day is None:
            return no_shoot_blocks(production, NoShoot(today, None, None), today=today)
    else:
        day = shoot_day_for(schedule, when=when)
        if isinstance(day, NoShoot):
            return no_shoot_blocks(production, day, today=today)
    own = ""
    if asker.member is not None:
        call = member_call(schedule, member=asker.member, day=day)
        if call.called:
            own = own_call(production, day, asker.member, call)
    sheet = build_callsheet(schedule, day=day)
    return callsheet_blocks(production, sheet, today=today, own=own)
