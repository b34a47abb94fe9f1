"""Which scheduler plans: on PostgreSQL, the one holding an advisory lock.

Any number of `crewcall worker` processes may run. They all send (the outbox shares
the work), but only the leader plans, so that they do not all do the same planning
work at once; occurrences are unique in the database whatever happens, so a second
planner could waste effort but never send anything twice.

The leader holds `pg_try_advisory_lock` on a connection of its own. When it dies,
PostgreSQL drops the connection and with it the lock (at once for a killed process,
within about half a minute through TCP keepalives for a lost machine), and the next
worker to try takes over. Workers try on every planning run, so within a minute.
On SQLite, which runs on one machine, every scheduler may plan.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from bot.storage.db import CONNECT_TIMEOUT_S, Database

log = logging.getLogger(__name__)

# The planning lock's key, one per schema: deployments (or test runs) that share a
# PostgreSQL database in schemas of their own each have their own leader.
LOCK_KEY = text("SELECT hashtextextended('crewcall planner ' || current_schema(), 0)")
# TCP keepalives on the leader's connection, both ways: the server drops a vanished
# leader's session (and lock) after idle + interval x count = 25 seconds, and the
# leader finds a vanished server as soon.
KEEPALIVE_IDLE_S, KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT = 10, 5, 3


class Leadership:
    """Whether this process is the one that plans; asked before every planning run."""

    def __init__(self, db: Database, *, name: str) -> None:
        self.name = name
        self._engine = None
        if not db.is_sqlite:
            self._engine = create_engine(
                db.url,
                poolclass=NullPool,
                isolation_level="AUTOCOMMIT",
                connect_args={
                    "connect_timeout": CONNECT_TIMEOUT_S,
                    # Who leads shows in pg_stat_activity.
                    "application_name": f"crewcall leader {name}"[:63],
                    "keepalives": 1,
                    "keepalives_idle": KEEPALIVE_IDLE_S,
                    "keepalives_interval": KEEPALIVE_INTERVAL_S,
                    "keepalives_count": KEEPALIVE_COUNT,
                },
            )
            event.listen(self._engine, "connect", _server_keepalives)
        self._held: Connection | None = None

    def held(self) -> bool:
        """True if this process leads now: it held the lock, or has just taken it."""
        if self._engine is None:
            return True
        if self._held is not None and self._still_connected(self._held):
            return True
        self._held = None
        try:
            connection = self._engine.connect()
        except SQLAlchemyError:
            return False
        try:
            key = int(connection.execute(LOCK_KEY).scalar_one())
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": key}
            ).scalar()
        except SQLAlchemyError:
            taken = False
        if not taken:
            connection.close()
            return False
        log.info("%s now leads the planning", self.name)
        self._held = connection
        return True

    def release(self) -> None:
        """Let another process lead (at shutdown)."""
        if self._held is not None:
            self._held.close()
            self._held = None
        if self._engine is not None:
            self._engine.dispose()

    def _still_connected(self, connection: Connection) -> bool:
        """Whether the connection (and so the lock) is still there; drops it if not."""
        try:
            connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            log.warning("%s lost its database connection, and with it the lead", self.name)
            connection.invalidate()
            return False
        return True


def current_leader(db: Database) -> str | None:
    """Which process holds this schema's planning lock now (its name), or None.

    A 64-bit advisory lock shows in pg_locks as classid (high half) and objid (low half),
    each an unsigned 32-bit number.
    """
    with db.engine.connect() as connection:
        key = int(connection.execute(LOCK_KEY).scalar_one())
        row = connection.execute(
            text(
                """
                SELECT a.application_name FROM pg_locks l
                JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                  AND l.classid::bigint = :high AND l.objid::bigint = :low
                """
            ),
            {"high": (key >> 32) & 0xFFFF_FFFF, "low": key & 0xFFFF_FFFF},
        ).scalar()
    return str(row).removeprefix("crewcall leader ") if row else None


def _server_keepalives(dbapi_connection, _record) -> None:
    """Have the server probe this connection too, so that a lost leader's lock is freed."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET tcp_keepalives_idle = {KEEPALIVE_IDLE_S}")
        cursor.execute(f"SET tcp_keepalives_interval = {KEEPALIVE_INTERVAL_S}")
        cursor.execute(f"SET tcp_keepalives_count = {KEEPALIVE_COUNT}")
    dbapi_connection.commit()
