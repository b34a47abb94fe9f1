"""Every kind of message Crewcall sends, as `crewcall console` prints it, kept under
tests/fixtures/golden/ (issue 23): a change of layout is a diff a reviewer reads.

The fixture production (Hollis Farm) is run through the real app, endpoint, planner,
follow-ups and sender, on a clock set by the test; each message is rendered by the
console's renderer and compared with its file. `CREWCALL_GOLDEN=update` rewrites the
files (and fails, so that the new text is looked at before it is kept).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import os
import re
import zoneinfo
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.console.render import blocks_text
from bot.console.slack import FakeSlack
from bot.planning.planner import Planner
from bot.rentals.check import check_rentals
from bot.storage.db import Database
from bot.storage.models import Notice, NoticeKind, Production
from tests.conftest import FakeClock
from tests.crew import dm_of
from tests.hollis import CHANNEL, COORDINATOR, FIRST_AC, FIXTURES, OPERATOR, SOUND_MIXER
from tests.slack_requests import (
    direct_message,
    event_callback,
    send_signed,
    slash_command,
)
from tests.test_home import open_home
from tests.test_notices import click
from tests.test_right_call import hollis, nudges_at, settle  # noqa: F401 (a fixture)
from tests.test_schedule_change import change_and_send

GOLDEN = Path(__file__).with_name("fixtures") / "golden"
LONDON = zoneinfo.ZoneInfo("Europe/London")
CAMERA_HEAD = "U0HF0007"
EVENING_BEFORE_DAY_3 = dt.datetime(2026, 10, 20, 18, 0, tzinfo=LONDON)
# A message's permalink names the moment Slack posted it: the same message, another ts.
_PERMALINK_TS = re.compile(r"/p\d{16}")


def names() -> dict[str, str]:
    """Slack ids as the console shows them: people by name, the crew channel by its name."""
    with (FIXTURES / "crew.csv").open(encoding="utf-8-sig") as file:
        found = {row["Slack ID"]: row["Name"] for row in csv.DictReader(file) if row["Slack ID"]}
    return {**found, CHANNEL: "hollis-crew"}


def rendered(message: dict) -> str:
    """A message (or a view) as the console prints it."""
    known = names()
    blocks = message.get("blocks") or []
    lines = blocks_text(blocks, lambda slack_id: known.get(slack_id, slack_id))
    text = "\n".join(lines) if blocks else message.get("text", "")
    return _PERMALINK_TS.sub("/p…", text) + "\n"


def command(events_url: str, name: str, text: str = "", *, user: str = COORDINATOR) -> dict:
    reply = send_signed(events_url, slash_command(name, text, user_id=user, channel_id=CHANNEL))
    assert reply.status == 200
    return reply.json()


def dm_reply(events_url: str, slack: FakeSlack, text: str, *, user: str) -> dict:
    """What Crewcall answers in its DM with `user` to `text`."""
    before = len(slack.posted(dm_of(user)))
    event = direct_message(text, user=user, channel=dm_of(user))
    assert (
        send_signed(events_url, event_callback(event, event_id=f"Ev{before}{user}")).status == 200
    )
    return slack.posted(dm_of(user))[before]


def latest(slack: FakeSlack, channel: str, marker: str) -> dict:
    """The newest message in `channel` whose fallback text contains `marker`."""
    posted = slack.posted(channel)
    for message in reversed(posted):
        if marker in message.get("text", ""):
            return copy.deepcopy(message)  # as it reads now; a later update changes it
    raise AssertionError(f"no {marker!r} in {channel}: {[m.get('text') for m in posted]}")


def messages(db: Database, slack: FakeSlack, events_url: str, clock: FakeClock) -> dict[str, dict]:
    """Every kind of message, produced as crew and coordinators meet them, by golden name."""
    found: dict[str, dict] = {}
    clock.now = dt.datetime(2026, 10, 20, 12, 0, tzinfo=LONDON).astimezone(dt.UTC)
    found["calltime"] = command(events_url, "/calltime", "day 3", user=OPERATOR)
    found["calltime-department"] = command(events_url, "/calltime", "day 3 sound")
    found["callsheet"] = command(events_url, "/callsheet", "day 3", user=OPERATOR)
    found["refused"] = command(events_url, "/calltime", "on the 32nd of octember", user=OPERATOR)
    found["thanks"] = dm_reply(events_url, slack, "thanks!", user=OPERATOR)
    found["not-understood"] = dm_reply(events_url, slack, "hmu", user=OPERATOR)
    found["question"] = dm_reply(events_url, slack, "what's my call on wednesday?", user=OPERATOR)

    # The evening call sheet, in the channel and in a DM; Home once it is out.
    clock.now = EVENING_BEFORE_DAY_3.astimezone(dt.UTC)
    Planner(db).run(now=clock.now)
    settle(db, slack, clock.now)
    found["callsheet-channel"] = latest(slack, CHANNEL, "Call sheet")
    found["callsheet-dm"] = latest(slack, dm_of(OPERATOR), "Call sheet")
    found["home"] = open_home(events_url, slack, OPERATOR)

    # A schedule change for the same day: preview, channel post, DM; the call sheet it replaces.
    preview, _ = change_and_send(
        events_url, slack, "day 3 camera 05:30 --urgent -- lens tests moved up"
    )
    found["schedule-change-preview"] = preview
    settle(db, slack, clock.now)
    found["schedule-change-channel"] = latest(slack, CHANNEL, "Schedule change")
    found["schedule-change-dm"] = latest(slack, dm_of(FIRST_AC), "Schedule change")
    found["out-of-date"] = latest(slack, dm_of(FIRST_AC), "Out of date")
    with db.readers.begin() as session:
        change = session.scalar(select(Notice.id).where(Notice.kind == NoticeKind.SCHEDULE_CHANGE))
    # The DM's new look goes to the click's response_url, where Slack replaces the message.
    found["acknowledged-dm"] = click(events_url, slack, change, FIRST_AC)[-1]
    settle(db, slack, clock.now)
    found["acks"] = command(events_url, "/acks", str(change))
    found["acks-all"] = command(events_url, "/acks", f"{change} all")

    # Nudges, then the escalation to a head who has not acknowledged either.
    # (Urgent: followed up through the quiet hours that start at 22:00.)
    for minutes in range(60, 300, 60):
        nudges_at(db, slack, clock.now + dt.timedelta(minutes=minutes))
    found["nudge"] = latest(slack, dm_of(OPERATOR), "Reminder")
    found["escalation"] = latest(slack, dm_of(COORDINATOR), "Not acknowledged")
    found["escalation-head"] = latest(slack, dm_of(SOUND_MIXER), "Not acknowledged")

    # The morning reminder before day 3's call.
    clock.now = dt.datetime(2026, 10, 21, 4, 15, tzinfo=LONDON).astimezone(dt.UTC)
    Planner(db).run(now=clock.now)
    settle(db, slack, clock.now)
    found["morning-reminder"] = latest(slack, dm_of(OPERATOR), "Reminder · ")

    # Script pages, an announcement, rentals.
    command(events_url, "/script", "new pages 12, 14-16 scenes 14, 15 -- new ending")
    settle(db, slack, clock.now)
    found["script-dm"] = latest(slack, dm_of(OPERATOR), "Script revision")
    found["script-missing"] = command(events_url, "/script", "missing")
    command(events_url, "/crewcall", "announce Wrap party Friday 20:00 at the Crown & Anchor")
    settle(db, slack, clock.now)
    found["announcement-dm"] = latest(slack, dm_of(OPERATOR), "Announcement")
    command(
        events_url,
        "/rentals",
        'add "Alexa Mini LF kit" vendor Panavision dept camera out 2026-10-19 due 2026-10-22 '
        "rate £850/day po 4411 qty 2",
    )
    found["rentals"] = command(events_url, "/rentals", "list")
    with db.transaction() as session:
        production = session.scalar(select(Production))
        check_rentals(session, production, clock.now.astimezone(LONDON).date(), clock.now)
    settle(db, slack, clock.now)
    found["rental-due-dm"] = latest(slack, dm_of(CAMERA_HEAD), "Rentals due")
    return found


KINDS = (
    "calltime", "calltime-department", "callsheet", "refused", "thanks", "not-understood",
    "question", "callsheet-channel", "callsheet-dm", "home", "schedule-change-preview",
    "schedule-change-channel", "schedule-change-dm", "out-of-date", "acknowledged-dm", "acks",
    "acks-all", "nudge", "escalation", "escalation-head", "morning-reminder", "script-dm",
    "script-missing", "announcement-dm", "rentals", "rental-due-dm",
)  # fmt: skip


@pytest.mark.usefixtures("hollis")
def test_every_message_reads_as_its_golden_file(
    db: Database, slack: FakeSlack, events_url: str, clock: FakeClock
) -> None:
    found = messages(db, slack, events_url, clock)
    assert set(found) == set(KINDS)
    differ = []
    for kind in KINDS:
        path = GOLDEN / f"{kind}.txt"
        text = rendered(found[kind])
        if os.environ.get("CREWCALL_GOLDEN") == "update":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            differ.append(kind)
    if os.environ.get("CREWCALL_GOLDEN") == "update":
        pytest.fail(f"golden files rewritten in {GOLDEN}: review `git diff`, then run again")
    assert not differ, (
        f"these messages no longer read as tests/fixtures/golden/ has them: {differ}; "
        "if the new layout is meant, run with CREWCALL_GOLDEN=update and review the diff"
    )
