"""Plain Bolt against the custom router it replaced (issue 24): one run, three servers.

bolt  signed `/calltime` (the calltime scenario's 300-crew production) and Acknowledge
      clicks from the crew's DMs, for Crewcall as it is, Crewcall as it was at an
      earlier commit (`--before`, unpacked with `git archive` and served from there),
      and the bare Bolt app, all up at once and measured in interleaved rounds.

Each server clicks a notice of its own, new each round, so that every click records an
acknowledgement (a second click on one notice is a different, cheaper answer).
"""

from __future__ import annotations

import asyncio
import subprocess
import tarfile
from io import BytesIO
from pathlib import Path

from bench.load import Result, each_once, ms, open_loop
from bench.notices import click_requests, new_notice
from bot.console.slack import FakeSlack
from bot.storage.db import Database

# The last commit whose listeners went through bot/handlers/router.py (since removed).
ROUTER_COMMIT = "838d025"


def unpack(commit: str, root: Path, into: Path) -> Path:
    """The tree of `commit` written out under `into`, to serve the code as it was."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit], cwd=root, check=True, capture_output=True
    ).stdout
    tree = into / f"crewcall-{commit}"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
    return tree


def clicks(
    ports: dict[str, int], database_url: str, slack: FakeSlack, *, people: int, rounds: int,
    rate: float, clients: int,
) -> dict[str, tuple[Result, Result]]:  # fmt: skip
    """Open-loop and closed-loop clicks per server, a fresh notice for each, in rounds."""
    db = Database(database_url, pool_size=2)
    pooled = {name: (Result(), Result()) for name in ports}
    try:
        for name, port in ports.items():  # warm-up
            asyncio.run(
                each_once("127.0.0.1", port, click_requests(port, new_notice(db, name), slack, 20),
                          clients=10)
            )  # fmt: skip
        names = list(ports)
        for round_number in range(rounds):
            # Each round in another order: SQLite's checkpoints after one server's writes
            # fall on whichever comes next, so that none is always next.
            turn = round_number % len(names)
            for name in names[turn:] + names[:turn]:
                port = ports[name]
                requests = click_requests(port, new_notice(db, f"{name} open"), slack, people)
                steady = asyncio.run(
                    open_loop("127.0.0.1", port, requests, rate=rate, seconds=people / rate)
                )
                requests = click_requests(port, new_notice(db, f"{name} closed"), slack, people)
                busy = asyncio.run(each_once("127.0.0.1", port, requests, clients=clients))
                for total, part in zip(pooled[name], (steady, busy), strict=True):
                    total.latencies.extend(part.latencies)
                    total.errors += part.errors
                    total.seconds += part.seconds
    finally:
        db.dispose()
    return pooled


def report(title: str, results: dict[str, tuple[Result, Result]], *, rate: float,
           clients: int, after: str, before: str, bare: str) -> None:  # fmt: skip
    """One table per request kind, then after/before and after/bare ratios."""
    print(f"\n## bolt: {title}\n")
    print(f"| server | (a) {rate:.0f}/s open loop: p50 ms | p99 ms | errors "
          f"| (b) {clients} clients closed loop: per s | p99 ms | errors |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for name, (steady, busy) in results.items():
        print(f"| {name} | {ms(steady.percentile(0.5))} | {ms(steady.percentile(0.99))} "
              f"| {steady.errors} | {busy.throughput:.0f} | {ms(busy.percentile(0.99))} "
              f"| {busy.errors} |")  # fmt: skip
    for other in (before, bare):
        p99 = results[after][0].percentile(0.99) / results[other][0].percentile(0.99)
        throughput = results[after][1].throughput / results[other][1].throughput
        print(f"\n{after} / {other}: (a) p99 {p99:.2f}x, (b) throughput {throughput:.2f}x")
