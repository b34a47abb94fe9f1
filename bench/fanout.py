"""Benchmark for fan-out (issue 31, item 11): a schedule change's DMs to 300 people.

The coordinator moves the general crew call of one day on a 300-crew production, and
Send writes the notice: a delivery per affected person and one for the crew channel,
each DM written from the schedule when it is posted. The sender then posts them to the
stand-in Slack, which answers every call after LATENCY_S. Three senders take the same
change in one run, each on a fresh copy of the same database:

- one call at a time: the sequential floor, 50 ms a DM;
- the sender at `--baseline` (by default the commit before item 11), from a checkout
  of its own made with `git archive`;
- the sender now.

Each sender runs in a process of its own, as `crewcall worker` does: the stand-in
Slack's threads are this process's, and sharing a GIL with them would slow the
sender's own thread in a way no deployment does.

Each run counts Web API calls per DM and the most posts any channel got in a second.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
CREW = 300
LATENCY_S = 0.05
# The commit before item 11's sender, and its posts in flight.
BEFORE = "eef802a"
BEFORE_CONCURRENCY = 16


def prepare(url: str, folder: Path, today: dt.date) -> int:
    """The production and one sent change, in the empty database at `url`; how many
    deliveries the change made."""
    from bench.production import user_id, write_production
    from bot.changes.proposals import propose, send_change
    from bot.changes.syntax import parse_quick
    from bot.console.slack import TEAM_ID
    from bot.core.productions import create_production
    from bot.core.schedule import load_schedule
    from bot.imports.run import import_file
    from bot.storage.db import Database
    from bot.storage.migrate import upgrade
    from bot.storage.models import Delivery

    db = Database(url, pool_size=2)
    upgrade(db.engine)
    files = write_production(folder, crew=CREW, days=3, today=today)
    now = dt.datetime.now(dt.UTC)
    with db.transaction() as session:
        production = create_production(
            session, team_id=TEAM_ID, name="Fan-out", slug="fanout", timezone="Europe/London",
            channel="C0BENCH001", coordinators=[user_id(0)],
        )  # fmt: skip
        for kind in ("crew", "schedule", "calls"):
            import_file(session, production=production, kind=kind, data=files[kind].read_bytes())
        production_id = production.id
    with db.transaction() as session:
        schedule = load_schedule(session, production_id=production_id)
        day = today + dt.timedelta(days=2)
        change = parse_quick(schedule, f"{day.isoformat()} call 06:30", today=today)
        proposal = propose(session, schedule, change, author=user_id(0), now=now)
    with db.transaction() as session:
        send_change(session, change_id=proposal.id, team_id=TEAM_ID, user_id=user_id(0), now=now)
    with db.readers() as session:
        deliveries = session.scalar(select(func.count()).select_from(Delivery))
    db.dispose()
    return deliveries


def drain(url: str, api_url: str, concurrency: int) -> float:
    """Seconds for a sender of `concurrency` to post every due delivery (in this process)."""
    from slack_sdk import WebClient

    from bot.console.slack import BOT_TOKEN
    from bot.jobs.sender import Sender
    from bot.storage.db import Database
    from bot.storage.models import Delivery, DeliveryStatus

    db = Database(url, pool_size=concurrency + 4)
    client = WebClient(token=BOT_TOKEN, base_url=api_url, timeout=5)
    sender = Sender(db, client, concurrency=concurrency)

    def unsent() -> int:
        with db.readers() as session:
            waiting = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
            return session.scalar(select(func.count()).where(Delivery.status.in_(waiting)))

    started = time.perf_counter()
    while unsent():
        sender.run(now=dt.datetime.now(dt.UTC), budget=600)
    took = time.perf_counter() - started
    sender.close()
    db.dispose()
    return took


def main() -> None:
    """python -m bench.fanout [--baseline REV] [--postgres URL]: the three senders side by
    side, on SQLite or in schemas of their own on PostgreSQL."""
    from bot.console.slack import FakeSlack
    from bot.runtime import SENDER_CONCURRENCY

    baseline = sys.argv[sys.argv.index("--baseline") + 1] if "--baseline" in sys.argv else BEFORE
    postgres = sys.argv[sys.argv.index("--postgres") + 1] if "--postgres" in sys.argv else None
    today = dt.datetime.now(dt.UTC).date()
    with tempfile.TemporaryDirectory() as scratch, FakeSlack() as slack:
        folder = Path(scratch)
        rows = []
        for n, (name, revision, concurrency) in enumerate(
            (
                ("one call at a time", None, 1),
                (f"sender at {baseline[:7]}", baseline, BEFORE_CONCURRENCY),
                ("sender now", None, SENDER_CONCURRENCY),
            )
        ):
            with _fresh_database(folder, n, postgres) as url:
                deliveries = prepare(url, folder, today)
                slack.faults.latency = LATENCY_S
                before = len(slack.calls)
                slack.limits._buckets.clear()  # each sender meets Slack's limits afresh
                took = _drain_in_a_process(revision, url, slack.api_url, concurrency, folder)
                slack.faults.latency = 0.0
            calls = [c for c in slack.calls[before:] if c.method != "auth.test"]
            rows.append((name, took, len(calls) / deliveries, slack.busiest_second()[1]))
        floor = rows[0][1]
        where = "PostgreSQL" if postgres else "SQLite"
        print(f"\n{deliveries} deliveries (a DM each, and the channel), {where}, 50 ms a call")
        print("| sender | seconds | x the sequential floor | Web API calls per delivery |")
        print("|---|---|---|---|")
        for name, took, per_delivery, _ in rows:
            print(f"| {name} | {took:.2f} | {floor / took:.1f}x | {per_delivery:.2f} |")
        print(f"Most posts into one channel in a second: {max(row[3] for row in rows)}")


@contextmanager
def _fresh_database(folder: Path, n: int, postgres: str | None) -> Iterator[str]:
    """An empty database: a SQLite file, or a schema of its own on `postgres`."""
    from bot.config import normalise_database_url

    if postgres is None:
        yield f"sqlite:///{folder}/fanout-{n}.db"
        return
    import psycopg

    schema = f"crewcall_fanout_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        separator = "&" if "?" in postgres else "?"
        options = quote(f"-csearch_path={schema}")
        yield normalise_database_url(f"{postgres}{separator}options={options}")
    finally:
        with psycopg.connect(postgres, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _drain_in_a_process(
    revision: str | None, url: str, api_url: str, concurrency: int, folder: Path
) -> float:
    """drain(), in a process of its own: by this checkout's sender, or `revision`'s from a
    checkout of its own."""
    checkout = ROOT
    if revision is not None:
        checkout = folder / revision
        if not checkout.exists():
            checkout.mkdir()
            archive = subprocess.run(
                ["git", "archive", revision, "bot"], cwd=ROOT, capture_output=True, check=True
            ).stdout
            subprocess.run(["tar", "-x"], cwd=checkout, input=archive, check=True)
    script = (
        "import sys, json; sys.path.insert(0, sys.argv[1]); sys.path.insert(1, sys.argv[2]);"
        "from bench.fanout import drain;"
        "print(json.dumps(drain(sys.argv[3], sys.argv[4], int(sys.argv[5]))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(checkout), str(ROOT), url, api_url, str(concurrency)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
