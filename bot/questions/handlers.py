"""Direct messages and @mentions: questions in plain words; short help when not understood."""

from __future__ import annotations

import datetime as dt

from slack_bolt import App, BoltContext, Say
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.calls.handlers import callsheet_answer, calltime_answer
from bot.calls.lookup import reply
from bot.core.deps import Deps
from bot.core.help import message_blocks
from bot.notices.handlers import acks_answer
from bot.questions.blocks import THANKS
from bot.questions.everyday import EVERYDAY
from bot.questions.questions import understand
from bot.rentals.handlers import rentals_answer
from bot.script.handlers import script_answer

SHORT_HELP = (
    "I didn't understand that. Ask me things like _what's my call tomorrow?_, "
    "_when's wrap?_, _where are we shooting friday?_, _who is the camera head?_, "
    "_callsheet friday_, _what colour are we on?_ or _who hasn't acked?_, "
    "or type `/crewcall help`."
)
ANSWERERS = {
    "/calltime": calltime_answer,
    "/callsheet": callsheet_answer,
    "/acks": acks_answer,
    "/script": script_answer,
    "/rentals": rentals_answer,
    **EVERYDAY,
}


def register(app: App) -> None:
    """Answer direct messages and @mentions."""
    app.event({"type": "message", "channel_type": "im", "subtype": None})(direct_message)
    app.event("app_mention")(mention)


def direct_message(
    event: dict,
    say: Say,
    db: Session,
    client: WebClient,
    deps: Deps,
    context: BoltContext,
    now: dt.datetime,
) -> None:
    """Answer a person writing to the bot in its DM."""
    if event.get("bot_id"):
        return
    fallback, blocks = _reply(event, db, client, deps, context, now)
    say(text=fallback, blocks=blocks)


def mention(
    event: dict, client: WebClient, db: Session, deps: Deps, context: BoltContext, now: dt.datetime
) -> None:
    """Answer an @mention to the asker alone, in the thread it came from."""
    fallback, blocks = _reply(event, db, client, deps, context, now)
    client.chat_postEphemeral(
        channel=event["channel"],
        user=event["user"],
        text=fallback,
        blocks=blocks,
        thread_ts=event.get("thread_ts") or event.get("ts"),
    )


def _reply(
    event: dict, db: Session, client: WebClient, deps: Deps, context: BoltContext, now: dt.datetime
):
    question = understand(event.get("text", ""), bot_user_id=context.bot_user_id)
    if question is None:
        return SHORT_HELP, message_blocks(SHORT_HELP)
    if question.command == "thanks":
        return THANKS, message_blocks(THANKS)
    return reply(
        ANSWERERS[question.command],
        db=db,
        client=client,
        deps=deps,
        team_id=context.team_id or "",
        user_id=event["user"],
        channel_id=event.get("channel"),
        text=question.arguments,
        now=now,
    )
