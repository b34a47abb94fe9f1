"""`crewcall worker` on a fast clock, for tests: simulated hours pass in real seconds.

Usage: python -m tests.fast_worker START GO SPEED. Simulated time stands at START until
the file GO appears; it holds the real Unix time at which START is, and from then time
runs SPEED times faster, so that every process given the same arguments agrees on the
time. The test writes GO once every worker is running. Only the clock and the job
intervals differ from `crewcall worker`: settings, database, leadership, planner and
sender are real.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import time
from pathlib import Path

from bot.config import load_settings
from bot.jobs.scheduler import Intervals
from bot.runtime import run_worker


def main() -> None:
    start, go, speed = dt.datetime.fromisoformat(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
    epoch: list[float] = []

    def clock() -> dt.datetime:
        if not epoch:
            written = go.read_text() if go.exists() else ""
            if not written.endswith("\n"):  # not there, or not all written yet
                return start
            epoch.append(float(written))
        return start + dt.timedelta(seconds=max(0.0, time.time() - epoch[0]) * speed)

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    run_worker(load_settings(), clock=clock, intervals=Intervals(send=0.2, plan=0.2, follow_up=1))


if __name__ == "__main__":
    main()
