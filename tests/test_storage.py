"""Storage on SQLite and PostgreSQL: UTC, constraints, productions, event records."""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, StatementError

from bot.clock import now as clock_now
from bot.core.errors import UserError
from bot.core.productions import create_production, list_productions
from bot.jobs.housekeeping import EVENT_MEMORY, forget_old_events
from bot.storage.db import Database
from bot.storage.event_deliveries import first_delivery
from bot.storage.models import CrewMember, ProcessedEvent, Production, Role, Workspace

NOW = dt.datetime(2026, 11, 21, 18, 30, tzinfo=dt.UTC)
HOLLIS = {
    "name": "Hollis Farm",
    "slug": "hollis",
    "timezone": "Europe/London",
    "channel": "C0CREWCHAN",
    "coordinators": ["U0COORD001", "U0COORD002"],
}


def test_aware_datetimes_come_back_aware_and_in_utc(db: Database) -> None:
    los_angeles = dt.datetime(2026, 11, 24, 6, 30, tzinfo=zoneinfo.ZoneInfo("America/Los_Angeles"))
    with db.transaction() as session:
        session.add(ProcessedEvent(event_id="Ev1", received_at=los_angeles))

    with db.transaction() as session:
        stored = session.get(ProcessedEvent, "Ev1").received_at

    assert stored.tzinfo is not None
    assert stored.utcoffset() == dt.timedelta(0)
    assert stored == los_angeles


def test_naive_datetimes_are_refused(db: Database) -> None:
    with db.sessions() as session:
        session.add(ProcessedEvent(event_id="Ev2", received_at=dt.datetime(2026, 1, 1)))  # noqa: DTZ001
        with pytest.raises(StatementError, match="naive"):
            session.flush()


def test_foreign_keys_are_enforced(db: Database) -> None:
    with db.sessions() as session:
        session.add(CrewMember(production_id=424242, slack_user_id="U0NOBODY01"))
        with pytest.raises(IntegrityError):
            session.flush()


def test_create_production_with_its_coordinators(db: Database) -> None:
    with db.transaction() as session:
        create_production(session, team_id="T0CREW001", **HOLLIS)

    with db.transaction() as session:
        [production] = list_productions(session, team_id="T0CREW001")
        coordinators = sorted((m.slack_user_id, m.role) for m in production.crew)
    assert production.slug == "hollis"
    assert production.callsheet_time == dt.time(18, 0)
    assert production.reminder_lead == 90
    assert production.revision_colours[:3] == ["White", "Blue", "Pink"]
    assert coordinators == [("U0COORD001", Role.COORDINATOR), ("U0COORD002", Role.COORDINATOR)]


def test_productions_are_listed_per_workspace(db: Database) -> None:
    with db.transaction() as session:
        create_production(session, team_id="T0CREW001", **HOLLIS)
        create_production(session, team_id="T0OTHER01", **{**HOLLIS, "name": "Other Show"})

    with db.transaction() as session:
        assert [p.name for p in list_productions(session, team_id="T0OTHER01")] == ["Other Show"]
        assert len(list_productions(session)) == 2


@pytest.mark.parametrize(
    ("field", "value", "complaint"),
    [
        ("slug", "Hollis Farm", "not a slug"),
        ("slug", "", "not a slug"),
        ("timezone", "Mars/Olympus", "not an IANA time zone"),
        ("channel", "#crew", "not a Slack channel id"),
        ("coordinators", [], "at least one coordinator"),
        ("coordinators", ["@ana"], "not a Slack user id"),
        ("name", "   ", "give a name"),
    ],
)
def test_bad_production_input_is_explained_and_changes_nothing(
    db: Database, field: str, value: object, complaint: str
) -> None:
    with pytest.raises(UserError, match=complaint), db.transaction() as session:
        create_production(session, team_id="T0CREW001", **{**HOLLIS, field: value})

    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Production)) == 0
        assert session.scalar(select(func.count()).select_from(CrewMember)) == 0


def test_duplicate_slug_is_refused(db: Database) -> None:
    with db.transaction() as session:
        create_production(session, team_id="T0CREW001", **HOLLIS)

    with pytest.raises(UserError, match="already exists"), db.transaction() as session:
        create_production(session, team_id="T0CREW001", **HOLLIS)


def test_bad_team_id_is_refused(db: Database) -> None:
    with pytest.raises(UserError, match="not a Slack team id"), db.transaction() as session:
        create_production(session, team_id="crew", **HOLLIS)

    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Workspace)) == 0


def test_an_event_is_first_delivered_once(db: Database) -> None:
    with db.transaction() as session:
        assert first_delivery(session, event_id="Ev0ONCE", now=NOW) is True
    with db.transaction() as session:
        assert first_delivery(session, event_id="Ev0ONCE", now=NOW) is False
        assert first_delivery(session, event_id="Ev0TWICE", now=NOW) is True


def test_a_rolled_back_delivery_can_be_delivered_again(db: Database) -> None:
    session = db.sessions()
    assert first_delivery(session, event_id="Ev0ROLLED", now=NOW) is True
    session.rollback()
    session.close()

    with db.transaction() as session:
        assert first_delivery(session, event_id="Ev0ROLLED", now=NOW) is True


def test_concurrent_deliveries_of_one_event_let_exactly_one_through(db: Database) -> None:
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def deliver() -> None:
        barrier.wait()
        with db.transaction() as session:
            results.append(first_delivery(session, event_id="Ev0RACE", now=NOW))

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False] * 7 + [True]


def test_old_event_records_are_forgotten(db: Database) -> None:
    with db.transaction() as session:
        first_delivery(session, event_id="Ev0OLD", now=NOW - EVENT_MEMORY - dt.timedelta(1))
        first_delivery(session, event_id="Ev0NEW", now=NOW - dt.timedelta(hours=1))

    assert forget_old_events(db, now=NOW) == 1

    with db.transaction() as session:
        assert session.scalars(select(ProcessedEvent.event_id)).all() == ["Ev0NEW"]


def _write_event(db: Database, event_id: str) -> None:
    with db.transaction() as session:
        first_delivery(session, event_id=event_id, now=clock_now())


def test_sqlite_writers_take_turns_and_a_failed_one_lets_go(tmp_path) -> None:
    from bot.storage.migrate import upgrade

    db = Database(f"sqlite:///{tmp_path / 'turns.db'}", pool_size=12)
    upgrade(db.engine)

    def orphan() -> None:
        with db.transaction() as session:
            session.add(CrewMember(production_id=999, slack_user_id="U0NOPROD1"))

    with pytest.raises(IntegrityError):
        orphan()
    # A connection thrown away mid-transaction must not keep the writers' lock either.
    with db.engine.connect() as connection:
        connection.begin()
        connection.invalidate()
        connection.rollback()

    threads = [threading.Thread(target=_write_event, args=(db, f"Ev{n:04d}")) for n in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    with db.readers.begin() as session:
        assert session.scalar(select(func.count()).select_from(ProcessedEvent)) == 200
    db.dispose()


# SQLite's connections are to a file: there is no server to drop one.
@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True
)
def test_a_glance_survives_a_connection_the_server_dropped(db: Database) -> None:
    """One-statement reads skip the pool's ping; a pooled connection the server has dropped
    since (a restart, an idle timeout) is replaced, and the read still answers."""
    ask = select(func.count()).select_from(Workspace)
    assert db.glance(ask)[0][0] == 0
    pooled = db.glance(select(func.pg_backend_pid()))[0][0]
    with db.engine.connect() as admin:
        assert admin.execute(select(func.pg_terminate_backend(pooled))).scalar()
    assert db.glance(ask)[0][0] == 0
    assert db.glance(select(func.pg_backend_pid()))[0][0] != pooled
