"""Slack transport: each module answers one command or event and registers itself."""

from slack_bolt import App

from bot.handlers import (
    acknowledge,
    acks,
    callsheet,
    calltime,
    crewcall,
    events,
    home,
    messages,
    rentals,
    schedule_change,
    script,
    setup,
    uploads,
)
from bot.handlers.router import CommandRouter


def register(app: App) -> None:
    """Register every listener: slash commands through one router, then events."""
    commands = CommandRouter()
    calltime.register(commands)
    callsheet.register(commands)
    crewcall.register(commands)
    acks.register(commands, app)
    schedule_change.register(commands, app)
    script.register(commands, app)
    rentals.register(commands, app)
    setup.register(app)
    home.register(app)
    uploads.register(app)
    commands.attach(app)
    acknowledge.register(app)
    messages.register(app)
    events.register(app)
