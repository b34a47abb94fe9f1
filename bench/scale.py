"""Benchmark for scaling out (issue 12): schedule changes broadcast and acknowledged per
minute, with 1, 2 and 3 workers, Slack answering every call in 50 ms.

For each worker count: a fresh 300-crew production; one web process (HTTP mode, no
scheduler) and that many `crewcall worker` processes. Ten schedule changes are
previewed and sent through the web process, one after another; every person told
acknowledges their DM (through the web process, 20 at a time) as soon as it has
arrived. The clock stops when every delivery is sent and every acknowledgement is in.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import time
from collections.abc import Callable

from sqlalchemy import func, select

from bench.changes import _change_id
from bench.load import each_once, http_request
from bench.production import user_id
from bot.console.slack import FakeSlack
from bot.storage.db import Database
from bot.storage.models import Delivery, DeliveryStatus, Notice, NoticeKind
from tests.slack_requests import block_action, send_signed, signed_headers, slash_command

CHANGES = 10
LATENCY = 0.05


def run(
    *,
    workers: int,
    port: int,
    database_url: str,
    slack: FakeSlack,
    start_worker: Callable[[], subprocess.Popen],
    today: dt.date,
) -> dict:
    """One measurement: changes sent, posts made, acknowledgements, and seconds taken."""
    slack.faults.latency = LATENCY
    processes = [start_worker() for _ in range(workers)]
    db = Database(database_url, pool_size=2)
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        started = time.perf_counter()
        for number in range(1, CHANGES + 1):
            date = today + dt.timedelta(days=number)
            text = f"{date.isoformat()} call 06:{number + 10:02d}"
            preview = send_signed(
                url,
                slash_command(
                    "/schedule-change", text, user_id=user_id(0), channel_id="C0BENCH001"
                ),
            )
            send_signed(
                url,
                block_action(
                    "schedule_change_send",
                    str(_change_id(preview.json())),
                    user_id=user_id(0),
                    channel_id="C0BENCH001",
                    response_url=slack.response_url(f"send-{workers}-{number}"),
                ),
            )
        acknowledged = _acknowledge_as_delivered(db, port, slack, workers=workers)
        seconds = time.perf_counter() - started
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
    posts = _sent(db)
    db.dispose()
    return {
        "workers": workers,
        "changes": CHANGES,
        "posts": posts,
        "acknowledged": acknowledged,
        "seconds": seconds,
    }


def _acknowledge_as_delivered(db: Database, port: int, slack: FakeSlack, *, workers: int) -> int:
    """Click Acknowledge for each DM once it is sent, until all are sent and acknowledged."""
    clicked: set[int] = set()
    while True:
        with db.readers.begin() as session:
            rows = session.execute(
                select(Delivery.id, Delivery.notice_id, Delivery.slack_user_id, Delivery.status)
                .join(Notice, Notice.id == Delivery.notice_id)
                .where(Notice.kind == NoticeKind.SCHEDULE_CHANGE)
            ).all()
        waiting = [r for r in rows if r.status != DeliveryStatus.SENT]
        ready = [r for r in rows if r.status == DeliveryStatus.SENT and r.slack_user_id]
        todo = [r for r in ready if r.id not in clicked]
        if todo:
            requests = []
            for row in todo:
                body, kind = block_action(
                    "acknowledge",
                    str(row.notice_id),
                    user_id=row.slack_user_id,
                    channel_id="D" + row.slack_user_id[1:],
                    response_url=slack.response_url(f"ack-{workers}-{row.id}"),
                )
                headers = {"Content-Type": kind, **signed_headers(body)}
                requests.append(
                    http_request("127.0.0.1", port, "/slack/events", body.encode(), headers)
                )
            asyncio.run(_each_once(port, requests))
            clicked.update(row.id for row in todo)
        elif not waiting and rows:
            return _acknowledged(db)
        else:
            time.sleep(0.05)


async def _each_once(port: int, requests: list[bytes]) -> None:
    await each_once("127.0.0.1", port, requests, clients=20)


def _sent(db: Database) -> int:
    with db.readers.begin() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(Delivery)
                .where(Delivery.status == DeliveryStatus.SENT)
            )
            or 0
        )


def _acknowledged(db: Database) -> int:
    with db.readers.begin() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(Delivery)
                .where(Delivery.acknowledged_at.is_not(None))
            )
            or 0
        )


def report(results: list[dict], *, backend: str) -> None:
    print(f"\n## scale-out: {CHANGES} schedule changes to 300 crew; Slack answers in "
          f"{LATENCY * 1000:.0f} ms; {backend}\n")  # fmt: skip
    print("| workers | posts | acknowledged | seconds | changes per minute | posts per second |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['workers']} | {r['posts']} | {r['acknowledged']} | {r['seconds']:.1f} "
            f"| {r['changes'] / r['seconds'] * 60:.1f} | {r['posts'] / r['seconds']:.0f} |"
        )
