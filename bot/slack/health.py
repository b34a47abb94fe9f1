"""What `/healthz` reports: the database, who leads the scheduling, Socket Mode's link."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

from bot.jobs.leader import current_leader
from bot.storage.db import Database

EVERY_SCHEDULER = "every scheduler plans (SQLite: one machine)"


def health(
    db: Database, *, socket_connected: Callable[[], bool] | None = None
) -> tuple[bool, dict]:
    """(healthy, report): healthy when the database answers and, in Socket Mode, the
    WebSocket to Slack is open. Who leads is reported, not required: a web process has
    no scheduler of its own, and a new leader takes over within a planning run."""
    report: dict = {"database": "ok" if db.ping() else "unreachable"}
    healthy = report["database"] == "ok"
    if db.is_sqlite:
        report["scheduler_leader"] = EVERY_SCHEDULER
    elif healthy:
        try:
            report["scheduler_leader"] = current_leader(db) or "none"
        except SQLAlchemyError:
            report["scheduler_leader"] = "unknown"
    if socket_connected is not None:
        connected = socket_connected()
        report["socket_mode"] = "connected" if connected else "disconnected"
        healthy = healthy and connected
    report["status"] = "ok" if healthy else "down"
    return healthy, report
