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

    def __call__(self, given: dict) -> None:
        """Call the handler with what it names: from `given` (Bolt's), else the context."""
        context = given["context"]
        self.handler(
            **{name: given[name] if name in given else context[name] for name in self.names}
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

    # Each listener names the arguments it takes, so that Bolt builds only those: asking
    # for Bolt's `args` instead costs a few microseconds more on every request.

    def _command(self, ack, body, client, context, logger, respond, say) -> None:  # type: ignore[no-untyped-def]
        given = _given(ack, body, client, context, logger, respond, say)
        given["command"] = body
        self.commands.routes[body["command"]](given)

    def _action(self, ack, body, client, context, logger, respond, say) -> None:  # type: ignore[no-untyped-def]
        given = _given(ack, body, client, context, logger, respond, say)
        given["action"] = action = body["actions"][0]
        self.actions.routes[action["action_id"]](given)

    def _view(self, ack, body, client, context, logger, respond, say) -> None:  # type: ignore[no-untyped-def]
        given = _given(ack, body, client, context, logger, respond, say)
        given["view"] = view = body["view"]
        self.views.routes[view["callback_id"]](given)


def _given(ack, body, client, context, logger, respond, say) -> dict:  # type: ignore[no-untyped-def]
    """Bolt's arguments by name, as a handler may ask for them."""
    return {
        "ack": ack,
        "body": body,
        "client": client,
        "context": context,
        "logger": logger,
        "respond": respond,
        "say": say,
    }
