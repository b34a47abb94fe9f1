"""Slack transport: each module answers one command or event and exposes register(app)."""

from slack_bolt import App

from bot.handlers import callsheet, calltime, crewcall, events, messages, not_built


def register(app: App) -> None:
    """Register every listener.

    Only the first matching listener runs, and Bolt checks each one in turn, at the cost
    of building its arguments: the most used (/calltime) comes first.
    """
    calltime.register(app)
    callsheet.register(app)
    crewcall.register(app)
    not_built.register(app)
    messages.register(app)
    events.register(app)
