"""Leadership: one planner at a time on PostgreSQL, and a successor when the leader goes."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import text

from bot.jobs.leader import Leadership, current_leader
from bot.storage.db import Database
from tests.conftest import create_schema, drop_schema, postgres_schema_url, require_postgres


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
    # Names no other test (in another schema, in parallel) gives its leaders.
    a_name, b_name = (f"{n}-{uuid.uuid4().hex[:8]}" for n in "ab")
    a, b = Leadership(db, name=a_name), Leadership(db, name=b_name)
    try:
        assert a.held()
        assert not b.held()
        with db.engine.connect() as connection:
            # What PostgreSQL does when the leader's process or machine is gone. The
            # signal is sent at once; the backend (and its lock) goes soon after.
            leader = f"WHERE application_name = 'crewcall leader {a_name}'"
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


@pytest.mark.postgresql
def test_each_schema_has_its_own_leader() -> None:
    """Two deployments (or two test runs) in their own schemas of one PostgreSQL database
    each plan: the lock is the schema's, not the database's."""
    require_postgres()
    schemas = [f"crewcall_leader_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    databases, leaders = [], []
    try:
        for schema in schemas:
            create_schema(schema)
            databases.append(Database(postgres_schema_url(schema), pool_size=1))
        leaders = [
            Leadership(db, name=schema) for db, schema in zip(databases, schemas, strict=True)
        ]
        rival = Leadership(databases[0], name="rival")

        assert all(leader.held() for leader in leaders)
        assert not rival.held()  # one leader per schema still
        assert [current_leader(db) for db in databases] == schemas
        rival.release()
    finally:
        for leader in leaders:
            leader.release()
        for db in databases:
            db.dispose()
        for schema in schemas:
            drop_schema(schema)
