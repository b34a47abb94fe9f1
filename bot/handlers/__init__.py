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


def register(app: App) -> None:
    """Register every command, click, submission and event Crewcall answers with Bolt.

    Bolt tries listeners in the order registered: /calltime, the most asked, first;
    a DM carrying a file before any other DM; the events nothing answers last.
    """
    calltime.register(app)
    callsheet.register(app)
    crewcall.register(app)
    acks.register(app)
    acknowledge.register(app)
    schedule_change.register(app)
    script.register(app)
    rentals.register(app)
    setup.register(app)
    home.register(app)
    uploads.register(app)
    messages.register(app)
    events.register(app)
