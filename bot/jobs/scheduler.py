"""The APScheduler instance: one per deployment, in `crewcall run` or `crewcall worker`."""

from __future__ import annotations

import datetime as dt

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.followups import follow_up
from bot.jobs.housekeeping import forget_old_events
from bot.jobs.sender import Sender
from bot.storage.db import Database

SEND_EVERY_S = 1
FOLLOW_UP_EVERY_S = 60


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def build_scheduler(db: Database, sender: Sender) -> BackgroundScheduler:
    """A scheduler with Crewcall's jobs added; the caller starts and stops it.

    The sender runs every second and drains what is due; follow-ups every minute.

    Jobs are plain functions taking `now`; the scheduler only supplies the clock.
    A run that is late (the process was busy or down) still runs once, not once
    per missed occurrence.
    """
    scheduler = BackgroundScheduler(
        timezone=dt.UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 15 * 60},
    )
    scheduler.add_job(
        lambda: sender.run(now=_utcnow()),
        IntervalTrigger(seconds=SEND_EVERY_S),
        id="send",
        replace_existing=True,
        misfire_grace_time=None,
    )
    scheduler.add_job(
        lambda: _follow_up(db),
        IntervalTrigger(seconds=FOLLOW_UP_EVERY_S),
        id="follow-up",
        replace_existing=True,
    )
    scheduler.add_job(
        lambda: forget_old_events(db, now=_utcnow()),
        IntervalTrigger(hours=1),
        id="forget-old-events",
        replace_existing=True,
    )
    return scheduler


def _follow_up(db: Database) -> None:
    with db.transaction() as session:
        follow_up(session, now=_utcnow())
