"""Migrations apply from empty on both backends, and the models match them."""

from __future__ import annotations

import datetime as dt

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, inspect, text

from bot.storage.db import Database
from bot.storage.installations import slack_metadata
from bot.storage.migrate import alembic_config, is_current, upgrade
from bot.storage.models import Base

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def every_table() -> MetaData:
    """Crewcall's models and slack_sdk's installation tables, which the migrations create."""
    combined = MetaData(naming_convention=Base.metadata.naming_convention)
    for metadata in (Base.metadata, slack_metadata()):
        for table in metadata.tables.values():
            table.to_metadata(combined)
    return combined


def test_migrations_apply_from_empty_and_match_the_models(empty_database_url: str) -> None:
    db = Database(empty_database_url, pool_size=1)
    assert not is_current(db.engine)

    upgrade(db.engine)

    assert is_current(db.engine)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, every_table()) == []
        assert set(inspect(connection).get_table_names()) >= set(every_table().tables)
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


def test_0002_turns_department_names_into_departments(empty_database_url: str) -> None:
    db = Database(empty_database_url, pool_size=1)
    config = alembic_config(db.engine)
    command.upgrade(config, "0001")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO workspaces (team_id, name, created_at) VALUES ('T0CREW001', '', :now);"
            ),
            {"now": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO productions (workspace_id, name, slug, timezone, crew_channel, active,"
                " callsheet_time, reminder_lead, renotify_every, renotify_max, quiet_start,"
                " quiet_end, rentals_time, time_format, date_order, revision_colours, created_at)"
                " VALUES (1, 'Hollis', 'hollis', 'Europe/London', 'C0CREWCHAN', true, '18:00:00',"
                " 90, 30, 3, '22:00:00', '06:00:00', '09:00:00', '24h', 'dmy', '[]', :now)"
            ),
            {"now": NOW},
        )
        for user, department in [
            ("U01", "Camera"),
            ("U02", "camera "),
            ("U03", "Grip"),
            ("U04", ""),
        ]:
            connection.execute(
                text(
                    "INSERT INTO crew_members (production_id, slack_user_id, name, department,"
                    " position, role, phone, created_at)"
                    " VALUES (1, :user, '', :department, '', 'crew', '', :now)"
                ),
                {"user": user, "department": department, "now": NOW},
            )

    command.upgrade(config, "head")

    with db.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT m.slack_user_id, d.id, lower(d.name) FROM crew_members m"
                " LEFT JOIN departments d ON d.id = m.department_id ORDER BY m.slack_user_id"
            )
        ).all()
    (_, camera, name1), (_, camera_too, name2), (_, grip, name3), (_, none, _) = rows
    assert camera == camera_too != grip
    assert (name1, name2, name3, none) == ("camera", "camera", "grip", None)
    db.dispose()


def test_0011_places_clock_calls_where_they_land_on_their_day(
    empty_database_url: str,
) -> None:
    db = Database(empty_database_url, pool_size=1)
    config = alembic_config(db.engine)
    command.upgrade(config, "0010")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO workspaces (team_id, name, created_at) VALUES ('T0CREW001', '', :now)"
            ),
            {"now": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO productions (workspace_id, name, slug, timezone, crew_channel, active,"
                " callsheet_time, reminder_lead, renotify_every, renotify_max, quiet_start,"
                " quiet_end, rentals_time, time_format, date_order, revision_colours, currency,"
                " schedule_version, created_at)"
                " VALUES (1, 'Hollis', 'hollis', 'Europe/London', 'C0CREWCHAN', true, '18:00:00',"
                " 90, 30, 3, '22:00:00', '06:00:00', '09:00:00', '24h', 'dmy', '[]', 'GBP', 1,"
                " :now)"
            ),
            {"now": NOW},
        )
        for name in ("Sound", "Camera"):
            connection.execute(
                text("INSERT INTO departments (production_id, name, key) VALUES (1, :name, :key)"),
                {"name": name, "key": name.lower()},
            )
        for date, general in (("2026-11-02", 18 * 60), ("2026-11-03", 7 * 60)):
            connection.execute(
                text(
                    "INSERT INTO shoot_days (production_id, date, general_call, location_name,"
                    " address, parking, hospital, notes, status, revision, updated_at)"
                    " VALUES (1, :date, :general, '', '', '', '', '', 'scheduled', 1, :now)"
                ),
                {"date": date, "general": general, "now": NOW},
            )
        # The night shoot's Sound 01:30 and Camera 17:00 and -90; the next day's Sound 05:30.
        for day, department, kind, minutes in (
            (1, 1, "clock", 90),
            (1, 2, "clock", 17 * 60),
            (2, 1, "clock", 330),
            (2, 2, "offset", -90),
        ):
            connection.execute(
                text(
                    "INSERT INTO calls (shoot_day_id, department_id, kind, minutes, note)"
                    " VALUES (:day, :department, :kind, :minutes, '')"
                ),
                {"day": day, "department": department, "kind": kind, "minutes": minutes},
            )

    command.upgrade(config, "head")

    with db.engine.connect() as connection:
        calls = connection.execute(text("SELECT kind, minutes FROM calls ORDER BY id")).all()
    assert [tuple(row) for row in calls] == [
        ("clock", 90 + 24 * 60),  # 01:30 the next morning
        ("clock", 17 * 60),
        ("clock", 330),
        ("offset", -90),
    ]
    db.dispose()
