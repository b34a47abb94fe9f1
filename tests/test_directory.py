"""The schedules a process holds: every use sees every change committed before it, anywhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.calls.calltime import parse_request
from bot.console.slack import TEAM_ID, FakeSlack
from bot.core.directory import Directory
from bot.core.errors import UserError
from bot.core.productions import create_production
from bot.core.schedule import RECALLED
from bot.imports.run import import_file
from bot.storage.db import Database
from bot.storage.models import Production
from tests import processes
from tests.hollis import FIRST_AC, import_hollis
from tests.slack_requests import send_signed, shown, slash_command
from tests.test_process import start_http, wait_healthy


def _general_call(directory: Directory, day_number: int) -> int:
    [schedule] = directory.workspace(TEAM_ID).productions.values()
    return schedule.numbered(day_number).general_call


def _move_day_2(db: Database, general_call: str) -> None:
    data = f"date,day,general_call\n2026-10-20,2,{general_call}\n".encode()
    with db.transaction() as session:
        production = session.scalar(select(Production))
        import_file(session, production=production, kind="schedule", data=data)


def test_a_change_in_this_process_is_seen_at_once(db: Database) -> None:
    import_hollis(db)
    directory = Directory(db)
    assert _general_call(directory, 2) == 7 * 60

    _move_day_2(db, "08:15")

    assert _general_call(directory, 2) == 8 * 60 + 15


def test_another_processs_change_is_seen_by_the_next_use(db: Database) -> None:
    import_hollis(db)
    directory = Directory(db)
    assert _general_call(directory, 2) == 7 * 60
    elsewhere = Database(db.url, pool_size=1)  # another process's connection and listeners

    _move_day_2(elsewhere, "09:00")

    assert _general_call(directory, 2) == 9 * 60
    elsewhere.dispose()


def test_unchanged_schedules_are_not_reloaded(db: Database) -> None:
    import_hollis(db)
    directory = Directory(db)
    first = directory.workspace(TEAM_ID)

    again = directory.workspace(TEAM_ID)

    assert again is first
    assert [id(s) for s in first.productions.values()] == [
        id(s) for s in again.productions.values()
    ]


def test_a_new_production_shows_up_at_once(db: Database) -> None:
    import_hollis(db)
    directory = Directory(db)
    assert len(directory.workspace(TEAM_ID).productions) == 1
    elsewhere = Database(db.url, pool_size=1)

    with elsewhere.transaction() as session:
        create_production(
            session,
            team_id=TEAM_ID,
            name="Second Unit",
            slug="second",
            timezone="Europe/London",
            channel="C0SECOND01",
            coordinators=[FIRST_AC],
        )

    assert len(directory.workspace(TEAM_ID).productions) == 2
    elsewhere.dispose()


def test_a_process_holds_a_bounded_number_of_workspaces(db: Database) -> None:
    teams = [f"T0BOUND{n:03d}" for n in range(3)]
    with db.transaction() as session:
        for n, team in enumerate(teams):
            create_production(
                session,
                team_id=team,
                name=f"Show {n}",
                slug=f"show{n}",
                timezone="Europe/London",
                channel=f"C0BOUND{n:03d}",
                coordinators=[FIRST_AC],
            )
    directory = Directory(db, kept=2)
    first = directory.workspace(teams[0])
    directory.workspace(teams[1])
    directory.workspace(teams[2])  # the least recently used, teams[0], is let go

    assert directory.workspace(teams[0]) is not first
    assert directory.workspace(teams[2]) is directory.workspace(teams[2])


def test_unknown_workspaces_are_none(db: Database) -> None:
    assert Directory(db).workspace("T0NOBODY01") is None


def test_typed_text_is_read_once_a_day_per_schedule_version(db: Database) -> None:
    import_hollis(db)
    [schedule] = Directory(db).workspace(TEAM_ID).productions.values()
    evening = dt.datetime(2026, 10, 19, 22, 59, tzinfo=dt.UTC)  # 23:59 in London
    midnight = evening + dt.timedelta(minutes=2)  # 00:01: tomorrow is another day

    first = parse_request(schedule, text="tomorrow camera", now=evening)
    again = parse_request(schedule, text="tomorrow camera", now=evening)
    next_day = parse_request(schedule, text="tomorrow camera", now=midnight)

    assert again is first
    assert first.when.date == dt.date(2026, 10, 20)
    assert next_day.when.date == dt.date(2026, 10, 21)
    for _ in range(2):  # a refusal is not kept as an answer
        with pytest.raises(UserError, match="neither a date, a department nor a person"):
            parse_request(schedule, text="tomorrow catering", now=evening)


def test_a_schedule_keeps_a_bounded_number_of_typed_answers(db: Database) -> None:
    import_hollis(db)
    [schedule] = Directory(db).workspace(TEAM_ID).productions.values()
    computed: list[int] = []

    def remember(n: int) -> int:
        return schedule.recall(("test", n), lambda: computed.append(n) or n)

    for n in range(RECALLED + 1):
        remember(n)
    remember(RECALLED)  # kept
    remember(0)  # forgotten when the memo filled up

    assert computed == [*range(RECALLED + 1), 0]


@pytest.mark.slow
def test_a_change_made_by_another_process_shows_in_every_web_process_at_once(
    db: Database, slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    """Two real web processes answer, each having cached the day; `crewcall import` in a
    third process moves Camera's call; both answer with the new call on the next request."""
    import_hollis(db)
    webs = [
        start_http(slack, database_url, "--no-scheduler", healthy=False, WEB_CONCURRENCY="1")
        for _ in range(2)
    ]
    try:
        for base, process in webs:
            wait_healthy(base, process)
        before = [_calltime(base, "2026-10-20") for base, _ in webs]
        calls = tmp_path / "calls.csv"
        calls.write_text("date,who,call\n2026-10-20,Camera,-120\n")
        imported = processes.run(
            processes.crewcall(
                "import", "calls", str(calls), "--production", "hollis", "--team", TEAM_ID
            ),
            env=processes.environment(DATABASE_URL=database_url),
        )
        assert imported.returncode == 0, imported.stderr
        after = [_calltime(base, "2026-10-20") for base, _ in webs]
    finally:
        processes.end(process for _, process in webs)

    assert all("*06:00* · Camera call" in answer for answer in before), before
    assert all("*05:00* · Camera call" in answer for answer in after), after


def _calltime(base: str, when: str) -> str:
    reply = send_signed(f"{base}/slack/events", slash_command("/calltime", when, user_id=FIRST_AC))
    assert reply.status == 200, reply.body
    return shown(reply.json())
