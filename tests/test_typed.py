"""What crew and coordinators type, from tests/fixtures/typed/phrases.tsv, through the real
endpoint: names and departments as typed, typos with a suggestion, dates in the same words
from every command, and the questions crew ask a coordinator in a day."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot.console.slack import FakeSlack
from bot.core.mrkdwn import as_slack_sends
from bot.storage.db import Database
from tests.conftest import FakeClock
from tests.hollis import CHANNEL, COORDINATOR, FIRST_AC, import_hollis
from tests.slack_requests import event_callback, send_signed, shown, slash_command

PHRASES = Path(__file__).with_name("fixtures") / "typed" / "phrases.tsv"
WHO = {"ada": FIRST_AC, "maya": COORDINATOR}
NOW = dt.datetime(2026, 10, 20, 12, 0, tzinfo=dt.UTC)  # 13:00 in London, day 2


@pytest.fixture
def hollis(db: Database) -> Database:
    import_hollis(db)
    return db


def phrases() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in PHRASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            surface, who, typed, seen = line.split("\t")
            rows.append((surface, who, typed, seen.replace("\\n", "\n")))
    return rows


def said(events_url: str, slack: FakeSlack, surface: str, user: str, typed: str) -> str:
    """What the person sees in answer to `typed`, as a command or in their DM."""
    if surface.startswith("/"):
        reply = send_signed(
            events_url, slash_command(surface, typed, user_id=user, channel_id=CHANNEL)
        )
        assert reply.status == 200
        return shown(reply.json())
    channel = "D" + user.removeprefix("U")
    before = len(slack.posted(channel))
    event = {"type": "message", "channel": channel, "user": user, "text": as_slack_sends(typed),
             "ts": f"1800000000.{before:06d}", "channel_type": "im"}  # fmt: skip
    reply = send_signed(events_url, event_callback(event, event_id=f"Ev{user}{before}"))
    assert reply.status == 200
    [answer] = slack.posted(channel)[before:]
    return "\n".join(b["text"]["text"] for b in answer["blocks"] if "text" in b) or json.dumps(
        answer
    )


@pytest.mark.usefixtures("hollis")
@pytest.mark.parametrize(("surface", "who", "typed", "seen"), phrases())
def test_what_people_type_and_what_they_see(
    events_url: str,
    slack: FakeSlack,
    clock: FakeClock,
    surface: str,
    who: str,
    typed: str,
    seen: str,
) -> None:
    clock.now = NOW

    answer = said(events_url, slack, surface, WHO[who], typed)

    # Slack shows mrkdwn's escapes as the characters they stand for.
    assert seen in answer.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
