"""Structured log lines: a request's, a job's; Slack tokens and secrets never written."""

from __future__ import annotations

import logging

import pytest

from bot.console.slack import BOT_TOKEN
from bot.core.logs import FIELDS, LogfmtFormatter, fields
from tests.slack_requests import SIGNING_SECRET, send_signed, slash_command


def line(message: str, *, secrets: tuple[str, ...] = (), **values: object) -> str:
    record = logging.LogRecord("bot.test", logging.INFO, __file__, 1, message, (), None)
    for key, value in fields(**values).items():
        setattr(record, key, value)
    return LogfmtFormatter(secrets).format(record)


def test_fields_follow_the_message_as_key_value_pairs() -> None:
    written = line("delivery sent", production=1, notice=4, delivery=17, note='say "hi"')

    assert written.endswith(
        'level=INFO logger=bot.test msg="delivery sent" production=1 notice=4 delivery=17 '
        'note="say \\"hi\\""'
    )


@pytest.mark.parametrize(
    "token",
    [BOT_TOKEN, "xoxp-1-2-3-abc", "xapp-1-A0-123-abc", "xoxe.xoxb-1-abc", "xoxe-1-refresh"],
)
def test_slack_tokens_are_masked_wherever_they_appear(token: str) -> None:
    written = line(f"calling with {token}", header=f"Bearer {token}")

    assert token not in written
    assert "-***" in written


def test_the_signing_secret_is_masked() -> None:
    written = line(f"secret is {SIGNING_SECRET}", secrets=(SIGNING_SECRET,))

    assert SIGNING_SECRET not in written
    assert "secret is ***" in written


def test_one_line_per_request_with_what_it_was(
    events_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.slack.app")

    send_signed(events_url, slash_command("/crewcall", "help", user_id="U0CREW0001"))

    [request] = [r for r in caplog.records if r.getMessage() == "request"]
    logged = getattr(request, FIELDS)
    assert logged["kind"] == "command"
    assert logged["name"] == "/crewcall"
    assert logged["user"] == "U0CREW0001"
    assert logged["status"] == 200
    assert logged["ms"] >= 0
