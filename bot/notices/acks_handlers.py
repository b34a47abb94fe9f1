"""/acks [latest | <notice id>] [all]: the report, and its Nudge now, Show all and Export CSV
buttons."""

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
from bot.core.help import message_blocks
from bot.core.mrkdwn import escaped
from bot.core.numbers import parse_id
from bot.notices.acks import Viewer, ack_report, clicked_notice, export_csv, find_notice, nudge_now
from bot.notices.acks_blocks import EXPORT, NUDGE, SHOW_ALL, acks_blocks
from bot.storage.models import Notice

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Answer /acks and its Nudge now, Export CSV and Show all buttons."""
    app.command("/acks")(acks_command)
    app.action(NUDGE)(nudge_click)
    app.action(EXPORT)(export_click)
    app.action(SHOW_ALL)(show_all_click)


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
