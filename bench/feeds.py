"""Benchmark for calendar feeds (issue 9): 300 crew, 60 shoot days, over HTTP.

Every crew member has a personal feed, and there is one production feed, each written
out once as `/crewcall calendar` does when it sends the link (timed in this process).
Then, against the real server (gunicorn, HTTP mode), one request at a time:

- first read: each server process reads each feed for the first time;
- after a change: one day's general call moved, so every feed is written again (the
  schedule reloaded, one event rewritten, its SEQUENCE raised); the production feed is
  timed after ten changes, each once the serving process has loaded the new schedule;
- polling: what calendar clients do all day; 200s from each process's kept copy, and
  304s when the client sends the ETag it has. Also closed loop, for throughput.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load import Connection, Result, closed_loop  # noqa: E402
from bot.calendars.calendar_events import FeedOf  # noqa: E402
from bot.calendars.feed_rows import feed_for  # noqa: E402
from bot.calendars.feeds import Feeds  # noqa: E402
from bot.core.directory import Directory  # noqa: E402
from bot.core.schedule import load_schedule  # noqa: E402
from bot.storage.db import Database  # noqa: E402
from bot.storage.models import Production, ShootDay  # noqa: E402

# Schedule changes after which the production feed is timed.
CHANGES = 10


def get_request(port: int, path: str, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def make_feeds(database_url: str) -> tuple[list[str], str, Result]:
    """A feed for every crew member and one for the production, each written as
    `/crewcall calendar` writes it when it sends the link; their secrets, and the times
    that writing took."""
    db = Database(database_url, pool_size=2)
    now = dt.datetime.now(dt.UTC)
    writer = Feeds(db, Directory(db))
    with db.transaction() as session:
        production = session.scalar(select(Production).where(Production.slug == "bench"))
        schedule = load_schedule(session, production_id=production.id)
        made = [
            (feed_for(session, production_id=production.id, member_id=m.id, now=now), m)
            for m in schedule.crew
        ]
        made.append((feed_for(session, production_id=production.id, member_id=None, now=now), None))
    written = Result()
    for feed, member in made:
        started = time.perf_counter()
        writer.render(FeedOf(schedule, member), feed_id=feed.id, created=feed.created_at, now=now)
        written.latencies.append(time.perf_counter() - started)
        written.seconds += written.latencies[-1]
    db.dispose()
    return [feed.secret for feed, _ in made[:-1]], made[-1][0].secret, written


def move_a_day(database_url: str) -> None:
    """Move the first day's general call by 15 minutes, as a schedule change would."""
    db = Database(database_url, pool_size=1)
    with db.transaction() as session:
        day = session.scalar(select(ShootDay).order_by(ShootDay.date).limit(1))
        day.general_call += 15
        day.revision += 1
    db.dispose()


async def one_at_a_time(port: int, requests: list[bytes], *, first: bytes = b"") -> Result:
    """Each request once, in turn, on one keep-alive connection (after `first`, untimed:
    it has that server process load a changed schedule)."""
    result = Result()
    connection = await Connection.open("127.0.0.1", port)
    if first:
        await connection.exchange(first)
    started = time.perf_counter()
    for request in requests:
        sent = time.perf_counter()
        status = await connection.exchange(request)
        if status in (200, 304):
            result.latencies.append(time.perf_counter() - sent)
        else:
            result.errors += 1
    result.seconds = time.perf_counter() - started
    connection.close()
    return result


def etags(port: int, paths: list[str]) -> list[bytes]:
    """Conditional requests carrying each feed's current ETag (read with one plain GET each)."""
    conditional = []
    for path in paths:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
            tag = answer.headers["ETag"]
        conditional.append(get_request(port, path, {"If-None-Match": tag}))
    return conditional


def run(port: int, database_url: str, *, clients: int, seconds: float) -> dict[str, Result]:
    """Every measurement, in order; each a Result of latencies."""
    personal, whole, written = make_feeds(database_url)
    paths = [f"/calendar/{secret}.ics" for secret in personal]
    plain = [get_request(port, path) for path in paths]
    production = [get_request(port, f"/calendar/{whole}.ics")]
    figures: dict[str, Result] = {"each feed written, as the command does (in-process)": written}
    figures["personal: first read"] = asyncio.run(one_at_a_time(port, plain))
    figures["production: first read"] = asyncio.run(one_at_a_time(port, production, first=plain[0]))
    move_a_day(database_url)
    time.sleep(1.2)  # the servers' schedules are at most 1 s stale
    figures["personal: after a change"] = asyncio.run(one_at_a_time(port, plain))
    after = Result()
    for _ in range(CHANGES):
        move_a_day(database_url)
        time.sleep(1.2)
        once = asyncio.run(one_at_a_time(port, production, first=plain[0]))
        after.latencies += once.latencies
        after.errors += once.errors
        after.seconds += once.seconds
    figures["production: after a change, schedule loaded"] = after
    figures["personal: polling, 200"] = asyncio.run(one_at_a_time(port, plain * 5))
    conditional = etags(port, paths)
    figures["personal: polling, 304"] = asyncio.run(one_at_a_time(port, conditional * 5))
    figures["production: polling, 200"] = asyncio.run(one_at_a_time(port, production * 300))
    figures[f"personal: {clients} clients, closed loop"] = asyncio.run(
        closed_loop("127.0.0.1", port, plain, clients=clients, seconds=seconds)
    )
    return figures


def report(figures: dict[str, Result], *, backend: str, setup: str) -> None:
    print(f"\n## calendar feeds: 300 crew, 60 days; {backend}; {setup}\n")
    print("| measurement | requests | p50 ms | p99 ms | max ms | req/s | errors |")
    print("|---|---|---|---|---|---|---|")
    for name, result in figures.items():
        worst = max(result.latencies, default=float("nan"))
        print(
            f"| {name} | {len(result.latencies)} | {result.percentile(0.5) * 1000:.1f} "
            f"| {result.percentile(0.99) * 1000:.1f} | {worst * 1000:.1f} "
            f"| {result.throughput:.0f} | {result.errors} |"
        )
    polled = figures["personal: polling, 200"].percentile(0.99) * 1000
    changed = figures["personal: after a change"].percentile(0.99) * 1000
    verdict = "OK" if max(polled, changed) < 20 else "MISSED"
    print(
        f"\npersonal feed p99: polling {polled:.1f} ms, after a change {changed:.1f} ms "
        f"(target < 20) {verdict}"
    )
