"""/rentals: list, due, show, add (text or modal), return, lost, damaged, extend."""

from __future__ import annotations

import datetime as dt

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.calls.lookup import Reply, answer_command
from bot.changes.form import outcome_view
from bot.core.asker import Asker, identify
from bot.core.clicks import clicked_by, view_metadata
from bot.core.deps import Deps
from bot.core.effective_calls import local_today
from bot.core.errors import FormErrors, UserError
from bot.core.help import message_blocks
from bot.core.kit import submitted
from bot.core.locales import money_locale
from bot.core.mrkdwn import field_errors, quoted
from bot.core.roles import Action, require
from bot.core.slack_calls import open_modal
from bot.core.when import parse_when
from bot.rentals.blocks import (
    ADD_FORM,
    add_form,
    added_text,
    changed_text,
    list_blocks,
    show_blocks,
)
from bot.rentals.costs import RentalView
from bot.rentals.fields import department_named, parse_add, read_fields
from bot.rentals.rentals import (
    ENDED,
    Who,
    active_rentals,
    add_rental,
    due_by,
    end_rental,
    extend_rental,
    rental_by_id,
)
from bot.storage.models import Production

USAGE = (
    "`/rentals [list [department] | due [when] | show ID | add | return ID | lost ID | "
    "damaged ID | extend ID <date>]`"
)
CHANGES = {"add", "return", "lost", "writeoff", "damaged", "extend"}


def register(app: App) -> None:
    """Answer /rentals and its add form."""
    app.command("/rentals")(rentals_command)
    app.view(ADD_FORM)(form_submitted)


def rentals_command(
    ack: Ack, command: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """Look-ups answered in the ack; changes made, then answered; `add` alone opens the modal."""
    text = command.get("text", "").strip()
    verb, _, rest = text.partition(" ")
    if verb.lower() not in CHANGES:
        answer_command(ack, command, rentals_answer, db=db, client=client, deps=deps, now=now)
        return
    asker, who, production, today = _acting(
        db, client, deps, command["team_id"], command["user_id"], command.get("channel_id"), now
    )
    if verb.lower() == "add" and not rest.strip():
        require(asker.member, Action.CHANGE_RENTALS)  # before the form, not after it
        departments = sorted(d.name for d in asker.production.departments)
        view = add_form(departments, today=today, channel_id=command.get("channel_id"))
        open_modal(client, trigger_id=command["trigger_id"], view=view)
        ack()
        return
    text = _change(db, production, verb.lower(), rest, who=who, today=today, now=now)
    ack(response_type="ephemeral", text=text, blocks=message_blocks(text))


def _change(
    db: Session,
    production: Production,
    verb: str,
    rest: str,
    *,
    who: Who,
    today: dt.date,
    now: dt.datetime,
) -> str:
    if verb == "add":
        new = parse_add(db, production, rest, today=today)
        rental = add_rental(db, production=production, new=new, who=who, today=today, now=now)
        return added_text(RentalView.of(rental), locale=money_locale(production.timezone))
    number, _, date = rest.strip().partition(" ")
    rental = rental_by_id(db, production_id=production.id, text=number)
    if verb == "extend":
        if not date.strip():
            raise UserError(f"Say the new due date: `/rentals extend {rental.id} 2026-12-11`.")
        when = parse_when(date, today=today, date_order=production.date_order)
        if when.date is None:
            raise UserError("Give the new due date as a date, e.g. `2026-12-11` or `fri`.")
        extend_rental(rental, due=when.date, who=who, now=now)
    else:
        end_rental(rental, status=ENDED[verb], who=who, today=today, now=now)
    return changed_text(RentalView.of(rental))


def rentals_answer(asker: Asker, text: str, now: dt.datetime, deps: Deps) -> Reply:
    """`list [department]`, `due [when]` or `show ID`; UserError for anything else."""
    verb, _, rest = text.strip().partition(" ")
    verb = verb.lower() or "list"
    Who.of(asker.member, asker.user_id)  # crew only
    production = asker.production
    today = local_today(production, now)
    with deps.readers.begin() as reading:
        if verb == "list":
            department = None
            if rest.strip():
                row = reading.get(Production, production.id)
                department = department_named(reading, row, rest)
            rentals = active_rentals(reading, production_id=production.id, department=department)
            title = f"{department.name} rentals out" if department else "Rentals out"
            return list_blocks(
                title,
                [RentalView.of(row) for row in rentals],
                today=today,
                locale=money_locale(production.timezone),
            )
        if verb == "due":
            when = parse_when(rest or "today", today=today, date_order=production.date_order)
            if when.date is None:
                raise UserError("Give a date for `/rentals due`, e.g. `/rentals due fri`.")
            rentals = due_by(reading, production_id=production.id, date=when.date)
            return list_blocks(
                f"Due back by {when.date:%a %-d %b}",
                [RentalView.of(row) for row in rentals],
                today=today,
                locale=money_locale(production.timezone),
            )
        if verb == "show":
            rental = rental_by_id(reading, production_id=production.id, text=rest)
            shown = RentalView.of(rental, with_events=True)
            return show_blocks(shown, today=today, timezone=production.timezone)
    raise UserError(f"I don't know {quoted('/rentals ' + verb)}. Try {USAGE}.")


def form_submitted(
    ack: Ack, body: dict, view: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """Add the rental from the modal: errors beside their fields, or what was added."""
    channel = view_metadata(view).get("channel")
    where = clicked_by(body)
    channel = channel if isinstance(channel, str) else None
    _, who, production, today = _acting(
        db, client, deps, where["team_id"], where["user_id"], channel, now
    )
    try:
        new = read_fields(db, production, submitted(view["state"]["values"]), today=today)
        rental = add_rental(db, production=production, new=new, who=who, today=today, now=now)
    except FormErrors as exc:
        ack(response_action="errors", errors=field_errors(exc.errors))
        return
    except UserError as exc:
        ack(response_action="errors", errors=field_errors({"department": str(exc)}))
        return
    added = added_text(RentalView.of(rental), locale=money_locale(production.timezone))
    ack(response_action="update", view=outcome_view(added, title="Rentals"))


def _acting(
    db: Session,
    client: WebClient,
    deps: Deps,
    team_id: str,
    user_id: str,
    channel_id: str | None,
    now: dt.datetime,
) -> tuple[Asker, Who, Production, dt.date]:
    """Who is changing rentals, on which production, and its local date."""
    asker = identify(
        db, client, deps, team_id=team_id, user_id=user_id, channel_id=channel_id, now=now
    )
    production = db.get(Production, asker.production.id)
    assert production is not None
    return asker, Who.of(asker.member, user_id), production, local_today(asker.production, now)
