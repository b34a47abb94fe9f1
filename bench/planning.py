"""Benchmark for the planner (issue 6): one evening's call sheets for 100 productions x 300 crew.

Every production is in London with its call sheet at 18:00, so all of them fall due
in the same run: 30,000 personal deliveries and 100 channel posts. The planner runs
in a fresh process, as a restarted worker would (it loads every schedule first),
which reports its time and the most memory it used above what it held before.
A second run a minute later, with nothing new due, is what every other tick costs.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import subprocess
import sys
import time
import zoneinfo
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.production import write_production  # noqa: E402
from bot.console.slack import TEAM_ID  # noqa: E402
from bot.core.productions import create_production  # noqa: E402
from bot.imports.run import import_file  # noqa: E402
from bot.planning.planner import Planner  # noqa: E402
from bot.storage.db import Database  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from bot.storage.models import Delivery  # noqa: E402

PRODUCTIONS, CREW, DAYS = 100, 300, 30
TODAY = dt.date(2027, 1, 11)
EVENING = dt.datetime.combine(TODAY, dt.time(18), zoneinfo.ZoneInfo("Europe/London"))


def prepare(database_url: str, folder: Path) -> float:
    """PRODUCTIONS productions of CREW people and DAYS days from tomorrow; seconds it took."""
    started = time.perf_counter()
    db = Database(database_url, pool_size=2)
    upgrade(db.engine)
    files = write_production(folder, crew=CREW, days=DAYS, today=TODAY)
    data = {kind: path.read_bytes() for kind, path in files.items()}
    for n in range(PRODUCTIONS):
        with db.transaction() as session:
            production = create_production(
                session,
                team_id=TEAM_ID,
                name=f"Bench {n}",
                slug=f"bench-{n}",
                timezone="Europe/London",
                channel=f"C0BENCH{n:03d}",
                coordinators=["U0BENCH0000"],
            )
            for kind in ("crew", "schedule", "calls"):
                import_file(session, production=production, kind=kind, data=data[kind])
    db.dispose()
    return time.perf_counter() - started


def measure(database_url: str) -> dict:
    """In this (fresh) process: plan the evening, then a quiet minute later."""
    db = Database(database_url, pool_size=2)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    planner = Planner(db)
    started = time.perf_counter()
    report = planner.run(now=EVENING)
    evening = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    quiet = planner.run(now=EVENING + dt.timedelta(minutes=1))
    tick = time.perf_counter() - started
    with db.readers() as session:
        deliveries = session.scalar(select(func.count()).select_from(Delivery))
    db.dispose()
    return {
        "seconds": evening,
        "peak_mb": (peak - before) / 1024,  # ru_maxrss is in KiB on Linux
        "callsheets": report.callsheets,
        "deliveries": deliveries,
        "quiet_seconds": tick,
        "quiet_planned": quiet.callsheets + quiet.reminders,
        "failed": report.failed,
    }


def run(database_url: str, folder: Path) -> dict:
    """Prepare, then measure in a child process; the figures."""
    setup = prepare(database_url, folder)
    child = subprocess.run(
        [sys.executable, "-m", "bench.planning", database_url],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return {"setup_seconds": setup, **json.loads(child.stdout)}


def report(figures: dict, *, backend: str) -> None:
    """The row RESULTS.md keeps."""
    print(
        f"\n## planning: {PRODUCTIONS} productions x {CREW} crew, one evening ({backend})\n"
        f"| database | call sheets planned | deliveries written | seconds | peak memory MB "
        f"| quiet tick ms | errors |\n|---|---|---|---|---|---|---|\n"
        f"| {backend} | {figures['callsheets']} | {figures['deliveries']} "
        f"| {figures['seconds']:.2f} | {figures['peak_mb']:.0f} "
        f"| {figures['quiet_seconds'] * 1000:.1f} | {len(figures['failed'])} |"
    )
    print(f"(setting up the productions took {figures['setup_seconds']:.0f} s, not counted)")


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1])))
