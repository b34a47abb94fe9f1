"""Three `crewcall worker` processes plan and send a shoot day for 200 crew: each message once.

The workers run on a fast clock (tests/fast_worker.py): the evening before and the
morning of the shoot pass in well under a minute. Halfway, the leader is killed.
"""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.console.slack import BOT_TOKEN, FakeSlack
from bot.jobs.leader import current_leader
from bot.notices.blocks import METADATA_TYPE
from bot.storage.db import Database
from bot.storage.models import (
    Call,
    CallKind,
    Delivery,
    DeliveryStatus,
    Department,
    Notice,
    NoticeKind,
    ShootDay,
)
from tests import processes
from tests.crew import CHANNEL, Crew, make_crew
from tests.test_sender_processes import stop_all, wait_until

pytestmark = pytest.mark.slow

# 17:50 in London on the evening before the shoot; a simulated minute every 50 ms.
START = dt.datetime(2026, 10, 20, 16, 50, tzinfo=dt.UTC)
SPEED = 1200.0
ROOT = Path(__file__).resolve().parent.parent


def shoot_day(db: Database, crew: Crew) -> None:
    """Wed 21 Oct: general call 07:00; Camera an hour early, Grip 06:15, Sound at 06:30."""
    with db.transaction() as session:
        day = ShootDay(
            production_id=crew.production_id,
            date=dt.date(2026, 10, 21),
            day_number=1,
            general_call=7 * 60,
            shooting_call=8 * 60,
            wrap=19 * 60,
            location_name="Hollis Farm",
        )
        session.add(day)
        session.flush()
        departments = {
            d.name: d.id
            for d in session.scalars(
                select(Department).where(Department.production_id == crew.production_id)
            )
        }
        for name, kind, minutes in (
            ("Camera", CallKind.OFFSET, -60),
            ("Grip", CallKind.OFFSET, -45),
            ("Sound", CallKind.CLOCK, 6 * 60 + 30),
        ):
            session.add(
                Call(
                    shoot_day_id=day.id, department_id=departments[name], kind=kind, minutes=minutes
                )
            )


def start_workers(
    slack: FakeSlack, database_url: str, logs: Path, count: int
) -> list[subprocess.Popen]:
    """`count` fast-clock workers, started together, each logging to its own file under
    `logs`; returned once each says it is running, with simulated time then set going."""
    env = processes.environment(
        SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=slack.api_url, DATABASE_URL=database_url
    )
    go = logs / "go"
    started = []
    for n in range(count):
        log = logs / f"worker-{n}.log"
        with log.open("w") as stderr:
            process = processes.start(
                [sys.executable, "-m", "tests.fast_worker", START.isoformat(), str(go), str(SPEED)],
                env=env,
                stderr=stderr,
            )
        started.append((process, log))
    for process, log in started:
        if not _comes_up(process, log):
            stop_all([p for p, _ in started])
            raise AssertionError(f"a worker did not start: {log.read_text()}")
    go.write_text(f"{time.time()}\n")  # simulated time starts once all are up
    return [process for process, _ in started]


def _comes_up(process: subprocess.Popen, log: Path) -> bool:
    """Whether the worker says it is running within 30 s (False as soon as it exits)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if "worker is running" in log.read_text():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.05)
    return False


@contextmanager
def workers(
    slack: FakeSlack, database_url: str, logs: Path, count: int
) -> Iterator[list[subprocess.Popen]]:
    started = start_workers(slack, database_url, logs, count)
    try:
        yield started
    finally:
        stop_all(started)


def leader_pid(db: Database) -> int | None:
    """The process id of the worker holding this schema's planning lock (tests in other
    schemas may have leaders of their own), from its name: host:pid:..."""
    name = current_leader(db)
    return int(name.split(":")[1]) if name else None


def claims_of_the_living(db: Database, dead: int | None) -> int:
    """Deliveries being posted by workers other than `dead` (claimed_by is host:pid:...)."""
    with db.readers.begin() as session:
        claimants = session.scalars(
            select(Delivery.claimed_by).where(Delivery.status == DeliveryStatus.SENDING)
        )
        return sum(1 for name in claimants if name and int(name.split(":")[1]) != dead)


def posts(db: Database, slack: FakeSlack) -> Counter:
    """Posts by (notice kind, channel, delivery, send), from the messages' metadata."""
    with db.readers.begin() as session:
        kinds = {
            notice_id: kind for notice_id, kind in session.execute(select(Notice.id, Notice.kind))
        }
    found: Counter = Counter()
    for channel, messages in list(slack.messages.items()):
        for message in list(messages):
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == METADATA_TYPE:
                payload = metadata["event_payload"]
                kind = kinds.get(payload["notice"])
                found[(kind, channel, payload["delivery"], payload["send"])] += 1
    return found


def posted_to(found: Counter, kind: NoticeKind) -> Counter:
    return Counter(channel for (k, channel, _, _) in found if k == kind)


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True
)
def test_three_workers_send_a_shoot_day_once_and_survive_losing_their_leader(
    db: Database, slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    crew = make_crew(db, size=200)
    shoot_day(db, crew)
    people = len(crew.everyone) + 1  # and the coordinator
    with workers(slack, database_url, tmp_path, 3) as processes:
        wait_until(
            lambda: posted_to(posts(db, slack), NoticeKind.CALLSHEET)[CHANNEL], 30, "the call sheet"
        )
        leader = leader_pid(db)
        assert leader in {p.pid for p in processes}
        next(p for p in processes if p.pid == leader).send_signal(signal.SIGKILL)
        wait_until(lambda: leader_pid(db) not in (None, leader), 30, "a new leader")
        wait_until(
            lambda: len(posted_to(posts(db, slack), NoticeKind.REMINDER)) == people,
            90,
            "every reminder",
        )
        wait_until(
            lambda: len(posted_to(posts(db, slack), NoticeKind.CALLSHEET)) == people + 1,
            30,
            "every call sheet",
        )
        # Once no live worker has a post under way, any post made twice has been made.
        # (The dead leader's claims wait out the lease, then a history read a minute.)
        wait_until(lambda: not claims_of_the_living(db, leader), 30, "posts under way")

    found = posts(db, slack)
    assert set(found.values()) == {1}  # no post made twice
    sheets = posted_to(found, NoticeKind.CALLSHEET)
    reminders = posted_to(found, NoticeKind.REMINDER)
    assert len(sheets) == people + 1  # and the crew channel
    assert set(sheets.values()) == {1}
    assert len(reminders) == people
    assert set(reminders.values()) == {1}  # one reminder each
    with db.readers.begin() as session:
        notices = Counter(session.scalars(select(Notice.kind)))
    assert notices[NoticeKind.CALLSHEET] == 1
