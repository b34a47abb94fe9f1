"""Requests as Slack sends them: real payload shapes, signed with the app's signing secret.

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

SIGNING_SECRET = "crewcall-test-signing-secret"  # noqa: S105 - the stand-in's own
_TRIGGERS = itertools.count(1)


def trigger_id() -> str:
    """A trigger id as Slack makes one: new for every command, click and submission (so no
    two requests are alike, as no two of Slack's are)."""
    return f"{int(time.time())}.{next(_TRIGGERS)}.{secrets.token_hex(10)}"


def signed_headers(
    body: str | bytes, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict:
    """X-Slack-Signature and X-Slack-Request-Timestamp for `body`, as Slack computes them."""
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
            "text": text,
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


def block_action(
    action_id: str,
    value: str,
    *,
    user_id: str,
    channel_id: str,
    response_url: str,
    message_ts: str = "1700000000.000100",
    team_id: str = TEAM_ID,
    block_id: str = "notice",
) -> tuple[str, str]:
    """A click on a button in a message: (form-encoded `payload=` body, content type)."""
    payload = {
        "type": "block_actions",
        "user": {
            "id": user_id,
            "username": "crew.member",
            "name": "crew.member",
            "team_id": team_id,
        },
        "api_app_id": "A0CREWCALL",
        "token": "deprecated-verification-token",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        },
        "trigger_id": trigger_id(),
        "team": {"id": team_id, "domain": "crew-test"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": "directmessage" if channel_id[0] == "D" else "crew"},
        "message": {"type": "message", "ts": message_ts, "text": "notice", "user": "U0CREWBOT"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "text": {"type": "plain_text", "text": "Acknowledge"},
                "value": value,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"


def view_submission(
    view: dict, values: dict, *, user_id: str, team_id: str = TEAM_ID
) -> tuple[str, str]:
    """A modal's submit button: `view` as the app sent it, with the state Slack filled in."""
    return _view_payload("view_submission", view, values, user_id=user_id, team_id=team_id)


def view_closed(view: dict, *, user_id: str, team_id: str = TEAM_ID) -> tuple[str, str]:
    """A modal's close button, for a view sent with notify_on_close."""
    return _view_payload("view_closed", view, {}, user_id=user_id, team_id=team_id)


def _view_payload(
    kind: str, view: dict, values: dict, *, user_id: str, team_id: str
) -> tuple[str, str]:
    shown = {
        "id": "V0CREWVIEW",
        "team_id": team_id,
        "type": "modal",
        "private_metadata": "",
        "callback_id": "",
        "hash": "1700000000.abcdef",
        "previous_view_id": None,
        "root_view_id": "V0CREWVIEW",
        "app_id": "A0CREWCALL",
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": "B0CREWBOT",
        **view,
        "state": {"values": values},
    }
    payload = {
        "type": kind,
        "team": {"id": team_id, "domain": "crew-test"},
        "user": {
            "id": user_id,
            "username": "crew.member",
            "name": "crew.member",
            "team_id": team_id,
        },
        "api_app_id": "A0CREWCALL",
        "token": "deprecated-verification-token",
        "trigger_id": trigger_id(),
        "view": shown,
        "enterprise": None,
        "is_enterprise_install": False,
    }
    if kind == "view_submission":
        payload["response_urls"] = []
    else:
        payload["is_cleared"] = False
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"


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
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "im",
    }


STATE_KEYS = {
    "plain_text_input": "value",
    "number_input": "value",
    "timepicker": "selected_time",
    "datepicker": "selected_date",
    "conversations_select": "selected_conversation",
}
INITIAL_KEYS = {
    "plain_text_input": "initial_value",
    "number_input": "initial_value",
    "timepicker": "initial_time",
    "datepicker": "initial_date",
    "conversations_select": "initial_conversation",
}


def modal_state(view: dict, **changes: str) -> dict:
    """The state Slack submits for a modal: every input as the view filled it in, with
    `changes` typed over it (by block id)."""
    values = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        kind = element["type"]
        if kind == "checkboxes":
            ticked = changes.get(block["block_id"])
            chosen = [{"value": ticked}] if ticked else element.get("initial_options", [])
            state = {"type": kind, "selected_options": chosen}
        elif kind == "static_select":
            chosen = changes.get(block["block_id"], element.get("initial_option", {}).get("value"))
            state = {"type": kind, "selected_option": {"value": chosen} if chosen else None}
        else:
            value = changes.get(block["block_id"], element.get(INITIAL_KEYS[kind]))
            state = {"type": kind, STATE_KEYS[kind]: value}
        values[block["block_id"]] = {element["action_id"]: state}
    return values


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


def home_action(
    action_id: str, value: str, *, user_id: str, view: dict, team_id: str = TEAM_ID
) -> tuple[str, str]:
    """A click on a button in the Home tab: no channel, no response_url, the view itself."""
    payload = {
        "type": "block_actions",
        "user": {"id": user_id, "username": "crew.member", "team_id": team_id},
        "api_app_id": "A0CREWCALL",
        "token": "deprecated-verification-token",
        "container": {"type": "view", "view_id": "V0HOME0001"},
        "trigger_id": trigger_id(),
        "team": {"id": team_id, "domain": "crew-test"},
        "view": {**view, "id": "V0HOME0001", "team_id": team_id},
        "actions": [
            {
                "action_id": action_id,
                "block_id": "home",
                "value": value,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"


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
