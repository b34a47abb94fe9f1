"""What a button click or a form submission carries, read without trusting it.

Slack signs the request, not what is in it: a button's value and a modal's
private_metadata are ours only if nobody edited them on the way. Each reader here
answers a clear UserError for anything we would not have written.
"""

from __future__ import annotations

import json

from bot.core.errors import UserError

TAMPERED_BUTTON = "That button doesn't come from Crewcall as it was sent; ask for a fresh one."
TAMPERED_FORM = "That form doesn't come from Crewcall as it was sent; open it again."


def clicked_by(body: dict) -> dict[str, str]:
    """Who clicked a button or submitted a form: team_id (the workspace the payload came
    from) and user_id, the two things every check of their rights needs."""
    user = body["user"]
    team = (body.get("team") or {}).get("id") or user["team_id"]
    return {"team_id": team, "user_id": user["id"]}


def button_value(body: dict) -> str:
    """The clicked button's value ("" when it has none)."""
    return str(body["actions"][0].get("value") or "")


def button_fields(body: dict, *names: str) -> dict:
    """A button value we wrote as a JSON object, with every one of `names` in it."""
    return _fields(button_value(body), names, TAMPERED_BUTTON)


def view_metadata(view: dict, *names: str) -> dict:
    """A modal's private_metadata as we wrote it, with every one of `names` in it."""
    return _fields(view.get("private_metadata") or "{}", names, TAMPERED_FORM)


def _fields(text: str, names: tuple[str, ...], refusal: str) -> dict:
    try:
        fields = json.loads(text)
    except ValueError:
        raise UserError(refusal) from None
    if not isinstance(fields, dict) or any(name not in fields for name in names):
        raise UserError(refusal)
    return fields
