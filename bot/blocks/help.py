"""Block Kit for help: what Crewcall can do right now."""

from __future__ import annotations

from bot.blocks.kit import context, header, section
from bot.commands import COMMANDS, SlashCommand

HELP_FALLBACK = "Crewcall help: the commands you can use."


def _usage(command: SlashCommand) -> str:
    return "\n".join(f"`{usage}`: {meaning}" for usage, meaning in command.works)


def help_blocks() -> list[dict]:
    """The help message: each available command with its usage."""
    available = [command for command in COMMANDS if command.available]
    return [
        header("Crewcall"),
        section("Call times, schedule changes and acknowledgements for your shoot."),
        *(section(_usage(c)) for c in available),
        context("Every command accepts `help`, e.g. `/crewcall help`."),
    ]


def command_help_blocks(command: SlashCommand) -> list[dict]:
    """`/<command> help`: what the command does and how to write it."""
    return [
        section(f"*{command.name}*: {command.description}"),
        section(_usage(command)),
    ]


def not_built_blocks(command: SlashCommand) -> list[dict]:
    """The answer to a command the manifest lists but this version does not answer yet."""
    return [
        section(
            f"`{command.name}` is not available in this version of Crewcall yet. "
            "Type `/crewcall help` for what you can use now."
        )
    ]


def message_blocks(text: str) -> list[dict]:
    """A single plain mrkdwn section: short answers, refusals and errors."""
    return [section(text)]
