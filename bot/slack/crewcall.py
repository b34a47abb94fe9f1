"""/crewcall: help, use, announce, calendar, setup, role, remove and import (how to)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.calendars.handlers import calendar_command
from bot.core.asker import identify_command
from bot.core.deps import Deps
from bot.core.errors import UserError
from bot.core.help import HELP_FALLBACK, help_blocks, message_blocks
from bot.core.mrkdwn import quoted
from bot.core.productions import use_production
from bot.core.roles import Action
from bot.crew.handlers import remove_command, role_command, setup_command
from bot.notices.blocks import announcement_sent
from bot.notices.notices import announce
from bot.storage.models import Production, Role

URGENT = "--urgent"
IMPORT_HELP = (
    "Coordinators: send me a file in our DM and I'll show what importing it would change, "
    "with an *Import* button. I recognise crew lists (`name, email, slack_id, department, "
    "position, role, phone`), schedules (`date, day, general_call, shooting_call, wrap, "
    "location, ...`), calls (`date, who, call, note`) and calendars (.ics, one event per "
    "shoot day). From a terminal: `crewcall import {crew | schedule | calls | ics} FILE "
    "--production SLUG`."
)


def register(app: App) -> None:
    """Answer /crewcall and its words (help, use, calendar, announce, setup, ...)."""
    app.command("/crewcall")(crewcall_command)


def crewcall_command(
    ack: Ack, command: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """Answer `/crewcall <verb> ...`; an unknown verb says what is known."""
    words = command.get("text", "").split()
    verb = words[0].lower() if words else "help"
    if verb == "help":
        ack(
            response_type="ephemeral",
            text=HELP_FALLBACK,
            blocks=help_blocks(_role_of(command, db=db, client=client, deps=deps, now=now)),
        )
        return
    verbs: dict[str, Callable[..., str | tuple[str, list[dict]]]] = {
        "announce": _announce,
        "calendar": calendar_command,
        "setup": setup_command,
    }
    verbs |= {"role": role_command, "remove": remove_command}
    if verb == "use":
        if len(words) != 2:
            raise UserError(
                "Say which production: `/crewcall use <slug>`, e.g. `/crewcall use hollis`."
            )
        production = use_production(
            db, team_id=command["team_id"], user_id=command["user_id"], slug=words[1]
        )
        text = f"Your commands now refer to *{production.name}* (`{production.slug}`)."
    elif verb == "import":
        text = IMPORT_HELP
    elif verb in verbs:
        answer = verbs[verb](command, words[1:], db=db, client=client, deps=deps, now=now)
        if isinstance(answer, tuple):  # a question, with its buttons
            text, blocks = answer
            ack(response_type="ephemeral", text=text, blocks=blocks)
            return
        text = answer
    else:
        text = f"I don't know {quoted('/crewcall ' + verb)}. Try `/crewcall help`."
    ack(response_type="ephemeral", text=text, blocks=message_blocks(text))


def _role_of(
    command: dict, *, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> Role:
    """The asker's role on the production the command is about; crew if on none yet."""
    try:
        asker = identify_command(db, client, deps, command, now=now)
    except UserError:
        return Role.CREW
    return asker.member.role if asker.member else Role.CREW


# `--urgent` as a word of its own, wherever it is written.
_FLAG = re.compile(rf"(?<!\S){URGENT}(?!\S)[ \t]*", re.IGNORECASE)


def _after_verb(text: str) -> str:
    """What follows `/crewcall <verb>`, as typed: its line breaks and spacing kept."""
    return text.strip().split(maxsplit=1)[1] if len(text.split()) > 1 else ""


def _announce(
    command: dict, words: list[str], *, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> str:
    """`/crewcall announce [--urgent] <text>` (coordinators): a notice to the whole crew."""
    asker = identify_command(db, client, deps, command, now=now, action=Action.ANNOUNCE)
    production = db.get(Production, asker.production.id)
    assert production is not None
    urgent = URGENT in (word.lower() for word in words)
    text = _FLAG.sub("", _after_verb(command.get("text", "")))
    notice, people = announce(
        db, production=production, text=text, author=asker.user_id, now=now, urgent=urgent
    )
    return announcement_sent(notice.id, people, production.crew_channel)
