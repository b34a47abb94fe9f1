"""The APScheduler instance: one per deployment, in `crewcall run` or `crewcall worker`."""

from __future__ import annotations

import datetime as dt

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs.housekeeping import forget_old_events
from bot.storage.db import Database


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def build_scheduler(db: Database) -> BackgroundScheduler:
    """A scheduler with Crewcall's jobs added; the caller starts and stops it.

    Jobs are plain functions taking `now`; the scheduler only supplies the clock.
    A run that is late (the process was busy or down) still runs once, not once
    per missed occurrence.
    """
    scheduler = BackgroundScheduler(
        timezone=dt.UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 15 * 60},
    )
    scheduler.add_job(
        lambda: forget_old_events(db, now=_utcnow()),
        IntervalTrigger(hours=1),
        id="forget-old-events",
        replace_existing=True,
    )
    return scheduler
