"""The router behind every Bolt listener: names routed once, arguments checked at start-up."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse
from slack_sdk import WebClient

from bot.blocks.notices import ACKNOWLEDGE
from bot.console.slack import BOT_TOKEN, FakeSlack
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


def test_requests_are_routed_by_kind_and_name_and_the_rest_go_on_to_bolt() -> None:
    router = routes()
    command = {"command": "/calltime", "text": "tomorrow"}
    click = {"type": "block_actions", "actions": [{"action_id": ACKNOWLEDGE, "value": "7"}]}
    unknown_click = {"type": "block_actions", "actions": [{"action_id": "elsewhere"}]}
    event = {"type": "event_callback", "event": {"type": "app_mention"}}

    assert router.route_for(command) == (router.commands.routes["/calltime"], {"command": command})
    assert router.route_for(click) == (
        router.actions.routes[ACKNOWLEDGE],
        {"action": click["actions"][0]},
    )
    assert router.route_for(unknown_click) is None
    assert router.route_for(event) is None
    assert router.route_for({"command": "/elsewhere"}) is None


def _bolt_app(slack: FakeSlack, router: Router, errors: list[Exception]) -> App:
    """A Bolt app served by `router` alone, its errors kept, its answer Bolt's own."""
    app = App(
        client=WebClient(token=BOT_TOKEN, base_url=slack.api_url),
        request_verification_enabled=False,
        process_before_response=True,
    )

    @app.error
    def kept(error: Exception, response: BoltResponse) -> None:
        errors.append(error)
        response.status, response.body = 200, "Sorry, something went wrong."

    router.attach(app)
    return app


def _command(name: str) -> BoltRequest:
    body = {"command": name, "text": "", "team_id": "T0ROUTER01", "user_id": "U0ROUTER01"}
    return BoltRequest(body=urlencode(body), headers={})


def test_a_routed_handler_gets_only_what_it_names_and_answers_in_its_ack(slack: FakeSlack) -> None:
    router, errors, seen = Router(), [], {}

    def calltime(ack: Ack, command: dict, context: BoltContext) -> None:
        seen.update(command=command["command"], team=context.team_id)
        ack(text="06:30")

    router.command("/calltime", calltime)
    response = _bolt_app(slack, router, errors).dispatch(_command("/calltime"))

    assert (response.status, response.body) == (200, "06:30")
    assert seen == {"command": "/calltime", "team": "T0ROUTER01"}
    assert errors == []


def test_a_routed_handlers_error_goes_to_the_apps_error_handler(slack: FakeSlack) -> None:
    router, errors = Router(), []

    def broken(ack: Ack) -> None:
        raise LookupError("no such day")

    def silent(ack: Ack) -> None:
        """Never acknowledges: Slack would show the person an error."""

    router.command("/broken", broken)
    router.command("/silent", silent)
    app = _bolt_app(slack, router, errors)
    answers = [app.dispatch(_command(name)) for name in ("/broken", "/silent")]

    assert [(a.status, a.body) for a in answers] == [(200, "Sorry, something went wrong.")] * 2
    assert [type(e) for e in errors] == [LookupError, RuntimeError]
    assert "silent did not acknowledge" in str(errors[1])


def test_what_is_not_routed_goes_on_to_bolts_listeners(slack: FakeSlack) -> None:
    router, errors, heard = Router(), [], []
    router.command("/calltime", lambda ack: ack())
    app = _bolt_app(slack, router, errors)

    @app.command("/elsewhere")
    def elsewhere(ack: Ack) -> None:
        heard.append("/elsewhere")
        ack()

    response = app.dispatch(_command("/elsewhere"))

    assert (response.status, heard, errors) == (200, ["/elsewhere"], [])
