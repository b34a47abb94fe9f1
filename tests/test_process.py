"""`crewcall run --http` as a real process: gunicorn, the fake Slack, SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import parse_qsl

import pytest

from bot.console.slack import APP_TOKEN, BOT_TOKEN, FakeSlack
from tests.slack_requests import SIGNING_SECRET, get, send_signed, slash_command
from tests.socket_fake import fake_socket_mode

pytestmark = pytest.mark.slow


def _free_port() -> int:
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
    return {
        "PATH": os.environ["PATH"],
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
        **settings,
    }


@pytest.fixture
def http_process(slack: FakeSlack, database_url: str) -> Iterator[tuple[str, subprocess.Popen]]:
    port = _free_port()
    env = _bot_env(
        slack,
        database_url,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        WEB_CONCURRENCY="2",
        WEB_THREADS="4",
        LOG_LEVEL="WARNING",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--http", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(f"{base}/healthz", process)
        yield base, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_http_mode_serves_signed_commands_through_gunicorn(
    http_process: tuple[str, subprocess.Popen], slack: FakeSlack
) -> None:
    base, _process = http_process

    replies = [
        send_signed(f"{base}/slack/events", slash_command("/crewcall", "help")) for _ in range(6)
    ]

    assert {reply.status for reply in replies} == {200}
    assert all(reply.json()["response_type"] == "ephemeral" for reply in replies)
    # the start-up check, then one per gunicorn worker as it boots: all at the fake
    deadline = time.monotonic() + 15
    while len(slack.calls_to("auth.test")) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(slack.calls_to("auth.test")) == 3
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
    port = _free_port()
    with fake_socket_mode() as socket_mode:
        slack.websocket_url = socket_mode.url
        env = _bot_env(slack, database_url, SLACK_APP_TOKEN=APP_TOKEN, PORT=str(port))
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], env=env, stderr=subprocess.PIPE, text=True
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
            if process.poll() is None:
                process.kill()

    assert code == 0
    assert (health.status, health.json()["socket_mode"]) == (200, "connected")
    assert health.json()["database"] == "ok"
    assert events.status == 404
    assert ack["payload"]["response_type"] == "ephemeral"
    assert "/crewcall help" in json.dumps(ack["payload"]["blocks"])
    [opened] = slack.calls_to("apps.connections.open")
    assert opened.token == APP_TOKEN
    assert slack.calls_to("auth.test")


def test_worker_runs_until_sigterm(slack: FakeSlack, database_url: str) -> None:
    env = _bot_env(slack, database_url, LOG_LEVEL="INFO")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "worker"], env=env, stderr=subprocess.PIPE, text=True
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
        if process.poll() is None:
            process.kill()


def test_worker_without_a_bot_token_refuses_to_start(database_url: str) -> None:
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "worker"], env=env, capture_output=True, text=True, timeout=30
    )

    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr
