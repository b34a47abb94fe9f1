"""Slow clients hold no thread: the server reads each request whole before the app sees it.

The real `crewcall run --http` (gunicorn, uvicorn's workers, 2 processes of 4 threads)
with 64 connections that send their headers and then trickle their bodies: a signed
/calltime and /healthz are still answered well within Slack's 3 seconds. And the front
itself (bot/slack/asgi.py): slow bodies are answered 408, long ones 413, unread.
"""

from __future__ import annotations

import asyncio
import socket
import time
from urllib.parse import urlsplit

import pytest

from bot.slack.asgi import BufferedWsgi
from tests.slack_requests import get, send_signed, slash_command
from tests.test_process import http_process  # noqa: F401 - the fixture

SLOW = 64


def _trickling(base: str, count: int) -> list[socket.socket]:
    """`count` connections that have sent their headers and the first byte of a body of 1 KB."""
    url = urlsplit(base)
    opened = []
    for _ in range(count):
        connection = socket.create_connection((url.hostname, url.port), timeout=5)
        connection.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1024\r\n\r\n{"
        )
        opened.append(connection)
    return opened


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_slow_connections_leave_real_requests_answered(http_process) -> None:  # noqa: F811
    base, _process = http_process
    slow = _trickling(base, SLOW)
    try:
        started = time.monotonic()
        health = get(f"{base}/healthz")
        command = send_signed(f"{base}/slack/events", slash_command("/crewcall", "help"))
        took = time.monotonic() - started
        for connection in slow:  # still open, still waiting: nothing was given up on them
            connection.sendall(b" ")
    finally:
        for connection in slow:
            connection.close()

    assert (health.status, command.status) == (200, 200)
    assert "help" in command.body.decode().lower()
    assert took < 3.0


def _app_answering(calls: list) -> BufferedWsgi:
    def wsgi(environ, start_response):  # type: ignore[no-untyped-def]
        calls.append(environ["wsgi.input"].read())
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    return BufferedWsgi(wsgi, threads=1, max_body=1000, read_timeout=0.2)


def _run(app: BufferedWsgi, messages: list, *, headers=(), delay: float = 0.0) -> list:  # type: ignore[no-untyped-def]
    sent: list = []

    async def receive():  # type: ignore[no-untyped-def]
        await asyncio.sleep(delay)
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):  # type: ignore[no-untyped-def]
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/x", "headers": list(headers)}
    asyncio.run(app(scope, receive, send))
    return sent


def test_a_whole_request_reaches_the_app_once() -> None:
    calls: list = []
    body = [{"type": "http.request", "body": b"ab", "more_body": True},
            {"type": "http.request", "body": b"cd"}]  # fmt: skip

    sent = _run(_app_answering(calls), body)

    assert calls == [b"abcd"]
    assert (sent[0]["status"], sent[1]["body"]) == (200, b"ok")


def test_a_body_that_trickles_past_the_deadline_is_408_and_never_reaches_the_app() -> None:
    calls: list = []
    body = [{"type": "http.request", "body": b"a", "more_body": True}] * 10

    sent = _run(_app_answering(calls), list(body), delay=0.05)

    assert sent[0]["status"] == 408
    assert calls == []


def test_a_body_over_the_limit_is_413_whether_announced_or_not() -> None:
    calls: list = []
    announced = _run(_app_answering(calls), [], headers=[(b"content-length", b"5000")])
    streamed = _run(
        _app_answering(calls),
        [{"type": "http.request", "body": b"x" * 600, "more_body": True}] * 2,
    )

    assert announced[0]["status"] == 413
    assert streamed[0]["status"] == 413
    assert calls == []
