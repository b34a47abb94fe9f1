"""Migrations apply from empty on both backends, and the models match them."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.storage.db import Database
from bot.storage.migrate import alembic_config, is_current, upgrade
from bot.storage.models import Base


def test_migrations_apply_from_empty_and_match_the_models(empty_database_url: str) -> None:
    db = Database(empty_database_url, pool_size=1)
    assert not is_current(db.engine)

    upgrade(db.engine)

    assert is_current(db.engine)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert set(inspect(connection).get_table_names()) >= set(Base.metadata.tables)
    db.dispose()


def test_migrations_go_down_and_up_again(empty_database_url: str) -> None:
    db = Database(empty_database_url, pool_size=1)
    upgrade(db.engine)

    command.downgrade(alembic_config(db.engine), "base")
    with db.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    upgrade(db.engine)

    assert is_current(db.engine)
    db.dispose()


def test_upgrade_twice_changes_nothing(empty_database_url: str) -> None:
    db = Database(empty_database_url, pool_size=1)
    upgrade(db.engine)
    upgrade(db.engine)

    assert is_current(db.engine)
    db.dispose()
