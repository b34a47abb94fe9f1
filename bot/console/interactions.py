"""What people do with the app's blocks, as Slack sends it: clicks on buttons in messages
and the Home tab, and modals submitted or closed (each a form-encoded `payload=`)."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from bot.console.payloads import trigger_id
from bot.console.slack import TEAM_ID


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
        **_sent_by(user_id, team_id),
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        },
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": "directmessage" if channel_id[0] == "D" else "crew"},
        "message": {"type": "message", "ts": message_ts, "text": "notice", "user": "U0CREWBOT"},
        "response_url": response_url,
        "actions": [
            _button(action_id, value, block_id, text={"type": "plain_text", "text": "Acknowledge"})
        ],
    }
    return _form(payload)


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
        **_sent_by(user_id, team_id),
        "view": shown,
        "enterprise": None,
        "is_enterprise_install": False,
    }
    if kind == "view_submission":
        payload["response_urls"] = []
    else:
        payload["is_cleared"] = False
    return _form(payload)


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


def home_action(
    action_id: str, value: str, *, user_id: str, view: dict, team_id: str = TEAM_ID
) -> tuple[str, str]:
    """A click on a button in the Home tab: no channel, no response_url, the view itself."""
    payload = {
        "type": "block_actions",
        **_sent_by(user_id, team_id),
        "container": {"type": "view", "view_id": "V0HOME0001"},
        "view": {**view, "id": "V0HOME0001", "team_id": team_id},
        "actions": [_button(action_id, value, "home")],
    }
    return _form(payload)


def _sent_by(user_id: str, team_id: str) -> dict:
    """What every interaction payload says of who, in which workspace, from which app."""
    person = {"id": user_id, "username": "crew.member", "name": "crew.member", "team_id": team_id}
    return {
        "user": person,
        "team": {"id": team_id, "domain": "crew-test"},
        "api_app_id": "A0CREWCALL",
        "token": "deprecated-verification-token",
        "trigger_id": trigger_id(),
    }


def _button(action_id: str, value: str, block_id: str, **more: object) -> dict:
    """The button clicked, as block_actions lists it."""
    return {
        "action_id": action_id,
        "block_id": block_id,
        "value": value,
        "type": "button",
        "action_ts": f"{time.time():.6f}",
        **more,
    }


def _form(payload: dict) -> tuple[str, str]:
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
