"""Shared fixtures: real databases (SQLite and PostgreSQL), the fake Slack, the bot over HTTP."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import psycopg
import pytest
from sqlalchemy import inspect

from bot import clock as process_clock
from bot.config import Settings, load_settings, normalise_database_url
from bot.console.limits import FAST_MINUTE_S
from bot.console.slack import BOT_TOKEN, FakeSlack
from bot.slack.app import CrewcallApp, build_web_client, create_app
from bot.storage.db import Database
from bot.storage.migrate import upgrade
from bot.storage.models import Base
from tests import processes
from tests.slack_requests import SIGNING_SECRET
from tests.wsgi_server import serve

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql),
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: runs against PostgreSQL")
    config.addinivalue_line("markers", "slow: starts real processes")
    config.addinivalue_line("markers", "heavy: takes many seconds (a whole crew's traffic)")
    # The test run's clock, as every process it starts gets it (tests/processes.py):
    # CLOCK_OFFSET=P365D runs the whole suite a year ahead, as .ci/run does.
    load_settings(_env_file=None)
    processes.adopt_orphans()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow and heavy tests first: run in parallel (pytest-xdist), the many short ones then
    fill in around them instead of one long test starting last."""
    items.sort(key=lambda item: not _long(item))


def _long(item: pytest.Item) -> bool:
    return any(item.iter_markers("slow")) or any(item.iter_markers("heavy"))


@pytest.fixture(autouse=True)
def _logging_as_it_was() -> Iterator[None]:
    """A test that runs the CLI (which sets up logging) leaves the root logger as it found it."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(autouse=True)
def _the_runs_clock() -> Iterator[None]:
    """A test that reads settings with another CLOCK_OFFSET leaves the run's clock as it was."""
    offset = process_clock.offset()
    yield
    process_clock.set_offset(offset)


@pytest.fixture(autouse=True)
def _nothing_left_running() -> Iterator[None]:
    """No process a test started outlives it: what is still running after the test's own
    fixtures have ended their processes fails the test, and is killed."""
    yield
    if found := processes.leftovers():
        processes.kill_leftovers(found)
        pytest.fail(f"the test left processes running: {found}", pytrace=False)


@pytest.fixture(autouse=True)
def _no_ambient_settings(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Tests see only the settings they give: no developer env, no .env file."""
    for name in list(os.environ):
        if name.startswith("SLACK_") or name in ("DATABASE_URL", "PORT", "PUBLIC_URL", "LOG_LEVEL"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


# -- PostgreSQL


def _postgres_reachable() -> str | None:
    try:
        with psycopg.connect(PG_URL, connect_timeout=3):
            return None
    except psycopg.OperationalError as exc:
        return str(exc).strip().splitlines()[0]


def require_postgres() -> None:
    """Skip when PostgreSQL is unreachable locally; fail in CI, where it must be there."""
    problem = _postgres_reachable()
    if problem is None:
        return
    message = f"PostgreSQL at {PG_URL} is unreachable: {problem}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI requires it)", pytrace=False)
    pytest.skip(message)


def postgres_schema_url(schema: str) -> str:
    """A URL for PG_URL whose connections use `schema` as their search path.

    Commits do not wait for the disk (synchronous_commit=off): each is as visible to
    every other connection as ever, and only a crash of the server itself, which no
    test makes, could lose one.
    """
    separator = "&" if "?" in PG_URL else "?"
    options = quote(f"-csearch_path={schema} -csynchronous_commit=off")
    return normalise_database_url(f"{PG_URL}{separator}options={options}")


def create_schema(name: str) -> None:
    with psycopg.connect(PG_URL, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{name}"')


def drop_schema(name: str) -> None:
    with psycopg.connect(PG_URL, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture(scope="session")
def _postgres_migrated() -> Iterator[str]:
    require_postgres()
    schema = f"crewcall_test_{uuid.uuid4().hex[:10]}"
    create_schema(schema)
    url = postgres_schema_url(schema)
    db = Database(url, pool_size=1)
    upgrade(db.engine)
    db.dispose()
    yield url
    drop_schema(schema)


def empty_all(url: str) -> None:
    """Every row gone and every id sequence back at 1, as a new database would be.

    DELETE in reverse dependency order is quicker than TRUNCATE for tables this small
    (TRUNCATE makes new files for every table and its indexes).
    """
    tables = _tables_in_order(url)
    with psycopg.connect(_libpq_url(url), autocommit=True) as connection, connection.transaction():
        for table in tables:
            connection.execute(f'DELETE FROM "{table}"')
        connection.execute(
            "SELECT setval(c.oid, 1, false) FROM pg_class c "
            "WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace"
        )


@functools.cache
def _tables_in_order(url: str) -> list[str]:
    """The schema's tables, each before any it refers to (the models' order reversed)."""
    db = Database(url, pool_size=1)
    with db.engine.connect() as connection:
        present = set(inspect(connection).get_table_names()) - {"alembic_version"}
    db.dispose()
    ordered = [table.name for table in reversed(Base.metadata.sorted_tables)]
    return sorted(present - set(ordered)) + [name for name in ordered if name in present]


def _libpq_url(url: str) -> str:
    """The URL as libpq reads it: its own scheme, and a space in the query written %20."""
    address, _, query = url.replace("postgresql+psycopg://", "postgresql://", 1).partition("?")
    return f"{address}?{query.replace('+', '%20')}" if query else address


# -- SQLite


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    db = Database(f"sqlite:///{path}", pool_size=1)
    upgrade(db.engine)
    db.dispose()  # closing the last connection checkpoints the WAL into the file
    assert not path.with_name("template.db-wal").exists()
    return str(path)


# -- the database a test runs on


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "crewcall.db"
        shutil.copy(request.getfixturevalue("_sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("_postgres_migrated")
    yield url
    empty_all(url)


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A database with no tables at all, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    require_postgres()
    schema = f"crewcall_empty_{uuid.uuid4().hex[:10]}"
    create_schema(schema)
    yield postgres_schema_url(schema)
    drop_schema(schema)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url, pool_size=4)
    yield database
    database.dispose()


# -- Slack and the bot


# Slack's rate limits on a fast clock (FAST_MINUTE_S): most tests play a minute's
# traffic (a broadcast, then updates to every DM it made) in an instant on a frozen
# clock, and are about what Crewcall shows, not how it paces. Tests of the pacing use
# Slack's own minute, or one sped up less (tests/test_slack_limits.py).


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.limits.minute = FAST_MINUTE_S
        yield fake


@pytest.fixture
def settings(slack: FakeSlack, database_url: str) -> Settings:
    return Settings(
        _env_file=None,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack.api_url,
        database_url=database_url,
        web_threads=4,
    )


class FakeClock:
    """The bot's clock in tests: set `now`, and every request sees that time."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 10, 18, 12, 0, tzinfo=dt.UTC))


@pytest.fixture
def app(settings: Settings, db: Database, clock: FakeClock) -> CrewcallApp:
    """The real Bolt app, on the test's clock and database, talking to the fake Slack."""
    # Retries as in production, without the half-second waits between them.
    client = build_web_client(settings, backoff=0.0)
    return create_app(settings, db=db, client=client, clock=clock)


@pytest.fixture
def bot(app: CrewcallApp) -> Iterator[str]:
    """The real WSGI app served over HTTP on 127.0.0.1; yields its base URL."""
    with serve(app) as base:
        yield base


@pytest.fixture
def events_url(bot: str) -> str:
    return f"{bot}/slack/events"
