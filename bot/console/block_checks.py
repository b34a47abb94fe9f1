"""What Slack refuses in a message or a view: Block Kit checked with slack_sdk.models
(which knows Slack's text limits: 3000 a section, 150 a header, 75 a button) and
Slack's block-count and text limits."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block, BlockElement
from slack_sdk.models.views import View

MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
MESSAGE_TEXT_LIMIT = 40_000


class InvalidBlocks(ValueError):
    """A payload Slack would reject with invalid_blocks."""


def validate_message(params: dict) -> None:
    """Reject what Slack rejects: bad blocks, too many, blocks without fallback text."""
    blocks = decoded(params.get("blocks"))
    if len(params.get("text", "")) > MESSAGE_TEXT_LIMIT:
        raise InvalidBlocks("text is too long")
    if blocks is None:
        if not params.get("text"):
            raise KeyError("text")
        return
    if not params.get("text"):
        raise InvalidBlocks("messages with blocks need fallback text")
    validate_blocks(blocks, limit=MESSAGE_BLOCK_LIMIT)


def validate_view(view: dict | str) -> dict:
    """The view, if Slack would take it (Block Kit's checks and limits); InvalidBlocks if not."""
    found: dict = decoded(view)
    try:
        View(**found).validate_json()
    except (SlackObjectFormationError, TypeError) as exc:
        raise InvalidBlocks(f"view: {exc}") from None
    validate_blocks(found.get("blocks", []), limit=VIEW_BLOCK_LIMIT)
    return found


def validate_blocks(blocks: list, *, limit: int) -> None:
    """Every block and element parses and passes slack_sdk's checks; Slack's limits hold."""
    if not isinstance(blocks, list) or not blocks:
        raise InvalidBlocks("blocks must be a non-empty list")
    if len(blocks) > limit:
        raise InvalidBlocks(f"{len(blocks)} blocks; at most {limit}")
    for index, raw in enumerate(blocks):
        _parse_and_validate(index, raw, Block.parse)
        for element in _elements(raw):
            _parse_and_validate(index, element, BlockElement.parse)


def _elements(block: dict) -> list[dict]:
    found = list(block.get("elements", []))
    if "accessory" in block:
        found.append(block["accessory"])
    if block.get("type") == "input" and "element" in block:
        found.append(block["element"])
    return [element for element in found if element.get("type") not in ("mrkdwn", "plain_text")]


def _parse_and_validate(index: int, raw: object, parse) -> None:
    parsed = parse(raw) if isinstance(raw, dict) else None
    if parsed is None:
        raise InvalidBlocks(f"block {index}: unknown or malformed {raw!r:.80}")
    try:
        parsed.validate_json()
    except SlackObjectFormationError as exc:
        raise InvalidBlocks(f"block {index}: {exc}") from None


def decoded(value: object) -> Any:
    """A value the Web API got as JSON text, or already decoded."""
    return json.loads(value) if isinstance(value, str | bytes) else value
