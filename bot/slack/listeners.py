"""Every listener Crewcall registers with Bolt: each feature's handlers module adds its own."""

from slack_bolt import App

from bot.calls import handlers as calls
from bot.changes import handlers as changes
from bot.crew import handlers as crew
from bot.home import handlers as home
from bot.imports import handlers as imports
from bot.notices import handlers as notices
from bot.questions import handlers as questions
from bot.rentals import handlers as rentals
from bot.script import handlers as script
from bot.slack import crewcall, ignored_events


def register(app: App) -> None:
    """Register every command, click, submission and event Crewcall answers with Bolt.

    Bolt tries listeners in the order registered: /calltime, the most asked, first;
    a DM carrying a file before any other DM; the events nothing answers last.
    """
    calls.register(app)
    crewcall.register(app)
    notices.register(app)
    changes.register(app)
    script.register(app)
    rentals.register(app)
    crew.register(app)
    home.register(app)
    imports.register(app)
    questions.register(app)
    ignored_events.register(app)
