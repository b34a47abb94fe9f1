"""Installing in several workspaces: OAuth through the fake Slack (`oauth.v2.access`), each
workspace's requests and messages with its own bot token, and token rotation."""

from __future__ import annotations

import datetime as dt
import http.client
import time
import urllib.parse
from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select, update

from bot.clock import now as clock_now
from bot.config import Settings
from bot.console.slack import FakeSlack
from bot.core.productions import create_production
from bot.jobs.housekeeping import tidy
from bot.jobs.sender import Sender
from bot.runtime import workspace_tokens
from bot.slack.app import build_web_client, create_app
from bot.storage.db import Database
from bot.storage.installations import (
    STATE_SECONDS,
    STATES,
    installation_store,
    slack_metadata,
)
from bot.storage.models import CrewMember
from tests.crew import drain
from tests.slack_requests import send_signed, shown, slash_command
from tests.wsgi_server import serve

TEAM_B = "T0WSB0001"
MAYA_B = "U0WSB0001"
CREW_B = "U0WSB0002"
PUBLIC = "https://crew.example.com"


@pytest.fixture
def settings(settings: Settings, slack: FakeSlack) -> Settings:
    client_id, secret = slack.client_credentials
    return settings.model_copy(
        update={
            "slack_bot_token": None,
            "slack_client_id": client_id,
            "slack_client_secret": SecretStr(secret),
            "public_url": PUBLIC,
        }
    )


@pytest.fixture
def bot(settings: Settings, db: Database, clock) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with serve(create_app(settings, db=db, clock=clock)) as base:
        yield base


def raw_get(base: str, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    """GET without following redirects."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    return response


def install(bot: str, slack: FakeSlack, *, team_id: str = TEAM_B, rotating: bool = False) -> str:
    """Go through Slack's install flow for `team_id`; the bot token it was given."""
    started = raw_get(bot, "/slack/install")
    assert started.status == 302
    location = urllib.parse.urlsplit(started.getheader("Location"))
    assert location.netloc == "slack.com"
    query = urllib.parse.parse_qs(location.query)
    assert query["redirect_uri"] == [f"{PUBLIC}/slack/oauth_redirect"]
    assert "commands" in query["scope"][0]
    state = query["state"][0]
    cookie = started.getheader("Set-Cookie").split(";")[0]
    token = slack.expect_install("code-1", team_id=team_id, rotating=rotating)
    finished = raw_get(bot, f"/slack/oauth_redirect?code=code-1&state={state}", {"Cookie": cookie})
    assert finished.status == 200, finished.body
    return token


def production_b(db: Database) -> None:
    with db.transaction() as session:
        made = create_production(
            session,
            team_id=TEAM_B,
            name="Blue Door",
            slug="blue",
            timezone="Europe/London",
            channel="C0WSB00001",
            coordinators=[MAYA_B],
        )
        session.add(CrewMember(production=made, slack_user_id=CREW_B, name="Sam Ode"))


def announce_as_b(bot: str, text: str) -> str:
    reply = send_signed(
        f"{bot}/slack/events",
        slash_command(
            "/crewcall", f"announce {text}", user_id=MAYA_B, channel_id="C0WSB00001", team_id=TEAM_B
        ),
    )
    assert reply.status == 200
    return shown(reply.json())


def bot_of(db: Database, settings: Settings, team_id: str):  # type: ignore[no-untyped-def]
    store = installation_store(db, client_id=settings.slack_client_id or "")
    return store.find_bot(enterprise_id=None, team_id=team_id)


def test_installing_stores_the_workspaces_bot(
    bot: str, slack: FakeSlack, db: Database, settings: Settings
) -> None:
    token = install(bot, slack)

    found = bot_of(db, settings, TEAM_B)
    assert found.bot_token == token
    assert found.team_id == TEAM_B


def test_each_workspaces_requests_use_its_own_token(
    bot: str, slack: FakeSlack, db: Database, settings: Settings
) -> None:
    token = install(bot, slack)
    production_b(db)

    answer = announce_as_b(bot, "Fire drill at 10")

    assert answer.startswith("Announcement 1 is on its way to 1 people")
    slack.wait_for_call("users.info", count=1)  # learning the time zone, after answering
    assert {call.token for call in slack.calls_to("users.info")} == {token}


def test_the_sender_posts_with_each_workspaces_token(
    bot: str, slack: FakeSlack, db: Database, settings: Settings
) -> None:
    token = install(bot, slack)
    production_b(db)
    announce_as_b(bot, "Fire drill at 10")

    client = build_web_client(settings, retries=0)
    sender = Sender(db, client, concurrency=2, tokens=workspace_tokens(settings, db))
    drain(sender, db)
    sender.close()

    posts = slack.calls_to("chat.postMessage")
    assert posts
    assert {call.token for call in posts} == {token}
    assert client.token is None  # nothing was sent with a token of another workspace


def test_a_rotating_token_is_refreshed_before_it_expires(
    bot: str, slack: FakeSlack, db: Database, settings: Settings
) -> None:
    first = install(bot, slack, rotating=True)
    production_b(db)
    bots = slack_metadata().tables["slack_bots"]
    # slack_sdk's rotator reads the real clock, not Crewcall's.
    real = dt.datetime.fromtimestamp(time.time(), dt.UTC)
    soon = real.replace(tzinfo=None) + dt.timedelta(minutes=5)
    with db.engine.begin() as connection:
        connection.execute(update(bots).values(bot_token_expires_at=soon))

    announce_as_b(bot, "Fire drill at 10")

    refreshed = bot_of(db, settings, TEAM_B)
    assert refreshed.bot_token != first
    assert first not in slack.tokens  # the old token no longer works
    assert {call.token for call in slack.calls_to("users.info")} == {refreshed.bot_token}


def test_a_forged_or_stale_state_installs_nothing(
    bot: str, slack: FakeSlack, db: Database, settings: Settings
) -> None:
    started = raw_get(bot, "/slack/install")
    cookie = started.getheader("Set-Cookie").split(";")[0]
    slack.expect_install("code-1", team_id=TEAM_B)

    forged = raw_get(bot, "/slack/oauth_redirect?code=code-1&state=forged", {"Cookie": cookie})

    assert forged.status == 400
    assert bot_of(db, settings, TEAM_B) is None


def test_an_unknown_code_installs_nothing(
    bot: str, slack: FakeSlack, db: Database, settings: Settings
) -> None:
    started = raw_get(bot, "/slack/install")
    state = urllib.parse.parse_qs(urllib.parse.urlsplit(started.getheader("Location")).query)[
        "state"
    ][0]
    cookie = started.getheader("Set-Cookie").split(";")[0]

    failed = raw_get(bot, f"/slack/oauth_redirect?code=nope&state={state}", {"Cookie": cookie})

    assert failed.status == 401  # Bolt's answer when Slack refuses the code
    assert bot_of(db, settings, TEAM_B) is None


def test_install_page_states_expire_and_are_cleaned_up(bot: str, db: Database) -> None:
    """Anonymous visits each leave a state; housekeeping removes those past their expiry."""
    for _ in range(3):
        assert raw_get(bot, "/slack/install").status == 302
    states = slack_metadata().tables[STATES]

    def left() -> int:
        with db.readers() as session:
            return session.scalar(select(func.count()).select_from(states))

    now = clock_now()
    assert tidy(db, now=now) == 0  # none has expired yet
    assert left() == 3
    assert tidy(db, now=now + dt.timedelta(seconds=STATE_SECONDS + 1)) == 3
    assert left() == 0
