"""`crewcall run --http` as a real process: gunicorn, the fake Slack, SIGTERM, SIGKILL."""

from __future__ import annotations

import datetime as dt
import json
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import pytest

from bot import clock
from bot.console.slack import APP_TOKEN, BOT_TOKEN, FakeSlack
from bot.storage.db import Database
from bot.storage.models import ShootDay
from tests import processes
from tests.crew import CHANNEL, make_crew, user_id
from tests.slack_requests import SIGNING_SECRET, get, send_signed, slash_command
from tests.socket_fake import fake_socket_mode

pytestmark = pytest.mark.slow


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_health(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"crewcall exited early: {process.stderr.read()}")
        try:
            if get(url).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("crewcall did not become healthy")


def _bot_env(slack: FakeSlack, database_url: str, **settings: str) -> dict:
    """The environment of a bot process talking to the fake Slack."""
    return processes.environment(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=database_url,
        **settings,
    )


def start_http(
    slack: FakeSlack, database_url: str, *args: str, healthy: bool = True, **settings: str
) -> tuple[str, subprocess.Popen]:
    """`crewcall run --http <args>` on a port of its own (once healthy, unless told not to
    wait); its base URL. `settings` are environment variables over the defaults here."""
    port = free_port()
    defaults = {"WEB_CONCURRENCY": "2", "WEB_THREADS": "4", "LOG_LEVEL": "WARNING"}
    env = _bot_env(
        slack, database_url, SLACK_SIGNING_SECRET=SIGNING_SECRET, **{**defaults, **settings}
    )
    process = processes.start(
        processes.crewcall("run", "--http", "--port", str(port), *args),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    if healthy:
        wait_healthy(base, process)
    return base, process


def wait_healthy(base: str, process: subprocess.Popen) -> None:
    """Return once `base` answers /healthz with 200; end the process if it never does."""
    try:
        _wait_for_health(f"{base}/healthz", process)
    except BaseException:
        processes.end([process])
        raise


@pytest.fixture
def http_process(slack: FakeSlack, database_url: str) -> Iterator[tuple[str, subprocess.Popen]]:
    base, process = start_http(slack, database_url)
    try:
        yield base, process
    finally:
        processes.end([process])


def test_http_mode_serves_signed_commands_through_gunicorn(
    http_process: tuple[str, subprocess.Popen], slack: FakeSlack
) -> None:
    base, _process = http_process

    replies = [
        send_signed(f"{base}/slack/events", slash_command("/crewcall", "help")) for _ in range(6)
    ]

    assert {reply.status for reply in replies} == {200}
    assert all(reply.json()["response_type"] == "ephemeral" for reply in replies)
    # The start-up check, one per gunicorn worker as it boots, and the scheduler's
    # `crewcall worker` beside them: all at the fake, each once.
    deadline = time.monotonic() + 15
    while len(slack.calls_to("auth.test")) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(slack.calls_to("auth.test")) == 4
    assert {call.token for call in slack.calls} == {BOT_TOKEN}


def test_sigterm_stops_http_mode_cleanly(http_process: tuple[str, subprocess.Popen]) -> None:
    _base, process = http_process

    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    code = process.wait(timeout=15)

    assert code == 0
    assert time.monotonic() - started < 12


def test_socket_mode_connects_through_slack_api_url_and_answers(
    slack: FakeSlack, database_url: str
) -> None:
    port = free_port()
    with fake_socket_mode() as socket_mode:
        slack.websocket_url = socket_mode.url
        env = _bot_env(slack, database_url, SLACK_APP_TOKEN=APP_TOKEN, PORT=str(port))
        process = processes.start(
            processes.crewcall("run"), env=env, stderr=subprocess.PIPE, text=True
        )
        try:
            assert socket_mode.connected.wait(30), "the bot never connected"
            body, _kind = slash_command("/crewcall", "help")
            ack = socket_mode.send("slash_commands", dict(parse_qsl(body)))
            _wait_for_health(f"http://127.0.0.1:{port}/healthz", process)
            health = get(f"http://127.0.0.1:{port}/healthz")
            # Socket Mode serves nothing but its health over HTTP: no unsigned commands.
            events = send_signed(
                f"http://127.0.0.1:{port}/slack/events", slash_command("/crewcall", "help")
            )
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=15)
        finally:
            processes.end([process])

    assert code == 0
    assert (health.status, health.json()["socket_mode"]) == (200, "connected")
    assert health.json()["database"] == "ok"
    assert events.status == 404
    assert ack["payload"]["response_type"] == "ephemeral"
    assert "`/calltime [when]" in json.dumps(ack["payload"]["blocks"])
    [opened] = slack.calls_to("apps.connections.open")
    assert opened.token == APP_TOKEN
    assert slack.calls_to("auth.test")


def test_worker_runs_until_sigterm(slack: FakeSlack, database_url: str) -> None:
    env = _bot_env(slack, database_url, LOG_LEVEL="INFO")
    process = processes.start(
        processes.crewcall("worker"), env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 30
        lines = []
        while time.monotonic() < deadline:
            lines.append(process.stderr.readline())
            if "worker is running" in lines[-1]:
                break
        assert any("worker is running" in line for line in lines), lines
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        processes.end([process])


def test_worker_without_a_bot_token_refuses_to_start(database_url: str) -> None:
    env = processes.environment(DATABASE_URL=database_url)
    result = processes.run(processes.crewcall("worker"), env=env, timeout=30)

    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr


def test_a_killed_web_process_takes_its_workers_with_it(
    slack: FakeSlack, database_url: str
) -> None:
    """gunicorn's workers and the `crewcall worker` beside them exit when their parent is
    killed outright (SIGKILL: no hook runs), rather than living on under init."""
    _base, process = start_http(slack, database_url)
    try:
        deadline = time.monotonic() + 30
        # Two web workers and the scheduler's worker, each with a parent checked.
        while len(processes.group_of(process.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        started = processes.group_of(process.pid)
        assert len(started) >= 3, started
        process.send_signal(signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 20
        while processes.running(started) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = processes.running(started)
    finally:
        processes.end([process])

    assert not left, f"still running after their parent was killed: {sorted(left)}"


def test_a_process_started_by_a_test_keeps_the_tests_clock(
    slack: FakeSlack, db: Database, database_url: str
) -> None:
    """CLOCK_OFFSET moves every process's clock alike: a web process started 30 days ahead
    of this one answers `/calltime today` with the shoot day 30 days from the test's today."""
    crew = make_crew(db, size=4)
    ahead = clock.now().astimezone(ZoneInfo("Europe/London")).date() + dt.timedelta(days=30)
    with db.transaction() as session:
        session.add(
            ShootDay(
                production_id=crew.production_id,
                date=ahead,
                day_number=1,
                general_call=7 * 60,
                wrap=19 * 60,
                location_name="Hollis Farm",
            )
        )
    offset = clock.offset() + dt.timedelta(days=30)
    base, process = start_http(
        slack, database_url, "--no-scheduler", CLOCK_OFFSET=f"P{offset.days}D"
    )
    try:
        reply = send_signed(
            f"{base}/slack/events",
            slash_command("/calltime", "today", user_id=user_id(2), channel_id=CHANNEL),
        ).json()
    finally:
        processes.end([process])

    shown = json.dumps(reply)
    assert f"{ahead:%a} {ahead.day} {ahead:%b}" in shown, shown
    assert "07:00" in shown
