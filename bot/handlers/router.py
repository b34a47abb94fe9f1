"""Every listener, registered in one place: slash commands, button clicks and modal
submissions routed by name in one Bolt middleware; events as Bolt listeners.

Bolt tries its listeners in turn, building every argument it has to ask each one
whether it matches and again to call it (about 10 us each time). Commands, clicks
and submissions are most of what Crewcall answers, and their names say which
handler answers them: the router's middleware runs after Bolt's own (signature
check, authorization, and the rest), looks the handler up by name, and calls it
with just the arguments it takes. Errors go to the app's error handler as a
listener's would. Anything not routed (events, a modal's closing) goes on to
Bolt's listeners.

A handler names the arguments it wants, as it would from Bolt: `ack`, `body`,
`client`, `context`, `logger`, `respond`, `say`, the payload (`command`, `action`
or `view`), and the request's `db`, `deps` and `now`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

Handler = Callable[..., None]
# Bolt's listener arguments, as the request's context builds them.
FROM_BOLT = frozenset(("ack", "client", "logger", "respond", "say"))
# Handed over with the request: its body and context, and its payload by kind.
GIVEN = frozenset(("body", "context", "command", "action", "view"))
# Put on the context by the app for each request.
CONTEXT_ARGUMENTS = frozenset(("db", "deps", "now"))


class Route:
    """A handler and where each argument it takes comes from, read from its signature once."""

    __slots__ = ("handler", "sources")

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        names = tuple(inspect.signature(handler).parameters)
        unknown = set(names) - FROM_BOLT - GIVEN - CONTEXT_ARGUMENTS
        if unknown:
            raise ValueError(f"{handler.__qualname__} takes unknown arguments: {sorted(unknown)}")
        self.sources = tuple((name, _source(name)) for name in names)

    def __call__(self, context: BoltContext, given: dict) -> None:
        """Call the handler with what it names, each built only if named."""
        arguments = {}
        for name, source in self.sources:
            if source == "given":
                arguments[name] = given[name]
            elif source == "context":
                arguments[name] = context[name]
            else:  # Bolt's: built by the context on first use (`ack`, `respond`, ...)
                arguments[name] = getattr(context, name)
        self.handler(**arguments)


def _source(name: str) -> str:
    if name in GIVEN:
        return "given"
    return "context" if name in CONTEXT_ARGUMENTS else "bolt"


class Table:
    """Routes of one kind, by name."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.routes: dict[str, Route] = {}

    def add(self, name: str, handler: Handler) -> None:
        """Route `name` to `handler`; a name routed twice is a mistake."""
        if name in self.routes:
            raise ValueError(f"{self.kind} {name} is registered twice")
        self.routes[name] = Route(handler)


class Router:
    """Each handler module adds its own commands, actions, views and events; `attach`
    puts the routing middleware last among the app's middleware, then the events'
    listeners."""

    def __init__(self) -> None:
        self.commands = Table("command")
        self.actions = Table("action")
        self.views = Table("view")
        self.listeners: list[Callable[[App], None]] = []

    def command(self, name: str, handler: Handler) -> None:
        """Answer the slash command `name` with `handler`."""
        self.commands.add(name, handler)

    def action(self, action_id: str, handler: Handler) -> None:
        """A click on a block element with this action_id."""
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
        """Route through `app`: call after any other `app.use`."""
        app.use(RouteByName(self))
        for listen in self.listeners:
            listen(app)

    def route_for(self, body: dict) -> tuple[Route, dict] | None:
        """The route for a request, and its payload by kind; None if it is not routed here."""
        if name := body.get("command"):
            found, payloads = self.commands.routes.get(name), {"command": body}
        elif body.get("type") == "block_actions" and body.get("actions"):
            action = body["actions"][0]
            found, payloads = self.actions.routes.get(action.get("action_id")), {"action": action}
        elif body.get("type") == "view_submission":
            view = body["view"]
            found, payloads = self.views.routes.get(view.get("callback_id")), {"view": view}
        else:
            return None
        return None if found is None else (found, payloads)


class RouteByName(Middleware):
    """The router as Bolt's last global middleware: routed requests are answered here."""

    def __init__(self, router: Router) -> None:
        self.router = router

    def process(  # type: ignore[override]
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse | None]
    ) -> BoltResponse | None:
        """Hand a routed command, click or submission to its handler; anything else goes on."""
        found = self.router.route_for(req.body)
        if found is None:
            return next()
        route, given = found
        context = req.context
        given["body"] = req.body
        given["context"] = context
        route(context, given)
        if context.ack.response is None:
            raise RuntimeError(f"{route.handler.__qualname__} did not acknowledge the request")
        return context.ack.response
