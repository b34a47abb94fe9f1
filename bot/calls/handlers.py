"""/calltime [when] [@person | department]."""

from __future__ import annotations

import datetime as dt

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.calls.blocks import calltime_blocks
from bot.calls.calltime import PersonCall, answer, parse_request
from bot.calls.lookup import Reply, answer_command
from bot.core.asker import Asker
from bot.core.deps import Deps
from bot.core.roles import Action, allowed
from bot.core.schedule import local_today
from bot.notices.notices import day_standing


def register(app: App) -> None:
    """Answer /calltime."""
    app.command("/calltime")(calltime_command)


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
