"""Benchmarks for notices (issue 4): a broadcast through the sender, and Acknowledge clicks.

broadcast  500 recipients against the fake Slack answering every call after 50 ms: the
           sender as configured, then the same broadcast one call at a time (the naive
           floor), in the same run; and the most posts any channel got within a second.
acks       1,000 people click Acknowledge on one notice, in their DMs: at a steady
           100 clicks/s (open loop) beside the bare Bolt app, and from 50 clients at
           once (closed loop), then the acknowledgements recorded are counted.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path

from slack_sdk import WebClient
from sqlalchemy import func, select

from bench.load import Result, each_once, http_request, open_loop
from bench.production import user_id
from bot.console.slack import BOT_TOKEN, FakeSlack
from bot.jobs.sender import Sender
from bot.notices.notices import announce
from bot.storage.db import Database
from bot.storage.models import Delivery, DeliveryStatus, Production
from tests.slack_requests import block_action, signed_headers

BROADCAST = 500
CLICKS = 1000


def new_notice(db: Database, text: str) -> int:
    """A notice to the whole production, its deliveries recorded as the app records them."""
    with db.transaction() as session:
        production = session.scalar(select(Production))
        notice, _ = announce(
            session,
            production=production,
            text=text,
            author=user_id(0),
            now=dt.datetime.now(dt.UTC),
        )
        return notice.id


def _unsent(db: Database) -> int:
    with db.readers.begin() as session:
        return session.scalar(
            select(func.count()).where(
                Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING])
            )
        )


def _drain(sender: Sender, db: Database) -> float:
    started = time.perf_counter()
    while _unsent(db):
        report = sender.run(now=dt.datetime.now(dt.UTC), budget=600)
        if not (report.sent or report.retried):
            time.sleep(0.05)
    return time.perf_counter() - started


def broadcast(database_url: str, slack: FakeSlack, *, concurrency: int) -> dict:
    """Seconds to send one notice to BROADCAST people: concurrent, then one call at a time."""
    db = Database(database_url, pool_size=concurrency + 4)
    slack.faults.latency = 0.05
    figures = {}
    for name, threads in (("sender", concurrency), ("one call at a time", 1)):
        new_notice(db, f"Broadcast benchmark ({name})")
        # A new sender each time: no DM channels cached from the run before.
        client = WebClient(token=BOT_TOKEN, base_url=slack.api_url, timeout=5)
        sender = Sender(db, client, concurrency=threads)
        figures[name] = _drain(sender, db)
        sender.close()
    figures["busiest channel, posts in one second"] = slack.busiest_second()[1]
    db.dispose()
    slack.faults.latency = 0.0
    return figures


def report_broadcast(figures: dict, recipients: int) -> None:
    ours, naive = figures["sender"], figures["one call at a time"]
    print(f"\n## broadcast: {recipients} recipients, fake Slack at 50 ms a call\n")
    print("| sender | seconds | deliveries/s |")
    print("|---|---|---|")
    for name in ("sender", "one call at a time"):
        seconds = figures[name]
        print(f"| {name} | {seconds:.2f} | {(recipients + 1) / seconds:.0f} |")
    speedup = naive / ours
    busiest = figures["busiest channel, posts in one second"]
    print(f"\nspeed-up: {speedup:.1f}x (target >= 10) {'OK' if speedup >= 10 else 'MISSED'}")
    print(f"most posts into one channel within a second: {busiest} (target 1) "
          f"{'OK' if busiest <= 1 else 'MISSED'}")  # fmt: skip


def click_requests(
    port: int, notice_id: int, slack: FakeSlack, people: int = CLICKS
) -> list[bytes]:
    """One signed Acknowledge click from each of `people` crew members, in their DMs."""
    built = []
    for n in range(1, people + 1):
        user = user_id(n)
        body, content_type = block_action(
            "acknowledge",
            str(notice_id),
            user_id=user,
            channel_id="D" + user.removeprefix("U"),
            response_url=slack.response_url(f"click-{notice_id}-{n}"),
        )
        headers = {"Content-Type": content_type, **signed_headers(body)}
        built.append(http_request("127.0.0.1", port, "/slack/events", body.encode(), headers))
    return built


def acknowledged(db: Database, notice_id: int) -> int:
    with db.readers.begin() as session:
        return session.scalar(
            select(func.count()).where(
                Delivery.notice_id == notice_id, Delivery.acknowledged_at.is_not(None)
            )
        )


def clicks(
    servers: dict, database_url: str, slack: FakeSlack, *, rate: float, clients: int
) -> dict:
    """Open-loop and closed-loop clicks on fresh notices; servers maps name -> port."""
    db = Database(database_url, pool_size=2)
    results: dict = {}
    for phase in ("warm-up", "open", "closed"):
        notice_id = new_notice(db, f"Clicks benchmark ({phase})")
        for name, port in servers.items():
            requests = click_requests(port, notice_id, slack)
            if phase == "open":
                part = asyncio.run(
                    open_loop("127.0.0.1", port, requests, rate=rate, seconds=len(requests) / rate)
                )
            else:
                part = asyncio.run(each_once("127.0.0.1", port, requests, clients=clients))
            results[(name, phase)] = part
        results[("recorded", phase)] = acknowledged(db, notice_id)
    db.dispose()
    return results


def report_clicks(results: dict, *, rate: float, clients: int, bare: str) -> None:
    print(f"\n## acks: {CLICKS} Acknowledge clicks on one notice, from DMs\n")
    print(f"| server | (a) {rate:.0f} clicks/s open loop: p50 ms | p99 ms | errors "
          f"| (b) {clients} clients closed loop: clicks/s | p99 ms | errors |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for name in ("crewcall", bare):
        steady: Result = results[(name, "open")]
        busy: Result = results[(name, "closed")]
        p50, p99 = steady.percentile(0.5) * 1000, steady.percentile(0.99) * 1000
        print(f"| {name} | {p50:.1f} | {p99:.1f} | {steady.errors} | {busy.throughput:.0f} "
              f"| {busy.percentile(0.99) * 1000:.1f} | {busy.errors} |")  # fmt: skip
    ratio = results[("crewcall", "open")].percentile(0.99) / results[(bare, "open")].percentile(
        0.99
    )
    lost = CLICKS - results[("recorded", "closed")]
    verdict = "OK" if ratio <= 2 else "MISSED"
    print(f"\n(a) p99 ratio crewcall/bare: {ratio:.2f} (target <= 2) {verdict}")
    print(f"(a) acknowledgements recorded: {results[('recorded', 'open')]}/{CLICKS}")
    print(f"(b) acknowledgements recorded: {results[('recorded', 'closed')]}/{CLICKS}; "
          f"lost {lost} (target 0) {'OK' if lost == 0 else 'MISSED'}")  # fmt: skip


def write_crew(folder: Path, *, people: int) -> Path:
    """crew.csv with the coordinator and `people` more, for `crewcall import crew`."""
    path = folder / "crew.csv"
    rows = ["name,slack_id,email,department,position,role,phone"]
    for n in range(people + 1):
        role = "coordinator" if n == 0 else "crew"
        rows.append(f"Person {n},{user_id(n)},,Camera,,{role},")
    path.write_text("\n".join(rows) + "\n")
    return path
