"""Input that used to crash a command gets a clear refusal and changes nothing (issue 22).

Unicode digits, dates past any calendar's end, ids too big for the database, NUL
characters, tampered buttons and form metadata, and very long texts: each reaches the
signed endpoint as Slack would send it, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import logging
import time

import pytest
from sqlalchemy import func, select

from bot.changes.preview import CANCEL, SEND
from bot.console.interactions import block_action, view_submission
from bot.console.slack import FakeSlack
from bot.imports.blocks import IMPORT
from bot.notices.acks_blocks import EXPORT, NUDGE
from bot.notices.blocks import ACKNOWLEDGE
from bot.rentals.blocks import ADD_FORM
from bot.script.blocks import CONFIRM
from bot.storage.db import Database
from bot.storage.models import AuditEntry, Delivery, Notice, Rental, ScheduleChange
from tests.crew import dm_of
from tests.hollis import COORDINATOR, FIRST_AC, import_hollis
from tests.slack_requests import send_signed, shown, slash_command

SORRY = "something went wrong"
HUGE_IDS = ["9" * 30, str(2**31), str(2**63), "-1", "0", "²", "①", "٣", "1e3", " 7", ""]


@pytest.fixture
def hollis(db: Database) -> Database:
    import_hollis(db)
    return db


def counts(db: Database) -> tuple[int, ...]:
    """What a refusal must leave as it was."""
    with db.readers() as session:
        acknowledged = select(func.count()).where(Delivery.acknowledged_at.is_not(None))
        return (
            *(
                session.scalar(select(func.count()).select_from(model))
                for model in (Notice, Delivery, Rental, AuditEntry, ScheduleChange)
            ),
            session.scalar(acknowledged),
        )


def no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def answer_to(events_url: str, command: str, text: str, user: str = COORDINATOR) -> str:
    reply = send_signed(
        events_url, slash_command(command, text, user_id=user, channel_id=dm_of(user))
    )
    assert reply.status == 200, reply.body
    said = shown(reply.json())
    assert said
    assert SORRY not in said.lower()
    return said


@pytest.mark.parametrize(
    ("command", "text", "expected"),
    [
        ("/rentals", "show ²", "number"),
        ("/rentals", "show ①", "number"),
        ("/rentals", f"show {'9' * 30}", "number"),
        ("/rentals", f"show {2**31}", "number"),
        ("/rentals", f"return {2**63}", "number"),
        ("/acks", f"{2**63}", ""),
        ("/acks", "①", ""),
        ("/calltime", "9999-12-31", "date"),
        ("/calltime", "10000-01-01", "date"),
        ("/calltime", "0001-01-01", "date"),
        ("/calltime", "day ²", ""),
        ("/calltime", "day 99999999999999999999999", ""),
        ("/callsheet", "31/12/99999", ""),
        ("/schedule-change", "9999-12-31 call 07:00", ""),
        ("/schedule-change", "day ³ call 07:00", ""),
        ("/schedule-change", "day 1 call \uff12\uff15:\uff10\uff10", ""),
        ("/script", "new pages ¹²", ""),
    ],
)
def test_odd_numbers_and_dates_get_a_clear_refusal(
    hollis: Database,
    events_url: str,
    caplog: pytest.LogCaptureFixture,
    command: str,
    text: str,
    expected: str,
) -> None:
    before = counts(hollis)
    said = answer_to(events_url, command, text)
    assert expected in said.lower()
    assert counts(hollis) == before
    no_traceback(caplog)


@pytest.mark.parametrize(
    "text", ["tomorrow\x00", "\x00", "announce hi\x00there", "day 1 camera\x00"]
)
def test_nul_characters_are_refused_before_anything_reads_them(
    hollis: Database, events_url: str, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    before = counts(hollis)
    command = "/crewcall" if text.startswith("announce") else "/calltime"
    said = answer_to(events_url, command, text)
    assert "character" in said.lower()
    assert counts(hollis) == before
    no_traceback(caplog)


@pytest.mark.parametrize("action", [ACKNOWLEDGE, SEND, CANCEL, NUDGE, EXPORT, CONFIRM, IMPORT])
@pytest.mark.parametrize("value", [*HUGE_IDS, "{}", '{"notice": "x"}', "null", "[1]"])
def test_tampered_button_values_change_nothing(
    hollis: Database,
    events_url: str,
    slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    action: str,
    value: str,
) -> None:
    before = counts(hollis)
    key = f"{action}-{len(slack.responses)}"
    payload = block_action(
        action,
        value,
        user_id=COORDINATOR,
        channel_id=dm_of(COORDINATOR),
        response_url=slack.response_url(key),
    )
    reply = send_signed(events_url, payload)
    assert reply.status == 200, reply.body
    for answer in slack.responses_to(key, count=1, timeout=3):
        assert SORRY not in json.dumps(answer).lower()
    assert counts(hollis) == before
    no_traceback(caplog)


@pytest.mark.parametrize(
    "metadata", ["", "x", "{}", '{"production": "²"}', json.dumps({"production": 2**63}), "[]"]
)
def test_tampered_form_metadata_is_refused(
    hollis: Database, events_url: str, caplog: pytest.LogCaptureFixture, metadata: str
) -> None:
    before = counts(hollis)
    view = {"id": "V0FORM", "callback_id": ADD_FORM, "private_metadata": metadata, "blocks": []}
    reply = send_signed(events_url, view_submission(view, {}, user_id=COORDINATOR))
    assert reply.status == 200, reply.body
    if reply.body:
        answer = reply.json()
        assert SORRY not in json.dumps(answer).lower()
        # Refused beside a field, or the form replaced by why.
        refused = answer.get("response_action") == "errors" or "open it again" in json.dumps(answer)
        assert refused, answer
    assert counts(hollis) == before
    no_traceback(caplog)


def test_a_40000_character_calltime_is_answered_quickly_and_echoed_short(
    hollis: Database, events_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    answer_to(events_url, "/calltime", "tomorrow")  # warm: the first answer loads the schedule
    for text in ("x" * 40_000, "day 1 " * 6_600, "<@U0AAA> " * 4_400, "1" * 40_000):
        started = time.perf_counter()
        said = answer_to(events_url, "/calltime", text, user=FIRST_AC)
        took = time.perf_counter() - started
        assert took < 1.0, f"{took:.2f} s for {text[:12]!r}…"
        assert len(said) < 1_000
    no_traceback(caplog)
