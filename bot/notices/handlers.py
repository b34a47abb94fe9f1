"""The Acknowledge button on every notice DM and crew channel post; /acks [latest | <notice id>]
[all]: the report, and its Nudge now, Show all and Export CSV buttons."""

from __future__ import annotations

import datetime as dt
import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.orm import Session

from bot.calls.lookup import Reply, answer_command
from bot.core.asker import Asker
from bot.core.clicks import button_value, clicked_by
from bot.core.deps import Deps
from bot.core.errors import UserError
from bot.core.help import message_blocks
from bot.core.mrkdwn import escaped
from bot.core.numbers import parse_id
from bot.home.handlers import home_for
from bot.notices.acknowledgements import Acknowledgement, acknowledge, show_acknowledged
from bot.notices.acks import Viewer, ack_report, clicked_notice, export_csv, find_notice, nudge_now
from bot.notices.acks_blocks import EXPORT, NUDGE, SHOW_ALL, acks_blocks
from bot.notices.blocks import (
    ACKNOWLEDGE,
    REMINDER_BLOCK,
    acknowledged_message,
    reminder_done,
    superseded_message,
    when_text,
)
from bot.storage.models import Notice


def register(app: App) -> None:
    """Answer the Acknowledge button, wherever it is; /acks and its buttons."""
    app.action(ACKNOWLEDGE)(acknowledge_click)
    app.command("/acks")(acks_command)
    app.action(NUDGE)(nudge_click)
    app.action(EXPORT)(export_click)
    app.action(SHOW_ALL)(show_all_click)


NOT_A_NOTICE = "That button doesn't name a notice; ask your coordinator to resend it."
NOT_YOURS = "This notice wasn't sent to you, so there is nothing for you to acknowledge."


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
        _show_home(body, db, client, deps, now)
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


def _show_home(body: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime) -> None:
    """Clicked on the Home tab, which has no response_url: show the tab anew."""
    team_id, user_id = body["user"]["team_id"], body["user"]["id"]
    view = home_for(db, client, deps, team_id, user_id, now)
    deps.after_answer(lambda: client.views_publish(user_id=user_id, view=view))


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


log = logging.getLogger(__name__)


def acks_command(
    ack: Ack, command: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """The report for the latest notice, or the one named, inside the acknowledgement."""
    answer_command(ack, command, acks_answer, db=db, client=client, deps=deps, now=now)


def acks_answer(asker: Asker, text: str, now: dt.datetime, deps: Deps) -> Reply:
    """(fallback, blocks) for `text` as /acks arguments (`all` lists those who have
    acknowledged too); UserError if refused or unknown."""
    viewer = viewer_of(asker)
    words = text.split()
    show_all = bool(words) and words[-1].lower() == "all"
    reference = " ".join(words[:-1] if show_all else words)
    with deps.readers.begin() as reading:
        report = ack_report(reading, viewer, find_notice(reading, viewer, reference))
        return acks_blocks(report, show_all=show_all)


def nudge_click(
    ack: Ack, body: dict, respond: Respond, db: Session, deps: Deps, now: dt.datetime
) -> None:
    """Queue a reminder now for everyone the clicker may see who hasn't acknowledged."""
    ack()
    viewer, notice = _clicked(db, body)
    count = nudge_now(db, viewer, notice, now=now)
    db.commit()  # the reminders are queued for good before the clicker is told so
    if count:
        text = f"Reminding {count} {'person' if count == 1 else 'people'} about notice {notice.id}."
    else:
        text = (
            f"Everyone who got notice {notice.id} has acknowledged it, or is still being sent it."
        )
    deps.after_answer(
        lambda: respond(
            response_type="ephemeral",
            replace_original=False,
            text=text,
            blocks=message_blocks(text),
        )
    )


def export_click(
    ack: Ack, body: dict, respond: Respond, db: Session, client: WebClient, deps: Deps
) -> None:
    """Send the clicker the report as a CSV file in their DM with Crewcall, after answering
    the click (Slack's calls can take longer than the click may wait)."""
    ack()
    viewer, notice = _clicked(db, body)
    report = ack_report(db, viewer, notice)
    filename = f"acks-notice-{notice.id}.csv"
    content = export_csv([report])

    def send() -> None:
        try:
            channel = client.conversations_open(users=viewer.user_id)["channel"]["id"]
            client.files_upload_v2(
                channel=channel,
                filename=filename,
                title=f"Acknowledgements · notice {notice.id}",
                content=content,
                initial_comment=f"Acknowledgements for notice {notice.id}: "
                f"{escaped(report.card.title)}",
            )
            text = f"I've sent you `{filename}` in our DM."
        except (SlackApiError, SlackClientError, OSError) as exc:
            log.warning("could not send %s: %s", filename, exc)
            text = f"Slack didn't take `{filename}` just now; click Export CSV again in a moment."
        respond(
            response_type="ephemeral",
            replace_original=False,
            text=text,
            blocks=message_blocks(text),
        )

    deps.after_answer(send)


def show_all_click(ack: Ack, body: dict, respond: Respond, db: Session, deps: Deps) -> None:
    """The report again in place, with everyone who has acknowledged listed too."""
    ack()
    viewer, notice = _clicked(db, body)
    fallback, blocks = acks_blocks(ack_report(db, viewer, notice), show_all=True)
    deps.after_answer(
        lambda: respond(
            response_type="ephemeral", replace_original=True, text=fallback, blocks=blocks
        )
    )


def viewer_of(asker: Asker) -> Viewer:
    """Who is asking for an acknowledgement report, and what they may see."""
    return Viewer.of(asker.member, production_id=asker.production.id, user_id=asker.user_id)


def _clicked(db: Session, body: dict) -> tuple[Viewer, Notice]:
    notice_id = parse_id(
        button_value(body), "That button doesn't name a notice; run `/acks` again."
    )
    return clicked_notice(db, notice_id=notice_id, **clicked_by(body))
