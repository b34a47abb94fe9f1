"""Sender processes (`crewcall worker`) killed mid-broadcast, and several at once."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from bot.console.slack import BOT_TOKEN, FakeSlack
from bot.storage.db import Database
from bot.storage.models import AuditAction, AuditEntry, Delivery, DeliveryStatus
from tests import processes
from tests.crew import make_crew, unsent
from tests.test_notices import announce_to_all, notice_posts

pytestmark = pytest.mark.slow


def start_worker(slack: FakeSlack, database_url: str) -> subprocess.Popen:
    """A `crewcall worker` process, returned once it says it is running."""
    return start_workers(slack, database_url, 1)[0]


def start_workers(slack: FakeSlack, database_url: str, count: int) -> list[subprocess.Popen]:
    """`count` `crewcall worker` processes, started together, returned once each says it
    is running."""
    env = processes.environment(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=database_url,
        LOG_LEVEL="INFO",
        SLACK_MARKETPLACE="true" if slack.limits.marketplace else "false",
    )
    started = []
    for _ in range(count):
        process = processes.start(
            processes.crewcall("worker"), env=env, stderr=subprocess.PIPE, text=True
        )
        # Its log, read as it comes (a full pipe would stop the worker mid-write); a
        # line saying it runs sets `running`.
        process.log = []  # type: ignore[attr-defined]
        process.running = threading.Event()  # type: ignore[attr-defined]
        threading.Thread(target=_read_log, args=(process,), daemon=True).start()
        started.append(process)
    for process in started:
        if not process.running.wait(timeout=30):  # type: ignore[attr-defined]
            stop_all(started)
            raise AssertionError(f"a worker did not start: {''.join(process.log)}")  # type: ignore[attr-defined]
    return started


def _read_log(process: subprocess.Popen) -> None:
    for line in process.stderr:  # type: ignore[union-attr]
        process.log.append(line)  # type: ignore[attr-defined]
        if "worker is running" in line:
            process.running.set()  # type: ignore[attr-defined]


@contextmanager
def workers(slack: FakeSlack, database_url: str, count: int) -> Iterator[list[subprocess.Popen]]:
    started = start_workers(slack, database_url, count)
    try:
        yield started
    finally:
        stop_all(started)


def stop_all(started: list[subprocess.Popen]) -> None:
    """SIGTERM to every process still running, then wait (SIGKILL any that will not stop
    within 20 s), then whatever is left of their process groups."""
    processes.end(started, timeout=20)


def wait_until(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def in_flight(db: Database) -> int:
    with db.readers.begin() as session:
        rows = session.scalars(select(Delivery.status))
        return sum(1 for status in rows if status == DeliveryStatus.SENDING)


def test_a_sender_killed_mid_broadcast_loses_nothing_and_repeats_nothing(
    db: Database, slack: FakeSlack, database_url: str
) -> None:
    crew = make_crew(db, size=500)
    slack.faults.latency = 0.05
    # Each DM the dead sender was posting needs its own history read. As a Marketplace
    # app (Tier 3) those take seconds; once a minute they would take half an hour
    # (recovery at that pace is in tests/test_slack_limits.py).
    slack.limits.marketplace = True
    with workers(slack, database_url, 1) as [first]:
        notice_id = announce_to_all(db, crew)
        wait_until(lambda: sum(notice_posts(slack, notice_id).values()) >= 150, 60, "150 posts")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    claimed_at_kill = in_flight(db)
    posted_at_kill = sum(notice_posts(slack, notice_id).values())

    with workers(slack, database_url, 1):
        wait_until(lambda: unsent(db) == 0, 120, "every delivery to be sent")

    posts = notice_posts(slack, notice_id)
    duplicates = sum(count - 1 for count in posts.values())
    print(
        f"\nkilled at {posted_at_kill} posts with {claimed_at_kill} claimed; "
        f"after restart: {len(posts)} recipients, {duplicates} duplicates"
    )
    assert claimed_at_kill > 0  # the kill did catch deliveries in flight
    assert len(posts) == 501
    assert duplicates == 0
    assert slack.calls_to("conversations.history")  # the new sender looked before reposting


def test_three_senders_share_a_broadcast_and_send_each_delivery_once(
    db: Database, slack: FakeSlack, database_url: str
) -> None:
    crew = make_crew(db, size=1000)
    slack.faults.latency = 0.01
    with workers(slack, database_url, 3):
        notice_id = announce_to_all(db, crew)
        wait_until(lambda: unsent(db) == 0, 120, "every delivery to be sent")

    posts = notice_posts(slack, notice_id)
    assert len(posts) == 1001
    assert set(posts.values()) == {1}
    with db.readers.begin() as session:
        senders = set(
            session.scalars(select(AuditEntry.detail).where(AuditEntry.action == AuditAction.SENT))
        )
    assert len(senders) == 3


def test_sigterm_mid_broadcast_hands_back_claims_and_stops_within_ten_seconds(
    db: Database, slack: FakeSlack, database_url: str
) -> None:
    crew = make_crew(db, size=500)
    slack.faults.latency = 0.3  # slow enough to be mid-broadcast for several seconds
    worker = start_worker(slack, database_url)
    try:
        notice_id = announce_to_all(db, crew)
        wait_until(lambda: sum(notice_posts(slack, notice_id).values()) >= 60, 60, "60 posts")
        asked = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=15)
        took = time.monotonic() - asked
    finally:
        stop_all([worker])
    said = "".join(worker.log)  # type: ignore[attr-defined]
    posted = notice_posts(slack, notice_id)
    sent_lines = [line for line in said.splitlines() if 'msg="delivery sent"' in line]

    assert worker.returncode == 0
    assert took < 10, f"took {took:.1f} s to stop"
    assert "handed back" in said
    assert "leadership released" in said
    assert in_flight(db) == 0  # nothing left claimed by the stopped worker
    assert unsent(db) > 0  # it stopped mid-broadcast, and left the rest for another
    with db.readers.begin() as session:
        sent = list(
            session.scalars(select(Delivery.id).where(Delivery.status == DeliveryStatus.SENT))
        )
    assert len(sent) == sum(posted.values())  # every post made was recorded
    # One structured line per delivery sent, with its ids; never the token.
    assert len(sent_lines) == len(sent)
    assert all(
        f"notice={notice_id} " in line and "delivery=" in line and "production=" in line
        for line in sent_lines
    )
    assert BOT_TOKEN not in said

    with workers(slack, database_url, 1):
        wait_until(lambda: unsent(db) == 0, 120, "every delivery to be sent")
    posts = notice_posts(slack, notice_id)
    assert len(posts) == 501
    assert set(posts.values()) == {1}
