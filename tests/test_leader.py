"""Leadership: one planner at a time on PostgreSQL, and a successor when the leader goes."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from bot.jobs.leader import Leadership
from bot.storage.db import Database


def test_one_leader_at_a_time_and_another_when_it_lets_go(database_url: str) -> None:
    first, second = Database(database_url, pool_size=1), Database(database_url, pool_size=1)
    a, b = Leadership(first, name="a"), Leadership(second, name="b")
    try:
        assert a.held()
        if first.is_sqlite:
            assert b.held()  # one machine: every scheduler plans, occurrences keep it once
            return
        assert not b.held()
        assert a.held()  # still, on every ask
        a.release()
        assert b.held()
        assert not a.held()
    finally:
        a.release()
        b.release()
        first.dispose()
        second.dispose()


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True
)
def test_a_leader_whose_connection_dies_is_replaced(database_url: str) -> None:
    db = Database(database_url, pool_size=2)
    a, b = Leadership(db, name="a"), Leadership(db, name="b")
    try:
        assert a.held()
        assert not b.held()
        with db.engine.connect() as connection:
            # What PostgreSQL does when the leader's process or machine is gone. The
            # signal is sent at once; the backend (and its lock) goes soon after.
            leader = "WHERE application_name = 'crewcall leader a' AND datname = current_database()"
            connection.execute(
                text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity {leader}")
            )
            _wait_until_none(connection, f"SELECT count(*) FROM pg_stat_activity {leader}")
        assert b.held()
        assert not a.held()  # it notices, and does not plan beside the new leader
    finally:
        a.release()
        b.release()
        db.dispose()


def _wait_until_none(connection, count_query: str, *, seconds: float = 10) -> None:  # type: ignore[no-untyped-def]
    """Poll `count_query` until it counts none; each time in a new transaction, since
    PostgreSQL's activity views keep one snapshot per transaction."""
    deadline = time.monotonic() + seconds
    while connection.execute(text(count_query)).scalar():
        connection.rollback()
        assert time.monotonic() < deadline, f"still there after {seconds} s: {count_query}"
        time.sleep(0.02)
