"""The fake Slack rejects what Slack rejects, so tests that pass through it mean something."""

from __future__ import annotations

import pytest

from bot.console.block_checks import InvalidBlocks, validate_blocks, validate_message


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _button(label: str) -> dict:
    return {"type": "button", "text": {"type": "plain_text", "text": label}, "action_id": "ack"}


@pytest.mark.parametrize(
    ("blocks", "complaint"),
    [
        ([], "non-empty"),
        ([{"type": "no_such_block"}], "unknown or malformed"),
        ([{"type": "section"}], "text or fields"),
        ([_section("x" * 3001)], "3000"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}], "150"),
        ([{"type": "actions", "elements": [_button("x" * 76)]}], "75"),
        ([{"type": "actions", "elements": [{"type": "no_such_element"}]}], "unknown or malformed"),
        ([_section("ok")] * 51, "at most 50"),
    ],
)
def test_invalid_blocks_are_rejected(blocks: list, complaint: str) -> None:
    with pytest.raises(InvalidBlocks, match=complaint):
        validate_blocks(blocks, limit=50)


def test_valid_blocks_pass() -> None:
    validate_blocks(
        [_section("x" * 3000), {"type": "actions", "elements": [_button("x" * 75)]}], limit=50
    )


def test_blocks_without_fallback_text_are_rejected() -> None:
    with pytest.raises(InvalidBlocks, match="fallback text"):
        validate_message({"channel": "C1", "blocks": [_section("hi")]})
