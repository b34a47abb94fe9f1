"""Every listener Crewcall registers with Bolt: each feature's handlers module adds its own."""

from slack_bolt import App

from bot.calls import callsheet_handlers
from bot.calls import handlers as calltime
from bot.changes import handlers as schedule_change
from bot.crew import handlers as setup
from bot.home import handlers as home
from bot.imports import handlers as uploads
from bot.notices import acks_handlers as acks
from bot.notices import handlers as acknowledge
from bot.questions import handlers as messages
from bot.rentals import handlers as rentals
from bot.script import handlers as script
from bot.slack import crewcall, events


def register(app: App) -> None:
    """Register every command, click, submission and event Crewcall answers with Bolt.

    Bolt tries listeners in the order registered: /calltime, the most asked, first;
    a DM carrying a file before any other DM; the events nothing answers last.
    """
    calltime.register(app)
    callsheet_handlers.register(app)
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
