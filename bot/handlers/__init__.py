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
from bot.handlers.router import Router


def register(app: App) -> None:
    """Register every listener with Bolt, through one router (bot/handlers/router.py)."""
    routes().attach(app)


def routes() -> Router:
    """Every command, click, submission and event Crewcall answers.

    Events are tried in the order added: a DM carrying a file before any other DM.
    """
    router = Router()
    calltime.register(router)
    callsheet.register(router)
    crewcall.register(router)
    acks.register(router)
    acknowledge.register(router)
    schedule_change.register(router)
    script.register(router)
    rentals.register(router)
    setup.register(router)
    home.register(router)
    uploads.register(router)
    messages.register(router)
    events.register(router)
    return router
