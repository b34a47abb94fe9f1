"""Block Kit for help: what Crewcall can do right now."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bot.core.commands import COMMANDS, SlashCommand
from bot.core.kit import context, header, section
from bot.core.roles import Action, allowed
from bot.storage.models import Role

HELP_FALLBACK = "Crewcall help: the commands you can use."


def _usage(command: SlashCommand) -> str:
    return "\n".join(f"`{usage}`: {meaning}" for usage, meaning in command.works)


@functools.cache
def help_blocks(role: Role = Role.CREW) -> tuple[dict, ...]:
    """/crewcall help: a line for each thing someone of `role` may do, and nothing they may
    not. Built once per role and shared: not to be changed."""
    lines = [
        f"`{usage.usage}`: {usage.meaning}"
        for command in COMMANDS
        for usage in command.summary
        if usage.needs is None or _may(role, usage.needs)
    ]
    return (
        header("Crewcall"),
        section("Call times, schedule changes and acknowledgements for your shoot."),
        section("\n".join(lines)),
        context("Every command accepts `help` for its examples, e.g. `/calltime help`."),
    )


@dataclass(frozen=True)
class _Someone:
    role: Role
    department_id: int | None = None


def _may(role: Role, action: Action) -> bool:
    """Whether someone of `role` may take `action` at all (a head: for their department)."""
    return allowed(_Someone(role), action)


def command_help_blocks(command: SlashCommand) -> list[dict]:
    """`/<command> help`: what the command does and how to write it."""
    return [
        section(f"*{command.name}*: {command.description}"),
        section(_usage(command)),
    ]


def message_blocks(text: str) -> list[dict]:
    """A single plain mrkdwn section: short answers, refusals and errors."""
    return [section(text)]
