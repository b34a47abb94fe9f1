"""`crewcall worker` on a fast clock, for tests: simulated hours pass in real seconds.

Usage: python -m tests.fast_worker START EPOCH SPEED. Simulated time is START at
the real Unix time EPOCH and runs SPEED times faster, so that every process given
the same arguments agrees on the time. Only the clock and the job intervals differ
from `crewcall worker`: settings, database, leadership, planner and sender are real.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import time

from bot.config import load_settings
from bot.jobs.scheduler import Intervals
from bot.runtime import run_worker


def main() -> None:
    start, epoch, speed = (
        dt.datetime.fromisoformat(sys.argv[1]),
        float(sys.argv[2]),
        float(sys.argv[3]),
    )

    def clock() -> dt.datetime:
        return start + dt.timedelta(seconds=(time.time() - epoch) * speed)

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    run_worker(load_settings(), clock=clock, intervals=Intervals(send=0.2, plan=0.2, follow_up=1))


if __name__ == "__main__":
    main()
