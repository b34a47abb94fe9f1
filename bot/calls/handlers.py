"""/calltime [when] [@person | department] and /callsheet [when]."""

from __future__ import annotations

import datetime as dt

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.calls.blocks import calltime_blocks, no_shoot_blocks
from bot.calls.callsheet import build_callsheet, default_day
from bot.calls.callsheet_blocks import callsheet_blocks
from bot.calls.calltime import PersonCall, answer, parse_request
from bot.calls.lookup import Reply, answer_command
from bot.core.asker import Asker
from bot.core.deps import Deps
from bot.core.effective_calls import NoShoot, local_today, member_call, shoot_day_for
from bot.core.roles import Action, allowed
from bot.core.when import parse_when
from bot.notices.standing import day_standing
from bot.planning.blocks import own_call


def register(app: App) -> None:
    """Answer /calltime and /callsheet."""
    app.command("/calltime")(calltime_command)
    app.command("/callsheet")(callsheet_command)


def calltime_command(
    ack: Ack, command: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """Answer /calltime inside the acknowledgement, so the crew member sees it at once."""
    answer_command(ack, command, calltime_answer, db=db, client=client, deps=deps, now=now)


def calltime_answer(asker: Asker, text: str, now: dt.datetime, deps: Deps) -> Reply:
    """(fallback, blocks) answering `text` as /calltime arguments; UserError if not understood."""
    request = parse_request(asker.schedule, text=text, now=now)
    result = answer(asker, request, now=now)
    sees_phones = allowed(asker.member, Action.SEE_PHONES)
    callsheet = None
    if isinstance(result, PersonCall) and result.is_asker:
        callsheet = day_standing(
            deps.glance,
            production_id=asker.production.id,
            date=result.day.date,
            user_id=asker.user_id,
        )
    return calltime_blocks(
        asker.production,
        result,
        reader_tz=asker.timezone,
        show_phone=sees_phones,
        callsheet=callsheet,
        today=local_today(asker.production, now),
    )


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
        next_day = default_day(schedule, now=now)
        if next_day is None:
            return no_shoot_blocks(production, NoShoot(today, None, None), today=today)
        day = next_day
    else:
        found = shoot_day_for(schedule, when=when)
        if isinstance(found, NoShoot):
            return no_shoot_blocks(production, found, today=today)
        day = found
    own = ""
    if asker.member is not None:
        call = member_call(schedule, member=asker.member, day=day)
        if call.called:
            own = own_call(production, day, asker.member, call)
    sheet = build_callsheet(schedule, day=day)
    return callsheet_blocks(production, sheet, today=today, own=own)
