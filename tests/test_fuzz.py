"""Generated commands and clicks through the signed HTTP endpoint (issue 22).

Hypothesis writes command texts from Crewcall's own words, numbers in every script,
mentions, Slack markup, NUL and very long runs, and clicks carrying any value on every
button, as a crew member and as a coordinator would send them. For each: never a 5xx,
never a traceback logged, never "something went wrong", an answer within Slack's 3 s,
and nothing refused changes the database.

The normal suite tries FUZZ_EXAMPLES (default 150) of each on SQLite and PostgreSQL;
`FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py` is the longer run.
"""

from __future__ import annotations

import json
import logging
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.changes.preview import CANCEL, SEND
from bot.console.interactions import block_action
from bot.console.slack import FakeSlack
from bot.home.blocks import START_ANNOUNCE, START_CHANGE, START_SCRIPT
from bot.imports.blocks import CANCEL as UPLOAD_CANCEL
from bot.imports.blocks import IMPORT
from bot.notices.acks_blocks import EXPORT, NUDGE
from bot.notices.blocks import ACKNOWLEDGE
from bot.script.blocks import CANCEL as SCRIPT_CANCEL
from bot.script.blocks import CONFIRM
from bot.storage.db import Database
from bot.storage.models import (
    AuditEntry,
    Call,
    CrewMember,
    Delivery,
    Notice,
    Rental,
    ScheduleChange,
    ScriptRevision,
    ShootDay,
)
from tests.crew import dm_of
from tests.hollis import CHANNEL, COORDINATOR, FIRST_AC, import_hollis
from tests.slack_requests import send_signed, shown, slash_command

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
DEADLINE_S = 3.0
SORRY = "something went wrong"

COMMANDS = [
    "/calltime",
    "/callsheet",
    "/rentals",
    "/acks",
    "/script",
    "/schedule-change",
    "/crewcall",
]
WORDS = [
    "day", "call", "wrap", "tomorrow", "today", "fri", "fryday", "next", "week", "camera",
    "hmu", "grips", "show", "return", "list", "add", "due", "rate", "new", "pages", "latest",
    "nudge", "use", "setup", "announce", "calendar", "help", "--", "@jonah", "Jonah Pike",
    "<!channel>", "<@U0HF0009>", "<@U0HF0009|ada>", "<#C0HF0001|crew>", "&amp;",
    "<https://x.example|x>", "57, 58A", "Sc 57", "06:30", "25:00", "6:30pm", "2026-10-21",
    "9999-12-31", "31/12/99999", "²", "①", "٣", "\uff11\uff12", "\x00", "\u202e", "😀",
    "'", '"', "\\", "%", "+1", "-1", "0",
]  # fmt: skip
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["²", "①", "٣", "\uff11\uff12", "1e9", "0x10", "", " ", "NaN", "1.5"]),
)
TEXTS = st.one_of(
    st.lists(st.one_of(st.sampled_from(WORDS), NUMBERS), max_size=12).map(" ".join),
    st.text(max_size=200),
    st.builds(lambda word, times: word * times, st.sampled_from(WORDS), st.integers(1, 5000)),
)
BUTTONS = [ACKNOWLEDGE, SEND, CANCEL, NUDGE, EXPORT, CONFIRM, SCRIPT_CANCEL, IMPORT, UPLOAD_CANCEL]
BUTTONS += [START_ANNOUNCE, START_CHANGE, START_SCRIPT]
VALUES = st.one_of(
    NUMBERS,
    st.text(max_size=60),
    st.dictionaries(st.sampled_from(["production", "id", "kind", "notice", "file"]), NUMBERS).map(
        json.dumps
    ),
)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def hollis(db: Database) -> Database:
    import_hollis(db)
    return db


def state(db: Database) -> tuple:
    """Everything a refused command or click must leave as it was."""
    with db.readers() as session:
        counted = tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (AuditEntry, Call, CrewMember, Notice, Rental, ScheduleChange)
        )
        counted += tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (ScriptRevision, ShootDay)
        )
        acknowledged = session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.acknowledged_at.is_not(None))
        )
        return (*counted, acknowledged)


def answered_well(started: float, status: int, said: str, caplog: pytest.LogCaptureFixture) -> None:
    assert status < 500
    assert time.perf_counter() - started < DEADLINE_S
    assert SORRY not in said.lower()
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def test_crew_commands_answer_and_change_nothing(
    hollis: Database, events_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    before = state(hollis)

    @FUZZ
    @given(command=st.sampled_from(COMMANDS), text=TEXTS, in_channel=st.booleans())
    def crew_member_types(command: str, text: str, in_channel: bool) -> None:
        channel = CHANNEL if in_channel else dm_of(FIRST_AC)
        started = time.perf_counter()
        reply = send_signed(
            events_url, slash_command(command, text, user_id=FIRST_AC, channel_id=channel)
        )
        said = shown(reply.json()) if reply.body and reply.status == 200 else reply.body.decode()
        answered_well(started, reply.status, said, caplog)
        # A crew member can read, choose a production and ask for a feed, but change
        # nothing a schedule, a notice, a rental or an acknowledgement is made of.
        assert state(hollis) == before

    crew_member_types()


def test_clicks_with_any_value_answer_and_change_nothing(
    hollis: Database, events_url: str, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    before = state(hollis)
    sent = iter(range(10**9))

    @FUZZ
    @given(
        action=st.sampled_from(BUTTONS),
        value=VALUES,
        user=st.sampled_from([FIRST_AC, COORDINATOR, "U0NOBODY1"]),
        team=st.sampled_from(["T0CREW001", "T0ELSEWHERE"]),
    )
    def someone_clicks(action: str, value: str, user: str, team: str) -> None:
        key = f"click-{next(sent)}"
        payload = block_action(
            action,
            value,
            user_id=user,
            channel_id=dm_of(user),
            response_url=slack.response_url(key),
            team_id=team,
        )
        started = time.perf_counter()
        reply = send_signed(events_url, payload)
        answered_well(started, reply.status, reply.body.decode(errors="replace"), caplog)
        # No notice, change, upload or revision exists: there is nothing to act on.
        assert state(hollis) == before
        for answer in slack.responses.get(key, []):
            assert SORRY not in json.dumps(answer).lower()

    someone_clicks()
