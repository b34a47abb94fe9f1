"""/crewcall: help now; setup, use, calendar and import as they are built."""

from slack_bolt import Ack, App

from bot.blocks.help import HELP_FALLBACK, help_blocks, message_blocks


def register(app: App) -> None:
    app.command("/crewcall")(crewcall_command)


def crewcall_command(ack: Ack, command: dict) -> None:
    """Answer `/crewcall [help]`; anything else gets what was not understood and help."""
    words = command.get("text", "").split()
    verb = words[0].lower() if words else "help"
    if verb == "help":
        ack(response_type="ephemeral", text=HELP_FALLBACK, blocks=help_blocks())
        return
    text = f"I don't know `/crewcall {verb}`. Try `/crewcall help`."
    ack(response_type="ephemeral", text=text, blocks=message_blocks(text))
