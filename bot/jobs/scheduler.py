"""The APScheduler instance: one per deployment, in `crewcall run` or `crewcall worker`."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import now as utcnow
from bot.core.logs import fields
from bot.jobs.housekeeping import tidy
from bot.jobs.leader import Leadership
from bot.jobs.sender import Sender
from bot.notices.followups import follow_up
from bot.planning.planner import Planner
from bot.rentals.check import check_rentals
from bot.storage.db import Database

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class Intervals:
    """How often each job runs, in seconds of the scheduler's own (real) time."""

    send: float = 1
    # Messages go out at most this late; planning a quiet minute costs one query.
    plan: float = 15
    follow_up: float = 60
    housekeeping: float = 3600


DEFAULT_INTERVALS = Intervals()


def _logged(name: str, job: Callable[[], object]) -> None:
    """Run a job; one log line when it did something (its report's counts) or failed."""
    started = time.perf_counter()
    try:
        report = job()
    except Exception:
        log.exception("job failed", extra=fields(job=name))
        return
    found = vars(report) if hasattr(report, "__dict__") else {}
    counts = {k: v for k, v in found.items() if isinstance(v, int | list) and v}
    if counts:
        took = round((time.perf_counter() - started) * 1000, 1)
        log.info("job", extra=fields(job=name, ms=took, **counts))


# (id, job, interval in seconds, whether it runs at once)
Job = tuple[str, Callable[[], object], float, bool]


def build_scheduler(
    db: Database,
    sender: Sender,
    *,
    name: str,
    clock: Clock = utcnow,
    intervals: Intervals = DEFAULT_INTERVALS,
) -> tuple[BackgroundScheduler, Leadership]:
    """A scheduler with Crewcall's jobs added; the caller starts and stops it.

    Jobs are plain functions taking `now`; the scheduler only supplies the clock
    (`clock` for planning and follow-ups; the sender's is always the process's own).
    Every job runs on an interval and works out for itself what is due, so a run
    that is late (the process was busy or down) catches up once, and no wall-clock
    trigger can be skipped or repeated when the clocks change. Planning runs on the
    leader only (bot/jobs/leader.py); sending and follow-ups on every scheduler,
    which share the work through the database.
    """
    scheduler = BackgroundScheduler(
        timezone=dt.UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )
    leadership = Leadership(db, name=name)
    planner = Planner(db, daily_checks=[check_rentals])

    def plan() -> object:
        return planner.run(now=clock()) if leadership.held() else None

    def follow_ups() -> object:
        with db.transaction() as session:
            return follow_up(session, now=clock())

    # (id, job, interval, whether it runs at once): planning and sending do, so that
    # a restart catches up without waiting.
    jobs: list[Job] = [
        ("plan", plan, intervals.plan, True),
        # Always on the process's own clock, never a test's fast one: leases and
        # Retry-After pauses are real seconds.
        ("send", lambda: sender.run(now=utcnow()), intervals.send, True),
        ("follow-up", follow_ups, intervals.follow_up, False),
        (
            "housekeeping",
            lambda: tidy(db, now=clock()),
            intervals.housekeeping,
            False,
        ),
    ]
    _add_jobs(scheduler, jobs)
    return scheduler, leadership


def _add_jobs(scheduler: BackgroundScheduler, jobs: list[Job]) -> None:
    """Each job on its interval, logged; those that run at once first run now."""
    started = dt.datetime.fromtimestamp(time.time(), dt.UTC)  # APScheduler's clock is the real one
    for job_id, job, seconds, at_once in jobs:
        scheduler.add_job(
            functools.partial(_logged, job_id, job),
            IntervalTrigger(seconds=seconds),
            id=job_id,
            replace_existing=True,
            next_run_time=started if at_once else started + dt.timedelta(seconds=seconds),
        )
