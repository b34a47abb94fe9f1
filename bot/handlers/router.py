"""Every listener, registered in one place: slash commands, button clicks and modal
submissions through one Bolt listener for each kind, routed by name; events after them.

Bolt tries its listeners in turn, building each one's arguments to ask whether it
matches (about 10 us a try). With one listener per kind, registered first, a command,
a click or a submission costs one to three tries however many handlers there are, and
an event three tries for all of them.

A handler names the arguments it wants, as it would from Bolt: any of Bolt's
listener arguments (`ack`, `body`, `respond`, `view`, ...) and the request's `db`,
`deps` and `now`.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable

from slack_bolt import App
from slack_bolt.kwargs_injection.args import Args

Handler = Callable[..., None]
BOLT_ARGUMENTS = frozenset(
    ("ack", "body", "client", "command", "context", "logger", "respond", "say", "view", "action")
)
CONTEXT_ARGUMENTS = frozenset(("db", "deps", "now"))


class Route:
    """A handler and the arguments it takes, read from its signature once."""

    __slots__ = ("handler", "names")

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.names = tuple(inspect.signature(handler).parameters)
        unknown = set(self.names) - BOLT_ARGUMENTS - CONTEXT_ARGUMENTS
        if unknown:
            raise ValueError(f"{handler.__qualname__} takes unknown arguments: {sorted(unknown)}")

    def __call__(self, args: Args) -> None:
        context = args.context
        self.handler(
            **{
                name: context[name] if name in CONTEXT_ARGUMENTS else getattr(args, name)
                for name in self.names
            }
        )


class Table:
    """Routes of one kind, by name."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.routes: dict[str, Route] = {}

    def add(self, name: str, handler: Handler) -> None:
        if name in self.routes:
            raise ValueError(f"{self.kind} {name} is registered twice")
        self.routes[name] = Route(handler)

    def pattern(self) -> re.Pattern:
        """Exactly the added names."""
        return re.compile(rf"^(?:{'|'.join(re.escape(name) for name in self.routes)})$")


class Router:
    """Each handler module adds its own commands, actions, views and events; `attach`
    registers one Bolt listener for each routed kind that has any, then the events."""

    def __init__(self) -> None:
        self.commands = Table("command")
        self.actions = Table("action")
        self.views = Table("view")
        self.listeners: list[Callable[[App], None]] = []

    def command(self, name: str, handler: Handler) -> None:
        self.commands.add(name, handler)

    def action(self, action_id: str, handler: Handler) -> None:
        self.actions.add(action_id, handler)

    def view(self, callback_id: str, handler: Handler) -> None:
        """A modal's submission (its closing, when wanted, is an ordinary Bolt listener)."""
        self.views.add(callback_id, handler)

    def event(self, constraints: str | dict, handler: Handler) -> None:
        """An Events API listener, registered with Bolt as it is, in the order added."""
        self.listeners.append(lambda app: app.event(constraints)(handler))

    def view_closed(self, callback_id: str, handler: Handler) -> None:
        """A modal closed with its X (rare enough for a listener of its own)."""
        self.listeners.append(lambda app: app.view_closed(callback_id)(handler))

    def attach(self, app: App) -> None:
        if self.commands.routes:
            app.command(self.commands.pattern())(self._command)
        if self.actions.routes:
            app.block_action(self.actions.pattern())(self._action)
        if self.views.routes:
            app.view(self.views.pattern())(self._view)
        for listen in self.listeners:
            listen(app)

    def _command(self, args: Args) -> None:
        self.commands.routes[args.body["command"]](args)

    def _action(self, args: Args) -> None:
        self.actions.routes[args.body["actions"][0]["action_id"]](args)

    def _view(self, args: Args) -> None:
        self.views.routes[args.body["view"]["callback_id"]](args)
