"""/crewcall: help and use now; setup, calendar and import as they are built."""

from slack_bolt import Ack
from sqlalchemy.orm import Session

from bot.blocks.help import HELP_FALLBACK, help_blocks, message_blocks
from bot.errors import UserError
from bot.handlers.router import CommandRouter
from bot.productions import use_production


def register(commands: CommandRouter) -> None:
    commands.add("/crewcall", crewcall_command)


def crewcall_command(*, ack: Ack, command: dict, db: Session, **_: object) -> None:
    """Answer `/crewcall [help | use <slug>]`; anything else gets what was not understood."""
    words = command.get("text", "").split()
    verb = words[0].lower() if words else "help"
    if verb == "help":
        ack(response_type="ephemeral", text=HELP_FALLBACK, blocks=help_blocks())
        return
    if verb == "use":
        if len(words) != 2:
            raise UserError(
                "Say which production: `/crewcall use <slug>`, e.g. `/crewcall use hollis`."
            )
        production = use_production(
            db, team_id=command["team_id"], user_id=command["user_id"], slug=words[1]
        )
        text = f"Your commands now refer to *{production.name}* (`{production.slug}`)."
        ack(response_type="ephemeral", text=text, blocks=message_blocks(text))
        return
    text = f"I don't know `/crewcall {verb}`. Try `/crewcall help`."
    ack(response_type="ephemeral", text=text, blocks=message_blocks(text))
