"""Building the console: the local Slack, the real app on its database, and the loop."""

from __future__ import annotations

import datetime as dt
import logging
import sys
import tempfile
import zoneinfo
from pathlib import Path
from typing import TextIO

from pydantic import SecretStr
from sqlalchemy import func, select

from bot.clock import now as utcnow
from bot.config import ConfigError, Settings
from bot.console import demo
from bot.console.limits import FAST_MINUTE_S
from bot.console.payloads import SIGNING_SECRET
from bot.console.session import Console, SimClock
from bot.console.slack import BOT_TOKEN, FakeSlack
from bot.slack.app import CrewcallApp, build_web_client, create_app
from bot.storage.db import Database
from bot.storage.migrate import upgrade
from bot.storage.models import CrewMember, Production, Role


def run_console(
    settings: Settings,
    *,
    with_demo: bool,
    database_url: str | None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> int:
    """Run the console until `quit` or the end of input; lines from a pipe are echoed.

    The app's own log (a line per request and delivery) would drown the transcript:
    only warnings and errors are logged while it runs.
    """
    if logging.getLogger().level < logging.WARNING:
        logging.getLogger().setLevel(logging.WARNING)
    try:
        return _run(
            settings, with_demo=with_demo, database_url=database_url, stdin=stdin, stdout=stdout
        )
    except BrokenPipeError:  # the reader went away (`| head`): nothing more to say
        return 0


def _run(
    settings: Settings,
    *,
    with_demo: bool,
    database_url: str | None,
    stdin: TextIO,
    stdout: TextIO,
) -> int:
    with tempfile.TemporaryDirectory() as scratch, FakeSlack() as slack:
        slack.limits.minute = FAST_MINUTE_S  # what a minute of Slack lets through, at once
        url = database_url or (
            f"sqlite:///{scratch}/demo.db" if with_demo else settings.database_url
        )
        db = Database(url, pool_size=8)
        upgrade(db.engine)
        if with_demo:
            _fresh_demo(db)
        production, team_id, coordinator, names = _who_is_here(db)
        _as_workspace(slack, team_id, names, zone=production.timezone)
        clock = SimClock(demo.START.astimezone(dt.UTC) if with_demo else utcnow())
        console = Console(
            app=_local_app(slack, db, url, clock),
            slack=slack,
            db=db,
            clock=clock,
            out=stdout,
            user=coordinator,
            channel=production.crew_channel,
            names=names,
            zone=zoneinfo.ZoneInfo(production.timezone),
            production=production.name,
            team_id=team_id,
        )
        interactive = stdin.isatty()
        _greet(console, production, coordinator, names, with_demo=with_demo)
        console.run(_lines(stdin, interactive), echo=not interactive)
        db.dispose()
    return 0


def _as_workspace(slack: FakeSlack, team_id: str, names: dict[str, str], *, zone: str) -> None:
    """The stand-in Slack as the production's workspace: its token, its people."""
    slack.token_teams[BOT_TOKEN] = team_id
    for user_id in names:
        if user_id.startswith(("U", "W")):
            slack.add_user(user_id, tz=zone)


def _local_app(slack: FakeSlack, db: Database, url: str, clock: SimClock) -> CrewcallApp:
    """The app as it runs, talking to the stand-in Slack, on the console's clock."""
    local = Settings(
        _env_file=None,
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_api_url=slack.api_url,
        database_url=url,
    )
    return create_app(local, db=db, client=build_web_client(local), clock=clock)


def _fresh_demo(db: Database) -> None:
    with db.transaction() as session:
        if session.scalar(select(func.count()).select_from(Production)):
            raise ConfigError(
                "--demo needs a new database; leave out --database, or name a new one"
            )
        demo.create_demo(session)


def _who_is_here(db: Database) -> tuple[Production, str, str, dict[str, str]]:
    """The first production, its workspace's team id, one of its coordinators, and every
    Slack id's name."""
    with db.readers() as session:
        production = session.scalar(select(Production).order_by(Production.id))
        if production is None:
            raise ConfigError(
                "there is no production in this database; try crewcall console --demo"
            )
        coordinator = session.scalar(
            select(CrewMember.slack_user_id).where(
                CrewMember.production_id == production.id,
                CrewMember.role == Role.COORDINATOR,
                CrewMember.slack_user_id.is_not(None),
            )
        )
        names = {
            member.slack_user_id: member.name
            for member in session.scalars(select(CrewMember))
            if member.slack_user_id
        }
        for each in session.scalars(select(Production)):
            names[each.crew_channel] = f"{each.slug}-crew"
        team_id = production.workspace.team_id
        session.expunge(production)
    return production, team_id, coordinator or "", names


def _greet(
    console: Console,
    production: Production,
    coordinator: str,
    names: dict[str, str],
    *,
    with_demo: bool,
) -> None:
    now = console.clock.now.astimezone(zoneinfo.ZoneInfo(production.timezone))
    console.say(
        f"Crewcall console: {production.name}, {now:%a %-d %b %Y %H:%M}. "
        f"You are {names.get(coordinator, coordinator)}, a coordinator. `help` lists what to type."
    )
    if with_demo:
        console.say("Things to try:")
        for thing in demo.THINGS_TO_TRY:
            console.say(f"  {thing}")


def _lines(stdin: TextIO, interactive: bool):
    """Lines typed at a prompt with line editing and history, or read from a pipe."""
    if not interactive:
        yield from stdin
        return
    try:
        import readline

        history = Path.home() / ".crewcall_console_history"
        if history.exists():
            readline.read_history_file(history)
    except (ImportError, OSError):
        history = None
    try:
        while True:
            yield input("crewcall> ")
    except (EOFError, KeyboardInterrupt):
        return
    finally:
        if history is not None:
            readline.write_history_file(history)
