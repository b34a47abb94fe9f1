"""The command line against real databases: migrate, production create and list."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.console.slack import BOT_TOKEN, TEAM_ID, FakeSlack
from bot.storage.db import Database
from bot.storage.models import Production

CREATE = [
    "production",
    "create",
    "--name",
    "Hollis Farm",
    "--slug",
    "hollis",
    "--timezone",
    "Europe/London",
    "--channel",
    "C0CREWCHAN",
    "--coordinator",
    "U0COORD001",
]


@pytest.fixture
def env_db(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Database:
    monkeypatch.setenv("DATABASE_URL", database_url)
    database = Database(database_url, pool_size=1)
    yield database
    database.dispose()


def _count(db: Database) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(Production))


def test_migrate_brings_an_empty_database_up(monkeypatch, empty_database_url, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database_url)

    assert main(["migrate"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_create_then_list(env_db: Database, capsys) -> None:
    assert main([*CREATE, "--team", "T0CREW001"]) == 0
    assert main(["production", "list"]) == 0

    out = capsys.readouterr().out
    assert "created production hollis" in out
    assert "hollis\tHollis Farm\tEurope/London\tC0CREWCHAN\tT0CREW001" in out


def test_create_uses_the_bot_tokens_workspace(env_db, monkeypatch, slack: FakeSlack) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_API_URL", slack.api_url)

    assert main(CREATE) == 0

    assert len(slack.calls_to("auth.test")) == 1
    with env_db.transaction() as session:
        assert session.scalar(select(Production)).workspace.team_id == TEAM_ID


def test_create_without_team_or_token_says_what_to_do(env_db, capsys) -> None:
    assert main(CREATE) == 2

    assert "--team" in capsys.readouterr().err
    assert _count(env_db) == 0


@pytest.mark.parametrize(
    ("option", "value", "complaint"),
    [
        ("--timezone", "Europe/Londinium", "not an IANA time zone"),
        ("--slug", "Hollis!", "not a slug"),
        ("--channel", "crew", "not a Slack channel id"),
        ("--coordinator", "ana", "not a Slack user id"),
    ],
)
def test_bad_production_input_is_one_line_and_changes_nothing(
    env_db: Database, capsys, option: str, value: str, complaint: str
) -> None:
    args = [*CREATE, "--team", "T0CREW001"]
    args[args.index(option) + 1] = value

    assert main(args) == 2

    [line] = capsys.readouterr().err.splitlines()
    assert complaint in line
    assert _count(env_db) == 0


def test_a_duplicate_slug_is_refused(env_db: Database, capsys) -> None:
    assert main([*CREATE, "--team", "T0CREW001"]) == 0
    assert main([*CREATE, "--team", "T0CREW001"]) == 2

    assert "already exists" in capsys.readouterr().err
    assert _count(env_db) == 1


def test_unknown_verbs_are_refused_by_argparse(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["launch"])

    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
