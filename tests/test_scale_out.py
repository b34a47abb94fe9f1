"""Two web processes and three workers on one PostgreSQL database.

Schedule changes are previewed and sent through both web processes, and people
acknowledge them through both, while a worker and then the scheduling leader are
killed. Every delivery must arrive exactly once, and every acknowledgement be kept.
"""

from __future__ import annotations

import datetime as dt
import itertools
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import clock
from bot.console.slack import FakeSlack
from bot.storage.db import Database
from bot.storage.models import Delivery, DeliveryStatus, Notice, NoticeKind, ShootDay
from tests import processes
from tests.crew import CHANNEL, COORDINATOR, Crew, dm_of, make_crew, unsent
from tests.slack_requests import block_action, send_signed, slash_command
from tests.test_notices import notice_posts
from tests.test_process import start_http, wait_healthy
from tests.test_sender_processes import start_workers, stop_all, wait_until
from tests.test_worker_processes import leader_pid

pytestmark = pytest.mark.slow
# From the day after tomorrow in the production's zone, whatever day the test runs on (and
# whatever CLOCK_OFFSET moves every process's clock to): the web processes refuse a change
# to a day that has passed.
FIRST_DAY = clock.now().astimezone(ZoneInfo("Europe/London")).date() + dt.timedelta(days=2)
DAYS = [FIRST_DAY + dt.timedelta(days=n) for n in range(6)]


@contextmanager
def web_processes(slack: FakeSlack, database_url: str, count: int) -> Iterator[list[str]]:
    """`count` separate HTTP-mode servers (no scheduler); their base URLs."""
    started: list[tuple[str, subprocess.Popen]] = []
    try:
        for _ in range(count):
            started.append(
                start_http(
                    slack,
                    database_url,
                    "--no-scheduler",
                    healthy=False,
                    WEB_CONCURRENCY="1",
                )
            )
        for base, process in started:  # started together, then each waited for
            wait_healthy(base, process)
        yield [base for base, _ in started]
    finally:
        processes.end(process for _, process in started)


def shoot_days(db: Database, crew: Crew) -> None:
    with db.transaction() as session:
        for number, date in enumerate(DAYS, start=1):
            session.add(
                ShootDay(
                    production_id=crew.production_id,
                    date=date,
                    day_number=number,
                    general_call=7 * 60,
                    wrap=19 * 60,
                    location_name="Hollis Farm",
                )
            )


def change_through(base: str, slack: FakeSlack, date: dt.date, key: str) -> None:
    """Preview a general-call move on `base`, then press Send there."""
    preview = send_signed(
        f"{base}/slack/events",
        slash_command(
            "/schedule-change",
            f"{date.isoformat()} call 06:30",
            user_id=COORDINATOR,
            channel_id=CHANNEL,
        ),
    ).json()
    [actions] = [block for block in preview["blocks"] if block["type"] == "actions"]
    change_id = actions["elements"][0]["value"]
    sent = send_signed(
        f"{base}/slack/events",
        block_action(
            "schedule_change_send",
            change_id,
            user_id=COORDINATOR,
            channel_id=CHANNEL,
            response_url=slack.response_url(key),
        ),
    )
    assert sent.status == 200


def acknowledge_through(base: str, slack: FakeSlack, notice_id: int, user: str) -> None:
    reply = send_signed(
        f"{base}/slack/events",
        block_action(
            "acknowledge",
            str(notice_id),
            user_id=user,
            channel_id=dm_of(user),
            response_url=slack.response_url(f"ack-{notice_id}-{user}"),
        ),
    )
    assert reply.status == 200


def change_notices(db: Database) -> list[int]:
    with db.readers.begin() as session:
        return list(
            session.scalars(
                select(Notice.id)
                .where(Notice.kind == NoticeKind.SCHEDULE_CHANGE)
                .order_by(Notice.id)
            )
        )


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True
)
def test_two_web_processes_and_three_workers_lose_nothing_and_repeat_nothing(
    db: Database, slack: FakeSlack, database_url: str
) -> None:
    crew = make_crew(db, size=120)
    shoot_days(db, crew)
    # Slow enough that the kills below come while deliveries are still waiting.
    slack.faults.latency = 0.25
    # Each DM a killed worker was posting needs its own history read: as a Marketplace
    # app, seconds; once a minute, far longer than this test (see test_slack_limits).
    slack.limits.marketplace = True
    acknowledged: set[tuple[int, str]] = set()
    with web_processes(slack, database_url, 2) as webs:
        workers = start_workers(slack, database_url, 3)
        try:
            wait_until(lambda: leader_pid(db) is not None, 30, "a leader")
            web = itertools.cycle(webs)
            for n, date in enumerate(DAYS[:3]):
                change_through(next(web), slack, date, f"send-{n}")
            # Mid-broadcast: a worker dies, then the leader.
            waiting_at_kill = unsent(db)
            leader = leader_pid(db)
            other = next(p for p in workers if p.pid != leader)
            other.send_signal(signal.SIGKILL)
            next(p for p in workers if p.pid == leader).send_signal(signal.SIGKILL)
            for n, date in enumerate(DAYS[3:], start=3):
                change_through(next(web), slack, date, f"send-{n}")
            notices = change_notices(db)
            assert len(notices) == 6
            # Everyone in every third place acknowledges every change, through both webs.
            wait_until(lambda: sum(notice_posts(slack, notices[0]).values()) > 60, 60, "posts")
            for notice_id in notices:
                for user in crew.everyone[::3]:
                    acknowledge_through(next(web), slack, notice_id, user)
                    acknowledged.add((notice_id, user))
            # Nothing waits and nothing is claimed: no sender has a post left to make, so
            # any post made twice has been made.
            wait_until(lambda: unsent(db) == 0, 120, "every delivery to be sent")
        finally:
            stop_all(workers)

    assert waiting_at_kill > 0  # the kills did come mid-broadcast
    for notice_id in notices:
        posts = notice_posts(slack, notice_id)
        # Each person (the crew, not the coordinator who sent it), and the crew channel.
        assert len(posts) == len(crew.everyone) + 1
        assert set(posts.values()) == {1}  # none twice
    with db.readers.begin() as session:
        rows = session.execute(
            select(Delivery.notice_id, Delivery.slack_user_id, Delivery.status).where(
                Delivery.notice_id.in_(notices), Delivery.acknowledged_at.is_not(None)
            )
        ).all()
        statuses = set(
            session.scalars(select(Delivery.status).where(Delivery.notice_id.in_(notices)))
        )
    assert {(notice_id, user) for notice_id, user, _ in rows} == acknowledged
    assert statuses == {DeliveryStatus.SENT}
