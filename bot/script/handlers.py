"""/script: the current revision, its history, announcing new pages, and who is missing them."""

from __future__ import annotations

import datetime as dt

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.calls.lookup import Reply, answer_command
from bot.core.asker import Asker, identify_command
from bot.core.clicks import TAMPERED_BUTTON, button_fields, clicked_by
from bot.core.deps import Deps
from bot.core.errors import UserError
from bot.core.help import message_blocks
from bot.core.mrkdwn import quoted
from bot.core.roles import Action
from bot.notices.acks import ack_report, find_notice
from bot.notices.acks_blocks import acks_blocks
from bot.notices.handlers import viewer_of
from bot.script.blocks import (
    CANCEL,
    CONFIRM,
    announced_blocks,
    announced_text,
    history_blocks,
    out_of_sequence_blocks,
    status_blocks,
)
from bot.script.revisions import (
    NEW_USAGE,
    Announced,
    Revision,
    acknowledged_at,
    announce_revision,
    history,
    latest_revision,
    parse_new,
    revision_coloured,
)
from bot.storage.models import Production


def register(app: App) -> None:
    """Answer /script and its confirmation buttons."""
    app.command("/script")(script_command)
    app.action(CONFIRM)(confirm_click)
    app.action(CANCEL)(cancel_click)


def script_command(
    ack: Ack, command: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """`new ...` announces (coordinators); everything else is a look-up answered in the ack."""
    text = command.get("text", "").strip()
    verb, _, rest = text.partition(" ")
    if verb.lower() == "new":
        fallback, blocks = _new(command, rest, db=db, client=client, deps=deps, now=now)
        ack(response_type="ephemeral", text=fallback, blocks=blocks)
        return
    answer_command(ack, command, script_answer, db=db, client=client, deps=deps, now=now)


def script_answer(asker: Asker, text: str, now: dt.datetime, deps: Deps) -> Reply:
    """`status` (or nothing), `history`, or `missing [colour]`; UserError for anything else."""
    verb, _, rest = text.strip().partition(" ")
    verb = verb.lower() or "status"
    with deps.readers.begin() as reading:
        production_id = asker.production.id
        if verb == "status":
            revision = latest_revision(reading, production_id=production_id)
            sent, at = (
                acknowledged_at(reading, revision=revision, user_id=asker.user_id)
                if revision
                else (False, None)
            )
            shown = Revision.of(revision) if revision else None
            return status_blocks(asker.production, shown, sent_to_you=sent, acknowledged_at=at)
        if verb == "history":
            revisions = history(reading, production_id=production_id)
            return history_blocks([Revision.of(row) for row in revisions])
        if verb == "missing":
            revision = (
                revision_coloured(reading, production_id=production_id, colour=rest)
                if rest.strip()
                else latest_revision(reading, production_id=production_id)
            )
            if revision is None or revision.notice_id is None:
                raise UserError("No script revisions have been announced yet.")
            viewer = viewer_of(asker)
            notice = find_notice(reading, viewer, str(revision.notice_id))
            return acks_blocks(ack_report(reading, viewer, notice), missing_only=True)
    raise UserError(
        f"I don't know {quoted('/script ' + verb)}. Try `/script`, `/script history`, "
        f"`/script missing pink` or {NEW_USAGE}."
    )


def _new(
    command: dict,
    text: str,
    *,
    db: Session,
    client: WebClient,
    deps: Deps,
    now: dt.datetime,
    confirmed: bool = False,
) -> Reply:
    """Announce the revision, or ask first when its colour is out of sequence."""
    asker = identify_command(db, client, deps, command, now=now, action=Action.ANNOUNCE_SCRIPT)
    request = parse_new(text)
    production = db.get(Production, asker.production.id)
    assert production is not None
    outcome = announce_revision(
        db,
        production=production,
        request=request,
        author=asker.user_id,
        now=now,
        confirmed=confirmed,
    )
    if not isinstance(outcome, Announced):
        return out_of_sequence_blocks(outcome, text=text)
    words = announced_text(outcome.revision.colour, outcome.people, outcome.revision.notice_id or 0)
    return words, announced_blocks(words)


def confirm_click(
    ack: Ack,
    body: dict,
    respond: Respond,
    db: Session,
    client: WebClient,
    deps: Deps,
    now: dt.datetime,
) -> None:
    """Announce the out-of-sequence colour the coordinator confirmed."""
    ack()
    text = button_fields(body, "text")["text"]
    if not isinstance(text, str):
        raise UserError(TAMPERED_BUTTON)
    command = {**clicked_by(body), "channel_id": (body.get("channel") or {}).get("id")}
    fallback, blocks = _new(command, text, db=db, client=client, deps=deps, now=now, confirmed=True)
    db.commit()
    respond(replace_original=True, text=fallback, blocks=blocks)


def cancel_click(ack: Ack, respond: Respond) -> None:
    """Drop the out-of-sequence announcement."""
    ack()
    text = "Not announced: nothing was sent."
    respond(replace_original=True, text=text, blocks=message_blocks(text))
