"""Every listener is registered with Bolt itself, once, and asks only for what it is given."""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Callable

from slack_bolt.kwargs_injection.args import Args

from bot.notices.blocks import ACKNOWLEDGE
from bot.slack import listeners
from bot.slack.manifest import build_manifest

# What Bolt hands a listener: its own arguments, and what the app puts on each
# request's context (bot/slack/app.py).
BOLT_ARGUMENTS = frozenset(inspect.signature(Args.__init__).parameters) - {"self", "kwargs"}
CONTEXT_ARGUMENTS = frozenset(("db", "deps", "now"))


class Registered:
    """Stands in for the Bolt App in `register`, keeping each listener by kind and name."""

    def __init__(self) -> None:
        self.listeners: list[tuple[str, object, Callable]] = []

    def _kind(self, kind: str) -> Callable:
        def constraint(name: object) -> Callable[[Callable], Callable]:
            def keep(listener: Callable) -> Callable:
                self.listeners.append((kind, name, listener))
                return listener

            return keep

        return constraint

    def __getattr__(self, kind: str) -> Callable:
        if kind not in ("command", "action", "view", "view_closed", "event"):
            raise AttributeError(kind)
        return self._kind(kind)

    def names(self, kind: str) -> list:
        return [name for k, name, _ in self.listeners if k == kind]


def _registered() -> Registered:
    registered = Registered()
    listeners.register(registered)  # type: ignore[arg-type]
    return registered


def test_every_command_in_the_manifest_has_a_listener() -> None:
    manifest = {c["command"] for c in build_manifest()["features"]["slash_commands"]}

    assert set(_registered().names("command")) == manifest


def test_no_command_click_or_submission_has_two_listeners() -> None:
    registered = _registered()
    names = Counter((kind, name) for kind, name, _ in registered.listeners if kind != "event")

    assert [key for key, count in names.items() if count > 1] == []
    assert ACKNOWLEDGE in registered.names("action")


def test_every_listener_asks_only_for_what_bolt_and_the_app_give() -> None:
    """Bolt hands an argument it does not know None (a typo would fail at the first click)."""
    unknown = {
        listener.__qualname__: sorted(
            set(inspect.signature(listener).parameters) - BOLT_ARGUMENTS - CONTEXT_ARGUMENTS
        )
        for _, _, listener in _registered().listeners
    }

    assert {name: args for name, args in unknown.items() if args} == {}


def test_no_listener_takes_keyword_only_arguments() -> None:
    """Bolt reads a listener's positional parameters only: it would pass nothing to `*, ack`."""
    keyword_only = [
        listener.__qualname__
        for _, _, listener in _registered().listeners
        if any(p.kind is p.KEYWORD_ONLY for p in inspect.signature(listener).parameters.values())
    ]

    assert keyword_only == []


def test_a_dm_carrying_a_file_is_heard_before_any_other_dm() -> None:
    events = _registered().names("event")
    file_share = events.index({"type": "message", "channel_type": "im", "subtype": "file_share"})

    assert file_share < events.index({"type": "message", "channel_type": "im", "subtype": None})
    assert events[-2:] == ["file_shared", "message"]
