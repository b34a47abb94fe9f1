"""The in-memory schedules: current after changes here at once, elsewhere within staleness."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.calltime import parse_request
from bot.console.slack import TEAM_ID
from bot.directory import Directory
from bot.errors import UserError
from bot.imports.run import import_file
from bot.productions import create_production
from bot.schedule import RECALLED
from bot.storage.db import Database
from bot.storage.models import Production
from tests.hollis import FIRST_AC, import_hollis


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


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
    ticks = Ticks()
    directory = Directory(db, staleness=60, monotonic=ticks)
    assert _general_call(directory, 2) == 7 * 60

    _move_day_2(db, "08:15")

    assert _general_call(directory, 2) == 8 * 60 + 15


def test_a_change_elsewhere_is_seen_after_staleness(db: Database) -> None:
    import_hollis(db)
    ticks = Ticks()
    directory = Directory(db, staleness=1.0, monotonic=ticks)
    assert _general_call(directory, 2) == 7 * 60
    elsewhere = Database(db.url, pool_size=1)  # another process's connection and listeners

    _move_day_2(elsewhere, "09:00")
    still = _general_call(directory, 2)
    ticks.now += 1.0
    later = _general_call(directory, 2)

    assert (still, later) == (7 * 60, 9 * 60)
    elsewhere.dispose()


def test_unchanged_schedules_are_not_reloaded(db: Database) -> None:
    import_hollis(db)
    ticks = Ticks()
    directory = Directory(db, staleness=1.0, monotonic=ticks)
    first = directory.workspace(TEAM_ID).productions

    ticks.now += 5
    again = directory.workspace(TEAM_ID).productions

    assert [id(s) for s in first.values()] == [id(s) for s in again.values()]


def test_a_new_production_made_here_shows_up_at_once(db: Database) -> None:
    import_hollis(db)
    directory = Directory(db, staleness=60, monotonic=Ticks())
    assert len(directory.workspace(TEAM_ID).productions) == 1

    with db.transaction() as session:
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
        with pytest.raises(UserError, match="neither a date nor a department"):
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


def test_an_old_copy_is_refreshed_after_answering_while_requests_use_it(db: Database) -> None:
    import_hollis(db)
    ticks, later = Ticks(), []
    directory = Directory(db, staleness=1.0, monotonic=ticks, refresh_in=later.append)
    first = _general_call(directory, 2)  # nothing held yet: read in the request
    elsewhere = Database(db.url, pool_size=1)

    _move_day_2(elsewhere, "09:00")
    ticks.now += 1.0
    old = [_general_call(directory, 2) for _ in range(3)]
    refreshes = len(later)
    later.pop()()
    refreshed = _general_call(directory, 2)

    assert (first, old, refreshed) == (7 * 60, [7 * 60] * 3, 9 * 60)
    assert refreshes == 1  # one refresh however many requests found the copy old
    assert later == []
    elsewhere.dispose()


def test_a_change_here_is_still_seen_at_once_when_refreshes_wait(db: Database) -> None:
    import_hollis(db)
    later: list = []
    directory = Directory(db, staleness=60, monotonic=Ticks(), refresh_in=later.append)
    assert _general_call(directory, 2) == 7 * 60

    _move_day_2(db, "08:15")

    assert _general_call(directory, 2) == 8 * 60 + 15
    assert later == []
