"""Block Kit for help: what Crewcall can do right now."""

from __future__ import annotations

import functools

from bot.core.commands import COMMANDS, SlashCommand
from bot.core.kit import context, header, section

HELP_FALLBACK = "Crewcall help: the commands you can use."


def _usage(command: SlashCommand) -> str:
    return "\n".join(f"`{usage}`: {meaning}" for usage, meaning in command.works)


@functools.cache
def help_blocks() -> tuple[dict, ...]:
    """The help message: each command with its usage. Built once and shared: not to be changed."""
    return (
        header("Crewcall"),
        section("Call times, schedule changes and acknowledgements for your shoot."),
        *(section(_usage(c)) for c in COMMANDS),
        context("Every command accepts `help`, e.g. `/crewcall help`."),
    )


def command_help_blocks(command: SlashCommand) -> list[dict]:
    """`/<command> help`: what the command does and how to write it."""
    return [
        section(f"*{command.name}*: {command.description}"),
        section(_usage(command)),
    ]


def message_blocks(text: str) -> list[dict]:
    """A single plain mrkdwn section: short answers, refusals and errors."""
    return [section(text)]
