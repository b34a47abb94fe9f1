"""Benchmark for /schedule-change (issue 5): the preview, and Send, one change at a time.

On the 300-crew, 60-day production, the coordinator moves each day's general crew call
(which moves every call written as an offset, and the general call itself: about four
in five of the crew). Each change is previewed (`/schedule-change <date> call HH:MM`,
which saves a proposal) and then sent (the Send button: the day is saved and a notice
with a delivery per affected person is written). Both are answered inside Slack's
3 seconds; the figures say by how much.
"""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import func, select

from bench.load import Result
from bench.production import user_id
from bot.console.slack import FakeSlack
from bot.storage.db import Database
from bot.storage.models import Delivery, Notice
from tests.slack_requests import block_action, send_signed, slash_command


def changes(
    port: int, database_url: str, slack: FakeSlack, *, days: int, today: dt.date
) -> tuple[Result, Result, float]:
    """Preview and Send a general-call move on each day; latencies, and people told per Send."""
    url = f"http://127.0.0.1:{port}/slack/events"
    preview, send = Result(), Result()
    started = time.perf_counter()
    for number in range(1, days + 1):
        date = today + dt.timedelta(days=number)
        text = f"{date.isoformat()} call 06:{number % 50 + 5:02d}"
        body = slash_command("/schedule-change", text, user_id=user_id(0), channel_id="C0BENCH001")
        begun = time.perf_counter()
        reply = send_signed(url, body)
        preview.latencies.append(time.perf_counter() - begun)
        if reply.status != 200 or "actions" not in reply.body.decode():
            preview.errors += 1
            continue
        change_id = _change_id(reply.json())
        click = block_action(
            "schedule_change_send",
            str(change_id),
            user_id=user_id(0),
            channel_id="C0BENCH001",
            response_url=slack.response_url(f"send-{number}"),
        )
        begun = time.perf_counter()
        answer = send_signed(url, click)
        send.latencies.append(time.perf_counter() - begun)
        send.errors += answer.status != 200
    preview.seconds = send.seconds = time.perf_counter() - started
    return preview, send, _people_per_notice(database_url)


def report(preview: Result, send: Result, people: float, *, days: int) -> None:
    """The table RESULTS.md keeps."""
    print(f"\n## schedule-change: {days} changes, one at a time, ~{people:.0f} people told each\n")
    print("| step | p50 ms | p99 ms | max ms | errors |")
    print("|---|---|---|---|---|")
    for name, result in (("preview (/schedule-change)", preview), ("Send click", send)):
        print(
            f"| {name} | {result.percentile(0.5) * 1000:.1f} | "
            f"{result.percentile(0.99) * 1000:.1f} | {max(result.latencies) * 1000:.1f} | "
            f"{result.errors} |"
        )


def _change_id(answer: dict) -> int:
    actions = next(block for block in answer["blocks"] if block["type"] == "actions")
    return int(actions["elements"][0]["value"])


def _people_per_notice(database_url: str) -> float:
    db = Database(database_url, pool_size=1)
    try:
        with db.readers.begin() as session:
            notices = session.scalar(select(func.count()).select_from(Notice)) or 1
            people = session.scalar(
                select(func.count()).where(Delivery.crew_member_id.is_not(None))
            )
        return people / notices
    finally:
        db.dispose()
