"""Files sent to Crewcall in a DM: a coordinator's CSV or .ics, previewed, then imported."""

from __future__ import annotations

import datetime as dt

from slack_bolt import Ack, App, Respond, Say
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.core.asker import acting_on, identify_for
from bot.core.clicks import TAMPERED_BUTTON, button_fields, clicked_by
from bot.core.deps import Deps
from bot.core.errors import UserError
from bot.core.help import message_blocks
from bot.core.locales import code_page_for
from bot.core.numbers import parse_id
from bot.core.roles import Action
from bot.imports.blocks import CANCEL, IMPORT, preview_blocks
from bot.imports.crew import slack_email_lookup
from bot.imports.run import KINDS, import_file
from bot.imports.uploads import Upload, digest, fetch, kind_of, preview, uploads_of
from bot.storage.models import Production

CHANGED = "That file is not the one I previewed any more; send it to me again."


def register(app: App) -> None:
    """Answer files shared in Crewcall's DM, and their Import and Cancel buttons."""
    app.event({"type": "message", "channel_type": "im", "subtype": "file_share"})(file_sent)
    app.action(IMPORT)(import_click)
    app.action(CANCEL)(cancel_click)


def file_sent(
    event: dict, body: dict, say: Say, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """Preview what importing each file would change; errors name the row and column."""
    asker = identify_for(
        db,
        client,
        deps,
        team_id=body["team_id"],
        user_id=event["user"],
        channel_id=None,
        now=now,
        action=Action.IMPORT,
    )
    production = db.get(Production, asker.production.id)
    assert production is not None
    for upload in uploads_of(event):
        data = fetch(upload, token=client.token or "", api_url=client.base_url)
        kind = kind_of(upload.name, data, code_page=code_page_for(production.timezone))
        report = preview(
            db, production=production, kind=kind, data=data, lookup=slack_email_lookup(client)
        )
        fallback, blocks = preview_blocks(
            name=upload.name,
            kind=kind,
            production_id=production.id,
            production_name=production.name,
            file_id=upload.file_id,
            url=upload.url,
            digest=digest(data),
            report=report,
        )
        say(text=fallback, blocks=blocks)


def import_click(ack: Ack, body: dict, respond: Respond, db: Session, client: WebClient) -> None:
    """Import the previewed file, all or nothing, and say what it did."""
    ack()
    asked = button_fields(body, "production", "kind", "file", "url", "sha")
    production = acting_on(
        db,
        **clicked_by(body),
        production_id=parse_id(asked["production"], TAMPERED_BUTTON),
        action=Action.IMPORT,
    )
    texts = [asked[name] for name in ("kind", "file", "url", "sha")]
    if asked["kind"] not in KINDS or not all(isinstance(text, str) for text in texts):
        raise UserError(TAMPERED_BUTTON)
    upload = Upload(asked["file"], "the file", asked["url"], 0)
    data = fetch(upload, token=client.token or "", api_url=client.base_url)
    if digest(data) != asked["sha"]:
        raise UserError(CHANGED)
    report = import_file(
        db, production=production, kind=asked["kind"], data=data, lookup=slack_email_lookup(client)
    )
    db.commit()
    text = report.summary()
    respond(replace_original=True, text=text, blocks=message_blocks(text))


def cancel_click(ack: Ack, respond: Respond) -> None:
    """Leave everything as it is."""
    ack()
    text = "Not imported: nothing changed."
    respond(replace_original=True, text=text, blocks=message_blocks(text))
