"""The fake Slack rejects what Slack rejects, so tests that pass through it mean something."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.console.block_checks import InvalidBlocks, validate_blocks, validate_message
from bot.console.slack import BOT_TOKEN, FakeSlack


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


def test_a_response_url_replaces_or_deletes_the_message_it_came_from() -> None:
    """As Slack's do: a click's response_url acts on the message the click came from."""
    with FakeSlack() as slack:
        client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)
        first = client.chat_postMessage(channel="U0CREW0001", text="old", blocks=[_section("old")])
        second = client.chat_postMessage(channel="U0CREW0001", text="two", blocks=[_section("2")])
        dm = first["channel"]
        replace = slack.response_url("r", message=(dm, first["ts"]))
        delete = slack.response_url("d", message=(dm, second["ts"]))
        elsewhere = slack.response_url("e")  # from no message: recorded only

        WebhookClient(replace).send(text="new", blocks=[_section("new")], replace_original=True)
        WebhookClient(delete).send_dict({"delete_original": True})
        WebhookClient(elsewhere).send(text="ephemeral", response_type="ephemeral")

        [kept] = slack.posted(dm)
        assert (kept["ts"], kept["text"], kept["blocks"]) == (first["ts"], "new", [_section("new")])
        assert [r["text"] for r in slack.responses["e"]] == ["ephemeral"]
