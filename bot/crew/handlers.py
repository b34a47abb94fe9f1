"""`/crewcall setup` (the settings modal), `/crewcall role` and `/crewcall remove`."""

from __future__ import annotations

import datetime as dt

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.changes.form import outcome_view
from bot.core.asker import acting_on_view, identify_command
from bot.core.clicks import TAMPERED_BUTTON, button_fields, clicked_by
from bot.core.deps import Deps
from bot.core.errors import FormErrors, UserError
from bot.core.help import message_blocks
from bot.core.kit import submitted
from bot.core.mrkdwn import field_errors
from bot.core.roles import Action
from bot.core.slack_calls import open_modal
from bot.crew.blocks import (
    REMOVE_CANCEL,
    REMOVE_CONFIRM,
    SETUP_FORM,
    remove_yourself_blocks,
    saved_text,
    settings_text,
    setup_form,
)
from bot.crew.membership import RemoveYourself, RoleRequest, remove_member, set_role
from bot.crew.settings import (
    SettingsForm,
    read_setting,
    read_settings,
    save_settings,
    setting_lines,
)
from bot.storage.models import Production


def register(app: App) -> None:
    """Answer the settings form, and the confirmation of removing yourself."""
    app.view(SETUP_FORM)(setup_submitted)
    app.action(REMOVE_CONFIRM)(remove_confirmed)
    app.action(REMOVE_CANCEL)(remove_cancelled)


def setup_command(
    command: dict, words: list[str], *, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> str:
    """`/crewcall setup` opens the settings form, and answers with the settings and how to
    set one in text; `setup list` lists them; `setup <name> <value>` sets one (coordinators).
    The text form works wherever a form cannot open (the console, a phone's quick reply)."""
    asker = identify_command(db, client, deps, command, now=now, action=Action.SETUP)
    production = db.get(Production, asker.production.id)
    assert production is not None
    if not words:
        open_modal(
            client, trigger_id=command["trigger_id"], view=setup_form(SettingsForm.of(production))
        )
        return settings_text(production.name, setting_lines(production))
    if words[0].lower() == "list" and len(words) == 1:
        return settings_text(production.name, setting_lines(production))
    typed = command.get("text", "").split(maxsplit=2)
    name, value = read_setting(db, production, words[0], typed[2] if len(typed) > 2 else "")
    return saved_text(production.name, save_settings(production, {name: value}))


def setup_submitted(ack: Ack, body: dict, view: dict, db: Session) -> None:
    """Save the settings, or show each bad field's error beside it; nothing saved then."""
    production = acting_on_view(db, body, view, action=Action.SETUP)
    try:
        settings = read_settings(db, production, submitted(view["state"]["values"]))
    except FormErrors as exc:
        ack(response_action="errors", errors=field_errors(exc.errors))
        return
    changes = save_settings(production, settings)
    ack(
        response_action="update",
        view=outcome_view(saved_text(production.name, changes), title="Production settings"),
    )


def role_command(
    command: dict, words: list[str], *, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> str:
    """`/crewcall role <who> <crew | head | coordinator> [department]` (coordinators)."""
    request = RoleRequest.parse(words)
    asker = identify_command(db, client, deps, command, now=now, action=Action.MANAGE_ROLES)
    production = db.get(Production, asker.production.id)
    assert production is not None
    return set_role(db, production, request)


def remove_command(
    command: dict,
    words: list[str],
    *,
    db: Session,
    client: WebClient,
    deps: Deps,
    now: dt.datetime,
    confirmed: bool = False,
) -> str | tuple[str, list[dict]]:
    """`/crewcall remove <who>` (coordinators): off the crew list; removing yourself asks
    first, with Remove me and Keep me on."""
    asker = identify_command(db, client, deps, command, now=now, action=Action.MANAGE_ROLES)
    production = db.get(Production, asker.production.id)
    assert production is not None
    who = " ".join(words)
    done = remove_member(db, production, who, by=asker.user_id, confirmed=confirmed)
    if isinstance(done, RemoveYourself):
        return remove_yourself_blocks(done.production, who=who)
    return done


def remove_confirmed(
    ack: Ack,
    body: dict,
    respond: Respond,
    db: Session,
    client: WebClient,
    deps: Deps,
    now: dt.datetime,
) -> None:
    """Remove me: the coordinator confirmed taking themselves off the crew list."""
    ack()
    who = button_fields(body, "who")["who"]
    if not isinstance(who, str):
        raise UserError(TAMPERED_BUTTON)
    command = {**clicked_by(body), "channel_id": (body.get("channel") or {}).get("id")}
    text = remove_command(
        command, who.split(), db=db, client=client, deps=deps, now=now, confirmed=True
    )
    assert isinstance(text, str)
    db.commit()
    respond(replace_original=True, text=text, blocks=message_blocks(text))


def remove_cancelled(ack: Ack, respond: Respond) -> None:
    """Keep me on: nothing changes."""
    ack()
    text = "You are still on the crew list: nothing changed."
    respond(replace_original=True, text=text, blocks=message_blocks(text))
