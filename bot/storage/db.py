"""Engine and session factory: one code path for the embedded SQLite file and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Engine, Executable, Row, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult, Result, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from bot.storage import versions

# Database.glance as a callable: one read statement (with its parameters) to its rows.
# Rows as tuples of whatever the statement selects.
Glance = Callable[[Executable, dict], list[Any]]

# How long a request may wait for a connection or a lock before it is told the
# database is unavailable. Slack gives a command 3 seconds in all.
CONNECT_TIMEOUT_S = 2
SQLITE_BUSY_TIMEOUT_MS = 2_000
WRITER_POLL_S = 0.0002
READ_ONLY = "crewcall_read_only"
_HOLDS_WRITERS = "crewcall_holds_writers"


def create_db_engine(
    url: str, *, pool_size: int = 10, pre_ping: bool = True, autocommit: bool = False
) -> Engine:
    """Build the engine with the per-backend settings Crewcall relies on.

    PostgreSQL connections are pinged when taken from the pool (a server restarted
    since they were opened is found before a request uses them) unless `pre_ping` is
    False: then whoever uses them handles a dropped connection itself. With `autocommit`
    they are opened in autocommit, for statements that each commit by themselves.
    """
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        engine = create_engine(
            url,
            pool_size=pool_size,
            max_overflow=0,
            pool_timeout=CONNECT_TIMEOUT_S,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=CONNECT_TIMEOUT_S,
        pool_pre_ping=pre_ping,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
        **({"isolation_level": "AUTOCOMMIT"} if autocommit else {}),
    )


def _configure_sqlite(engine: Engine) -> None:
    """Foreign keys, WAL and a busy timeout on every connection; writers queue up front.

    pysqlite's own transaction handling is switched off so that every transaction
    that may write starts with BEGIN IMMEDIATE: a transaction that reads and then
    writes can otherwise fail at once with SQLITE_BUSY when another writer got there
    first. Read-only sessions begin DEFERRED and never wait.
    """
    event.listen(engine, "connect", _sqlite_pragmas)
    _queue_writers(engine)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Every new connection: our own BEGINs, foreign keys, WAL and a busy timeout."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _queue_writers(engine: Engine) -> None:
    """Writers in this process queue on one lock, first come first served, rather than in
    SQLite's busy handler, which polls with growing sleeps and lets a writer starve under
    load. Writers in other processes still meet in the busy handler."""
    writers = threading.Lock()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # Readers (Database.readers) begin DEFERRED: in WAL mode they never wait for a writer.
        if connection.get_execution_options().get(READ_ONLY, False):
            connection.exec_driver_sql("BEGIN DEFERRED")
            return
        deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
        if not writers.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
            raise sqlite3.OperationalError("database is locked (by this process's writers)")
        connection.info[_HOLDS_WRITERS] = True
        try:
            _begin_immediate(connection.connection.dbapi_connection, deadline)
        except BaseException:
            _release(connection)
            raise

    def _release(connection) -> None:
        # An invalidated connection's lock was let go when it was invalidated (below).
        if not connection.invalidated and connection.info.pop(_HOLDS_WRITERS, False):
            writers.release()

    event.listen(engine, "commit", _release)
    event.listen(engine, "rollback", _release)

    # A connection that goes back to the pool, or is thrown away, mid-transaction
    # must not take the lock with it.
    def _release_record(_dbapi_connection, record, *_args) -> None:
        if record is not None and record.info.pop(_HOLDS_WRITERS, False):
            writers.release()

    event.listen(engine, "checkin", _release_record)
    event.listen(engine, "invalidate", _release_record)


def _begin_immediate(dbapi_connection, deadline: float) -> None:
    """BEGIN IMMEDIATE, asking again every fraction of a millisecond until `deadline`.

    SQLite's own busy handler sleeps 1, 2, 5, 10 ... 100 ms between tries, so a
    writer in one process can starve while another process's writers hand the lock
    to each other; asking often gives every process its turn.
    """
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(WRITER_POLL_S)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


class Database:
    """The engine plus a session factory; built once per process and handed down."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = url
        self.engine = create_db_engine(url, pool_size=pool_size)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # For reads only: on SQLite these never take (or wait for) the write lock. Each
        # reads one snapshot (WAL on SQLite, REPEATABLE READ on PostgreSQL), so that a
        # schedule loaded in several queries is never half of one commit and half another.
        reading: dict = {READ_ONLY: True}
        if not self.is_sqlite:
            reading["isolation_level"] = "REPEATABLE READ"
        self.readers = sessionmaker(
            self.engine.execution_options(**reading), expire_on_commit=False
        )
        # One statement at a time, committed by itself: no transaction to begin and end.
        # On PostgreSQL these connections have a pool of their own, not pinged on every
        # use (a ping is a round trip, as long as the statement's own): `glance` reads
        # again on a fresh connection if a pooled one turns out to be dead.
        self._single: Engine
        if self.is_sqlite:
            self._single = self.engine.execution_options(**{READ_ONLY: True})
        else:
            self._single = create_db_engine(
                url, pool_size=pool_size, pre_ping=False, autocommit=True
            )
        versions.install(self.sessions)
        # The Slack request's session: made on first use, in the request's own
        # thread, and ended by the app when the request is answered.
        self.request_session = scoped_session(self.sessions)

    @property
    def is_sqlite(self) -> bool:
        """Whether this is the embedded SQLite database."""
        return self.engine.dialect.name == "sqlite"

    def glance(self, statement: Executable, parameters: dict | None = None) -> list[Any]:
        """The rows of one read statement that must see every commit made before it (a
        schedule's version, a standing), read the cheapest way there on each backend."""
        try:
            with self._single.connect() as connection:
                return list(connection.execute(statement, parameters))
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            # A pooled connection the server has since dropped: the pool has let all of
            # them go, so this one is new.
            with self._single.connect() as connection:
                return list(connection.execute(statement, parameters))

    def write_one(self, statement: Executable, parameters: dict | None = None) -> list[Row]:
        """One writing statement, committed by itself (its RETURNING rows): on PostgreSQL in
        autocommit, one round trip; on SQLite in a transaction of its own. Never repeated:
        a dropped connection is an error (the statement may have been carried out)."""
        if self.is_sqlite:
            with self.engine.begin() as connection:
                return list(connection.execute(statement, parameters))
        with self._single.connect() as connection:
            return list(connection.execute(statement, parameters))

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error."""
        with self.sessions.begin() as session:
            yield session

    def ping(self) -> bool:
        """Whether the database answers a trivial query right now."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def dispose(self) -> None:
        """Close every pooled connection (at shutdown, or after a fork)."""
        self.engine.dispose()
        if not self.is_sqlite:
            self._single.engine.dispose()


def insert_for(session: Session):
    """The dialect's INSERT, which has ON CONFLICT DO NOTHING (SQLite and PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def changed(result: Result[Any]) -> int:
    """How many rows an INSERT, UPDATE or DELETE touched (its cursor's rowcount)."""
    return cast(CursorResult[Any], result).rowcount
