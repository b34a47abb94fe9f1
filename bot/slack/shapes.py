"""The shapes of what Slack sends to /slack/events, checked before Bolt reads them.

A request signed with the app's secret but of a shape Slack never sends (a JSON body
that is `null` or a list, a button click with no actions, a command without its user)
would reach Bolt or a listener that takes Slack's shape for granted, and end in a 500
with a traceback. It is answered 400 instead, and nothing reads it. Only the fields
the listeners rely on are asked for; anything else Slack adds is let through.
"""

from __future__ import annotations


def event_shape(body: object) -> str | None:
    """Why a JSON body is not an Events API request as Slack sends one, or None."""
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        return "a JSON body that is not an object with a type"
    if body["type"] == "url_verification":
        return (
            None
            if isinstance(body.get("challenge"), str)
            else "a url_verification without challenge"
        )
    if body["type"] == "event_callback":
        event = body.get("event")
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            return "an event_callback whose event is not an object with a type"
        if not all(isinstance(body.get(key), str) for key in ("team_id", "event_id")):
            return "an event_callback without team_id or event_id"
    return None


def command_shape(fields: dict[str, list[str]]) -> str | None:
    """Why form fields are not a slash command (or Slack's check of its certificate, sent
    to command URLs as `ssl_check=1`), or None."""
    if fields.get("ssl_check") == ["1"]:
        return None
    if "command" in fields:
        if not fields["command"][0].startswith("/"):
            return "a command that does not start with /"
        if not all(fields.get(key, [""])[0] for key in ("team_id", "user_id")):
            return "a command without team_id or user_id"
        return None
    return "a form with neither a command nor a payload"


def payload_shape(payload: object) -> str | None:
    """Why an interactive payload (a click, a form) is not as Slack sends one, or None."""
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
        return "a payload that is not an object with a type"
    if not isinstance(payload.get("user"), dict) or not isinstance(payload["user"].get("id"), str):
        return "a payload whose user is not an object with an id"
    check = _PAYLOADS.get(payload["type"])
    return check(payload) if check else None


def _block_actions(payload: dict) -> str | None:
    actions = payload.get("actions")
    if not isinstance(actions, list) or not actions:
        return "a block_actions without actions"
    if not all(isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions):
        return "a block_actions whose actions are not objects with an action_id"
    return None


def _view(payload: dict) -> str | None:
    view = payload.get("view")
    if not isinstance(view, dict) or not isinstance(view.get("callback_id"), str):
        return "a view payload without a view and its callback_id"
    return None


# For each interactive payload type with fields the listeners read, what must be there.
_PAYLOADS = {"block_actions": _block_actions, "view_submission": _view, "view_closed": _view}
