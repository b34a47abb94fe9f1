"""Commands the manifest lists but this version does not answer yet: say so, never fail."""

from slack_bolt import Ack

from bot.blocks.help import not_built_blocks
from bot.commands import COMMANDS, command_named
from bot.handlers.router import CommandRouter


def register(commands: CommandRouter) -> None:
    for command in COMMANDS:
        if not command.available:
            commands.add(command.name, not_built_command)


def not_built_command(*, ack: Ack, command: dict, **_: object) -> None:
    """Tell the user this command is coming, rather than let Slack show a failure."""
    slash = command_named(command["command"])
    ack(
        response_type="ephemeral",
        text=f"{slash.name} is not available yet.",
        blocks=not_built_blocks(slash),
    )
