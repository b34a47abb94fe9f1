"""The Acknowledge button on every notice DM and crew channel post."""

from __future__ import annotations

import datetime as dt

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.core.clicks import button_value, clicked_by
from bot.core.deps import Deps
from bot.core.errors import UserError
from bot.core.help import message_blocks
from bot.core.numbers import parse_id
from bot.home.handlers import home_for
from bot.notices.acknowledgements import Acknowledgement, acknowledge, show_acknowledged
from bot.notices.blocks import (
    ACKNOWLEDGE,
    REMINDER_BLOCK,
    acknowledged_message,
    reminder_done,
    superseded_message,
    when_text,
)

NOT_A_NOTICE = "That button doesn't name a notice; ask your coordinator to resend it."
NOT_YOURS = "This notice wasn't sent to you, so there is nothing for you to acknowledge."


def register(app: App) -> None:
    """Answer the Acknowledge button, wherever it is."""
    app.action(ACKNOWLEDGE)(acknowledge_click)


def acknowledge_click(
    ack: Ack,
    body: dict,
    respond: Respond,
    db: Session,
    client: WebClient,
    deps: Deps,
    now: dt.datetime,
) -> None:
    """Record the acknowledgement once; the DM then shows it, a channel click gets a note.

    The record is committed inside the request; showing it (through response_url)
    happens after the answer, so that Slack's round trip never delays the click.
    """
    ack()
    notice_id = parse_id(button_value(body), NOT_A_NOTICE)
    outcome = acknowledge(db, notice_id=notice_id, **clicked_by(body), now=now)
    if outcome is None:
        raise UserError("That notice no longer exists.")
    in_dm = body.get("channel", {}).get("id", "").startswith("D")
    reminder = str(body["actions"][0].get("block_id", "")).startswith(REMINDER_BLOCK)
    on_message = in_dm and not reminder and body.get("view", {}).get("type") != "home"
    # The person's message and latest reminder both come to show it, whichever was clicked.
    shown_by_reply = on_message and not outcome.reminded
    if outcome.recorded and outcome.delivery_id is not None and not shown_by_reply:
        show_acknowledged(db, delivery_id=outcome.delivery_id, now=now)
    # Recorded for good before Slack is told: a failed message update loses nothing.
    db.commit()
    if body.get("view", {}).get("type") == "home":
        # Clicked on the Home tab, which has no response_url: show the tab anew.
        team_id, user_id = body["user"]["team_id"], body["user"]["id"]
        view = home_for(db, client, deps, team_id, user_id, now)
        deps.after_answer(lambda: client.views_publish(user_id=user_id, view=view))
        return
    if (
        in_dm
        and outcome.delivery_id is not None
        and (outcome.superseded or outcome.acknowledged_at)
    ):
        text, blocks = _updated_dm(outcome, reminder=reminder)
        deps.after_answer(lambda: respond(replace_original=True, text=text, blocks=blocks))
        return
    note = _note(outcome)
    deps.after_answer(
        lambda: respond(
            response_type="ephemeral",
            replace_original=False,
            text=note,
            blocks=message_blocks(note),
        )
    )


def _updated_dm(outcome: Acknowledgement, *, reminder: bool) -> tuple[str, list[dict]]:
    """The clicked DM as it should now read: the message, or a reminder's one line."""
    if reminder:
        at = None if outcome.superseded else outcome.acknowledged_at
        return reminder_done(outcome.card, at=at, newer=outcome.superseded_by)
    if outcome.superseded or outcome.acknowledged_at is None:
        return superseded_message(outcome.card, detail=outcome.detail, newer=outcome.superseded_by)
    return acknowledged_message(outcome.card, detail=outcome.detail, at=outcome.acknowledged_at)


def _note(outcome: Acknowledgement) -> str:
    card = outcome.card
    if outcome.superseded:
        newer = f"notice {outcome.superseded_by}" if outcome.superseded_by else "a newer notice"
        return f"Notice {card.id} was replaced by {newer}; please acknowledge that one."
    if outcome.acknowledged_at is None:
        return NOT_YOURS
    when = when_text(card, outcome.acknowledged_at)
    if outcome.recorded:
        return f"Acknowledged at {when}. Thanks!"
    return f"You already acknowledged this at {when}."
