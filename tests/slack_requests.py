"""HTTP helpers for the tests: signed requests to the real endpoint, and their answers.

The payloads themselves are bot/console/payloads.py's and interactions.py's (shared with
`crewcall console`).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from bot.console.block_checks import validate_blocks
from bot.console.interactions import (
    block_action,
    home_action,
    modal_state,
    view_closed,
    view_submission,
)
from bot.console.payloads import (
    SIGNING_SECRET,
    direct_message,
    event_callback,
    file_message,
    home_opened,
    signed_headers,
    slash_command,
)

__all__ = [
    "SIGNING_SECRET",
    "Reply",
    "block_action",
    "direct_message",
    "event_callback",
    "file_message",
    "get",
    "home_action",
    "home_opened",
    "modal_state",
    "post",
    "send_signed",
    "shown",
    "signed_headers",
    "slash_command",
    "view_closed",
    "view_submission",
]


@dataclass
class Reply:
    """An HTTP answer from the bot."""

    status: int
    body: bytes
    headers: dict

    def json(self) -> dict:
        return json.loads(self.body)


def shown(answer: dict) -> str:
    """Every text a person reads in an ephemeral answer, once its blocks pass Slack's checks."""
    assert answer.get("response_type") == "ephemeral"
    if "blocks" not in answer:
        return answer["text"]
    validate_blocks(answer["blocks"], limit=50)
    parts = []
    for block in answer["blocks"]:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts.extend(field["text"] for field in block.get("fields", []))
        for element in block.get("elements", []):
            text = element.get("text")
            parts.append(text["text"] if isinstance(text, dict) else text or "")
    return "\n".join(parts)


def post(url: str, body: str | bytes, content_type: str, headers: dict | None = None) -> Reply:
    """POST `body` to the bot and return its answer, errors included."""
    request = urllib.request.Request(  # noqa: S310 - the bot under test on 127.0.0.1
        url,
        data=body.encode() if isinstance(body, str) else body,
        method="POST",
        headers={"Content-Type": content_type, **(headers or {})},
    )
    return _send(request)


def get(url: str, *, headers: dict | None = None) -> Reply:
    """GET `url` from the bot."""
    return _send(urllib.request.Request(url, headers=headers or {}))  # noqa: S310 - the bot


def send_signed(events_url: str, payload: tuple[str, str], **header_overrides: str) -> Reply:
    """Sign `payload` as Slack does and POST it to the events URL."""
    body, content_type = payload
    headers = signed_headers(body)
    headers.update(header_overrides)
    return post(events_url, body, content_type, headers)


def _send(request: urllib.request.Request) -> Reply:
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return Reply(answer.status, answer.read(), dict(answer.headers))
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read(), dict(error.headers))
