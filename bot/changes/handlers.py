"""/schedule-change: quick syntax or modal, a preview, then Send (once) or Cancel."""

from __future__ import annotations

import datetime as dt

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.calls.lookup import answered_help
from bot.changes.form import FORM, PREVIEW, change_form, outcome_view, preview_view
from bot.changes.form_values import parse_form
from bot.changes.preview import CANCEL, SEND, preview_blocks, preview_text
from bot.changes.proposals import (
    Proposal,
    Sent,
    cancel_change,
    propose,
    review,
    send_change,
)
from bot.changes.syntax import parse_quick
from bot.core.asker import Asker, identify_command, identify_for
from bot.core.clicks import button_value, clicked_by, view_metadata
from bot.core.deps import Deps
from bot.core.effective_calls import local_today, upcoming_days
from bot.core.errors import FormErrors, UserError
from bot.core.help import message_blocks
from bot.core.mrkdwn import field_errors, quoted
from bot.core.numbers import is_digits, parse_id
from bot.core.roles import Action
from bot.core.slack_calls import open_modal


def register(app: App) -> None:
    """Answer /schedule-change, its form and its Send and Cancel buttons."""
    app.command("/schedule-change")(schedule_change_command)
    app.action(SEND)(send_click)
    app.action(CANCEL)(cancel_click)
    app.view(FORM)(form_submitted)
    app.view(PREVIEW)(preview_submitted)
    app.view_closed(PREVIEW)(preview_closed)


def open_change_form(
    client: WebClient, asker: Asker, *, trigger_id: str, channel_id: str | None, now: dt.datetime
) -> None:
    """The schedule change modal, set to the next shoot day."""
    today = local_today(asker.production, now)
    upcoming = upcoming_days(asker.schedule, start=today, limit=1)
    day = upcoming[0].date if upcoming else today
    form = change_form(asker.production, day=day, channel_id=channel_id)
    open_modal(client, trigger_id=trigger_id, view=form)


def schedule_change_command(
    ack: Ack, command: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """With text: the preview, inside the acknowledgement. Without: the modal."""
    if answered_help(ack, command):
        return
    asker = identify_command(db, client, deps, command, now=now, action=Action.CHANGE_SCHEDULE)
    text = command.get("text", "").strip()
    if not text:
        open_change_form(
            client,
            asker,
            trigger_id=command["trigger_id"],
            channel_id=command.get("channel_id"),
            now=now,
        )
        ack()
        return
    if is_digits(text):  # a change an import proposed
        change_id = parse_id(text, f"There is no schedule change {quoted(text)}.")
        proposal = review(db, asker.schedule, change_id=change_id, now=now, author=asker.user_id)
    else:
        change = parse_quick(asker.schedule, text, today=local_today(asker.production, now))
        proposal = propose(db, asker.schedule, change, author=asker.user_id, now=now)
    fallback, blocks = preview_blocks(
        asker.production,
        proposal.previewed,
        change_id=proposal.id,
        recipients=proposal.recipients,
        also_told=proposal.others_also_told,
        earlier=proposal.earlier,
    )
    ack(response_type="ephemeral", text=fallback, blocks=blocks)


def send_click(
    ack: Ack, body: dict, respond: Respond, db: Session, deps: Deps, now: dt.datetime
) -> None:
    """Send the previewed change once, however often the button is clicked."""
    ack()
    sent = send_change(db, change_id=_change_id(button_value(body)), **clicked_by(body), now=now)
    db.commit()  # saved before anyone is told it was sent
    text = _sent_text(sent)
    deps.after_answer(
        lambda: respond(replace_original=True, text=text, blocks=message_blocks(text))
    )


def cancel_click(ack: Ack, body: dict, respond: Respond, db: Session, now: dt.datetime) -> None:
    """Drop the previewed change; nothing is sent."""
    ack()
    change_id = _change_id(button_value(body))
    if cancel_change(db, change_id=change_id, **clicked_by(body), now=now):
        text = "Cancelled: nothing was changed or sent."
    else:
        text = "That change was already sent or cancelled; `/acks` shows who has it."
    respond(replace_original=True, text=text, blocks=message_blocks(text))


def form_submitted(
    ack: Ack, body: dict, view: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """Check the form: errors beside their fields, or the preview in the modal's place."""
    channel = view_metadata(view).get("channel")
    asker = identify_for(
        db,
        client,
        deps,
        **clicked_by(body),
        channel_id=channel if isinstance(channel, str) else None,
        now=now,
        action=Action.CHANGE_SCHEDULE,
    )
    schedule = asker.schedule
    try:
        change = parse_form(
            schedule, view["state"]["values"], today=local_today(asker.production, now)
        )
        proposal = propose(db, schedule, change, author=asker.user_id, now=now)
    except FormErrors as exc:
        ack(response_action="errors", errors=field_errors(exc.errors))
        return
    except UserError as exc:
        ack(response_action="errors", errors=field_errors({"day": str(exc)}))
        return
    ack(
        response_action="update",
        view=preview_view(_preview_lines(asker, proposal), change_id=proposal.id),
    )


def preview_submitted(ack: Ack, body: dict, view: dict, db: Session, now: dt.datetime) -> None:
    """Send from the modal's preview; the modal then says what was done."""
    change_id = _change_id(view.get("private_metadata"))
    sent = send_change(db, change_id=change_id, **clicked_by(body), now=now)
    ack(response_action="update", view=outcome_view(_sent_text(sent), title="Schedule change"))


def preview_closed(ack: Ack, body: dict, view: dict, db: Session, now: dt.datetime) -> None:
    """Cancel in the modal's preview: the proposal is dropped."""
    ack()
    cancel_change(
        db, change_id=_change_id(view.get("private_metadata")), **clicked_by(body), now=now
    )


def _preview_lines(asker: Asker, proposal: Proposal) -> list[str]:
    return preview_text(
        asker.production,
        proposal.previewed,
        recipients=proposal.recipients,
        also_told=proposal.others_also_told,
        earlier=proposal.earlier,
    )


def _sent_text(sent: Sent) -> str:
    people = f"{sent.people} {'person' if sent.people == 1 else 'people'}"
    if sent.already:
        return f"Already sent as notice {sent.notice_id} to {people}; it was sent once."
    return (
        f"Sent: notice {sent.notice_id} is on its way to {people} and the crew channel. "
        f"`/acks {sent.notice_id}` shows who has acknowledged it."
    )


def _change_id(value: object) -> int:
    return parse_id(value, "That doesn't name a schedule change; run `/schedule-change` again.")
