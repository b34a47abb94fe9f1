"""Requests as Slack sends them: real payload shapes, signed with the app's signing secret.

Here: slash commands and events. Clicks and modals are in bot/console/interactions.py.

`crewcall console` sends these to the app as its stand-in for Slack does, and the tests
send them through the real endpoint.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import time
from urllib.parse import urlencode

from bot.console.slack import TEAM_ID
from bot.core.mrkdwn import as_slack_sends

SIGNING_SECRET = "crewcall-test-signing-secret"  # noqa: S105 - the stand-in's own
_TRIGGERS = itertools.count(1)


def trigger_id() -> str:
    """A trigger id as Slack makes one: new for every command, click and submission (so no
    two requests are alike, as no two of Slack's are)."""
    return f"{int(time.time())}.{next(_TRIGGERS)}.{secrets.token_hex(10)}"


def signed_headers(
    body: str | bytes, *, secret: str = SIGNING_SECRET, timestamp: int | str | None = None
) -> dict:
    """X-Slack-Signature and X-Slack-Request-Timestamp for `body`, as Slack computes them
    (over whatever `timestamp` is given, for a test of a malformed one)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    raw = body.encode() if isinstance(body, str) else body
    digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + raw, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest.hexdigest()}"}


def slash_command(
    command: str,
    text: str = "",
    *,
    user_id: str = "U0CREW0001",
    channel_id: str = "C0CREWCHAN",
    response_url: str = "https://hooks.slack.invalid/commands/1",
    team_id: str = TEAM_ID,
) -> tuple[str, str]:
    """A slash command invocation: (form-encoded body, content type)."""
    body = urlencode(
        {
            "token": "deprecated-verification-token",
            "team_id": team_id,
            "team_domain": "crew-test",
            "channel_id": channel_id,
            "channel_name": "crew",
            "user_id": user_id,
            "user_name": "crew.member",
            "command": command,
            "text": as_slack_sends(text),
            "api_app_id": "A0CREWCALL",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id(),
        }
    )
    return body, "application/x-www-form-urlencoded"


def event_callback(event: dict, *, event_id: str, team_id: str = TEAM_ID) -> tuple[str, str]:
    """An Events API delivery: (JSON body, content type)."""
    body = json.dumps(
        {
            "token": "deprecated-verification-token",
            "team_id": team_id,
            "api_app_id": "A0CREWCALL",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [
                {"team_id": team_id, "user_id": "U0CREWBOT", "is_bot": True, "enterprise_id": None}
            ],
            "is_ext_shared_channel": False,
        }
    )
    return body, "application/json"


def direct_message(
    text: str,
    *,
    user: str = "U0CREW0001",
    ts: str = "1700000000.000100",
    channel: str = "D0CREW0001",
) -> dict:
    """A message.im event from a person, in their DM with the app."""
    return {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": as_slack_sends(text),
        "ts": ts,
        "event_ts": ts,
        "channel_type": "im",
    }


def home_opened(user_id: str, *, event_id: str, team_id: str = TEAM_ID) -> tuple[str, str]:
    """`app_home_opened`: the user opened the app's Home tab."""
    event = {
        "type": "app_home_opened",
        "user": user_id,
        "channel": "D" + user_id.removeprefix("U"),
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }
    return event_callback(event, event_id=event_id, team_id=team_id)


def file_message(files: list[dict], *, user: str, text: str = "") -> dict:
    """A DM to the bot that shares files (subtype file_share), as the message event has it."""
    return {
        "type": "message",
        "subtype": "file_share",
        "text": text,
        "files": files,
        "upload": False,
        "user": user,
        "display_as_bot": False,
        "ts": f"{time.time():.6f}",
        "channel": "D" + user.removeprefix("U"),
        "event_ts": f"{time.time():.6f}",
        "channel_type": "im",
    }
