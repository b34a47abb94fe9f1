"""/acks [latest | <notice id>]: the report, and its Nudge now and Export CSV buttons."""

from __future__ import annotations

import datetime as dt

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.acks import Viewer, ack_report, clicked_notice, export_csv, find_notice, nudge_now
from bot.asker import Asker
from bot.blocks.acks import EXPORT, NUDGE, acks_blocks
from bot.blocks.help import message_blocks
from bot.deps import Deps
from bot.handlers.lookup import Reply, answer_command
from bot.handlers.router import Router


def register(router: Router) -> None:
    router.command("/acks", acks_command)
    router.action(NUDGE, nudge_click)
    router.action(EXPORT, export_click)


def acks_command(
    *, ack: Ack, command: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """The report for the latest notice, or the one named, inside the acknowledgement."""
    answer_command(ack, command, acks_answer, db=db, client=client, deps=deps, now=now)


def acks_answer(asker: Asker, text: str, now: dt.datetime, deps: Deps) -> Reply:
    """(fallback, blocks) for `text` as /acks arguments; UserError if refused or unknown."""
    viewer = viewer_of(asker)
    with deps.readers.begin() as reading:
        return acks_blocks(ack_report(reading, viewer, find_notice(reading, viewer, text)))


def nudge_click(ack: Ack, body: dict, respond: Respond, db: Session, now: dt.datetime) -> None:
    """Queue a reminder now for everyone the clicker may see who hasn't acknowledged."""
    ack()
    viewer, notice = clicked_notice(db, value=_value(body), user_id=body["user"]["id"])
    count = nudge_now(db, viewer, notice, now=now)
    if count:
        text = f"Reminding {count} {'person' if count == 1 else 'people'} about notice {notice.id}."
    else:
        text = (
            f"Everyone who got notice {notice.id} has acknowledged it, or is still being sent it."
        )
    respond(
        response_type="ephemeral", replace_original=False, text=text, blocks=message_blocks(text)
    )


def export_click(ack: Ack, body: dict, respond: Respond, db: Session, client: WebClient) -> None:
    """Send the clicker the report as a CSV file in their DM with Crewcall."""
    ack()
    viewer, notice = clicked_notice(db, value=_value(body), user_id=body["user"]["id"])
    report = ack_report(db, viewer, notice)
    filename = f"acks-notice-{notice.id}.csv"
    channel = client.conversations_open(users=viewer.user_id)["channel"]["id"]
    client.files_upload_v2(
        channel=channel,
        filename=filename,
        title=f"Acknowledgements · notice {notice.id}",
        content=export_csv([report]),
        initial_comment=f"Acknowledgements for notice {notice.id}: {report.card.title}",
    )
    text = f"I've sent you `{filename}` in our DM."
    respond(
        response_type="ephemeral", replace_original=False, text=text, blocks=message_blocks(text)
    )


def viewer_of(asker: Asker) -> Viewer:
    """Who is asking for an acknowledgement report, and what they may see."""
    return Viewer.of(asker.member, production_id=asker.production.id, user_id=asker.user_id)


def _value(body: dict) -> str:
    return str(body["actions"][0].get("value", ""))
