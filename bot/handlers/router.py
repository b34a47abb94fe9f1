"""Slash commands: one Bolt listener for all of them, routed by name.

Bolt tries its listeners in turn, building each one's arguments to ask whether it
matches (about 10 us a try). With one listener for every command, any command costs
one try wherever it is in the list, and events and actions pay one try for all
commands instead of one per command.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.deps import Deps

# Called with keyword arguments ack, command, db, client, deps and now.
CommandHandler = Callable[..., None]


class CommandRouter:
    """Handlers by command name; each handler module adds its own with `add`."""

    def __init__(self) -> None:
        self._handlers: dict[str, CommandHandler] = {}

    def add(self, name: str, handler: CommandHandler) -> None:
        if name in self._handlers:
            raise ValueError(f"{name} is registered twice")
        self._handlers[name] = handler

    def attach(self, app: App) -> None:
        """Register the one listener that serves exactly the added commands."""
        names = "|".join(re.escape(name) for name in self._handlers)
        app.command(re.compile(rf"^(?:{names})$"))(self.dispatch)

    def dispatch(
        self, ack: Ack, command: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
    ) -> None:
        handler = self._handlers[command["command"]]
        handler(ack=ack, command=command, db=db, client=client, deps=deps, now=now)
