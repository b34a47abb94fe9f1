"""Slack transport: each module answers one command or event and exposes register(app)."""

from slack_bolt import App

from bot.handlers import callsheet, calltime, crewcall, events, messages, not_built


def register(app: App) -> None:
    """Register every listener, most specific first (only the first match runs)."""
    crewcall.register(app)
    calltime.register(app)
    callsheet.register(app)
    not_built.register(app)
    messages.register(app)
    events.register(app)
