"""/calltime as crew meet it, beside the bare Bolt app (issue 20).

Besides the steady and busy loads of bench/run.py's rounds, three things a warmed-up
benchmark hides:
- the first request of people the server has never seen (no copy of anything of
  theirs, their Slack time zone not yet learned);
- the first request after a long idle;
- whether answers are current: another process moves a day's general call, and the
  very next answers from every web process must show the new call.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.load import Result, each_once, open_loop

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Extras:
    """What one server did beyond the rounds."""

    first_seen: Result = field(default_factory=Result)
    after_idle: list[float] = field(default_factory=list)
    current: tuple[int, int] | None = None  # (answers showing the new call, answers checked)


def first_seen(port: int, requests: list[bytes], *, rate: float) -> Result:
    """Each never-seen person's first /calltime, at a steady `rate`: latency of each."""
    return asyncio.run(
        open_loop("127.0.0.1", port, requests, rate=rate, seconds=len(requests) / rate)
    )


def after_idle(
    ports: dict[str, int], requests: dict[str, list[bytes]], *, idle: float
) -> dict[str, list[float]]:
    """Every server left alone for `idle` seconds, then asked a few times at once, each on
    its own connection: the latencies of those first requests (two web processes, so both
    are likely met)."""
    print(f"  idle for {idle:.0f} s ...", file=sys.stderr)
    time.sleep(idle)
    found = {}
    for target, port in ports.items():
        result = asyncio.run(
            each_once("127.0.0.1", port, requests[target], clients=len(requests[target]))
        )
        found[target] = result.latencies
    return found


def current_after_change(
    port: int, env: dict, folder: Path, *, ask: list[tuple[str, str]], date: dt.date
) -> tuple[int, int]:
    """Move day 12 (`date`)'s general call from another process (the CLI's import), then ask
    at once, from many people at a time: how many answers show the new call, of how many."""
    new = "07:40"
    schedule = folder / "move.csv"
    schedule.write_text(f"date,day,general_call\n{date.isoformat()},12,{new}\n")
    subprocess.run(
        [sys.executable, "-m", "bot", "import", "schedule", str(schedule), "--production", "bench"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    shown = asyncio.run(_answers(port, ask))
    # The answer's facts line, as /calltime writes it (`*General crew call:* 07:40`).
    return sum(f"General crew call:* {new}" in text for text in shown), len(shown)


async def _answers(port: int, ask: list[tuple[str, str]]) -> list[str]:
    from tests.slack_requests import signed_headers, slash_command

    async def one(user: str, text: str) -> str:
        body, content_type = slash_command("/calltime", text, user_id=user)
        headers = {"Content-Type": content_type, **signed_headers(body)}
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/slack/events", data=body.encode(), headers=headers
        )
        return await asyncio.to_thread(_read, request)

    return list(await asyncio.gather(*(one(user, text) for user, text in ask)))


def _read(request: urllib.request.Request) -> str:
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        return json.dumps(json.loads(answer.read()))


def report(extras: dict[str, Extras], steady: dict[str, Result], *, bare: str, rate: float) -> None:
    """The table and the targets: under 3x the bare app's steady p99 and under 15 ms (the
    steady p99, first-seen p99 and every request after idle); all answers current."""
    print("\n| server | (a) steady p99 ms | (c) first-seen p50 / p99 / max ms "
          "| (d) after idle, first requests ms | (e) current answers |")  # fmt: skip
    print("|---|---|---|---|---|")
    for target, extra in extras.items():
        seen = extra.first_seen
        idle = " / ".join(f"{s * 1000:.1f}" for s in extra.after_idle[:4])
        current = f"{extra.current[0]}/{extra.current[1]}" if extra.current else "—"
        print(
            f"| {target} | {steady[target].percentile(0.99) * 1000:.1f} "
            f"| {seen.percentile(0.5) * 1000:.1f} / {seen.percentile(0.99) * 1000:.1f} / "
            f"{max(seen.latencies, default=float('nan')) * 1000:.1f} | {idle} | {current} |"
        )
    ours, theirs = steady["crewcall"].percentile(0.99), steady[bare].percentile(0.99)
    seen = extras["crewcall"].first_seen.percentile(0.99)
    idle = max(extras["crewcall"].after_idle, default=float("nan"))
    current = extras["crewcall"].current or (0, 1)
    checks = [
        (f"(a) p99 at {rate:.0f} req/s: {ours * 1000:.1f} ms, {ours / theirs:.2f}x bare",
         ours < 0.015 and ours < 3 * theirs),
        (f"(c) first-seen p99: {seen * 1000:.1f} ms, {seen / theirs:.2f}x bare",
         seen < 0.015 and seen < 3 * theirs),
        (f"(d) slowest first request after idle: {idle * 1000:.1f} ms, {idle / theirs:.2f}x bare",
         idle < 0.015 and idle < 3 * theirs),
        (f"(e) answers current after another process's change: {current[0]}/{current[1]}",
         current[0] == current[1]),
    ]  # fmt: skip
    print()
    for words, met in checks:
        print(
            f"{words} (target: under 15 ms, under 3x bare; all current) {'OK' if met else 'MISSED'}"
        )
