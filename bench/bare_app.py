"""The yardstick: a bare Bolt app whose one command and one action only ack, as WSGI."""

from __future__ import annotations

import os
import re

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient


def create(process_before_response: str = "true") -> SlackRequestHandler:
    """gunicorn 'bench.bare_app:create()' — Bolt at its fastest unless told otherwise."""
    app = App(
        client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=process_before_response == "true",
    )

    @app.command(re.compile(".*"))
    def only_ack(ack) -> None:  # type: ignore[no-untyped-def]
        ack()

    @app.action(re.compile(".*"))
    def only_ack_click(ack) -> None:  # type: ignore[no-untyped-def]
        ack()

    return SlackRequestHandler(app)
