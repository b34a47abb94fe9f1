"""The router behind every Bolt listener: names routed once, arguments checked at start-up."""

from __future__ import annotations

import pytest
from slack_bolt import Ack

from bot.blocks.notices import ACKNOWLEDGE
from bot.handlers import routes
from bot.handlers.router import Router
from bot.manifest import build_manifest


def test_every_command_in_the_manifest_is_routed() -> None:
    manifest = {c["command"] for c in build_manifest()["features"]["slash_commands"]}

    assert set(routes().commands.routes) == manifest


def test_the_acknowledge_button_is_routed() -> None:
    assert ACKNOWLEDGE in routes().actions.routes


def test_a_name_routed_twice_is_refused_at_start_up() -> None:
    router = Router()
    router.action("crewcall_send", lambda ack: None)

    with pytest.raises(ValueError, match="action crewcall_send is registered twice"):
        router.action("crewcall_send", lambda ack: None)


def test_a_handler_asking_for_an_argument_nobody_gives_is_refused_at_start_up() -> None:
    def handler(ack: Ack, usr: dict) -> None:
        """`usr` is a typo: Bolt would hand it None at the first click."""

    with pytest.raises(ValueError, match=r"takes unknown arguments: \['usr'\]"):
        Router().view("crewcall_form", handler)


def test_the_pattern_matches_exactly_the_names_added() -> None:
    router = Router()
    router.command("/calltime", lambda ack: None)
    router.command("/call.sheet", lambda ack: None)
    pattern = router.commands.pattern()

    assert pattern.match("/calltime")
    assert pattern.match("/call.sheet")
    assert not pattern.match("/calltimex")
    assert not pattern.match("/call-sheet")
