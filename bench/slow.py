"""Slow clients beside real requests (issue 22): 64 connections that send their headers and
then trickle their bodies a byte a second, while signed /calltime requests arrive at a
steady rate. Measured for Crewcall (gunicorn with uvicorn's workers in front of its thread
pool, bot/slack/asgi.py) and the bare Bolt app served the usual way (gunicorn gthread), side by
side in one run."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable

from bench.load import Result, ms, open_loop

SLOW = 64
GIVE_UP = 3.0  # Slack shows the user an error after 3 s


class Trickle:
    """`count` connections to `port` that have sent their headers and trickle a body."""

    def __init__(self, port: int, count: int = SLOW) -> None:
        self._sockets = []
        for _ in range(count):
            connection = socket.create_connection(("127.0.0.1", port), timeout=5)
            connection.sendall(
                b"POST /slack/events HTTP/1.1\r\nHost: bench\r\n"
                b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
            )
            self._sockets.append(connection)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._drip, daemon=True)
        self._thread.start()

    def _drip(self) -> None:
        while not self._stop.wait(1.0):
            for connection in list(self._sockets):
                try:
                    connection.sendall(b" ")
                except OSError:  # the server gave up on it (408): it is gone
                    self._sockets.remove(connection)

    def close(self) -> int:
        """Stop; how many connections the server had not closed."""
        self._stop.set()
        self._thread.join()
        alive = len(self._sockets)
        for connection in self._sockets:
            connection.close()
        return alive


def measure(
    requests: Callable[[], list[bytes]], *, port: int, rate: float, seconds: float
) -> tuple[Result, Result]:
    """(without slow clients, with them): open-loop latencies of like requests, each load
    its own new ones from `requests()`."""
    quiet = asyncio.run(
        open_loop("127.0.0.1", port, requests(), rate=rate, seconds=seconds, give_up=GIVE_UP)
    )
    trickle = Trickle(port)
    time.sleep(0.5)  # every slow connection in place before the load starts
    try:
        busy = asyncio.run(
            open_loop("127.0.0.1", port, requests(), rate=rate, seconds=seconds, give_up=GIVE_UP)
        )
    finally:
        trickle.close()
    return quiet, busy


def report(results: dict[str, tuple[Result, Result]], *, rate: float) -> None:
    print(f"\n## slow clients: {SLOW} trickling connections beside {rate:.0f} /calltime a second\n")
    print(
        "| server | without: p50 / p99 ms | with: p50 / p99 / max ms "
        "| with: errors | answered within 3 s |"
    )
    print("|---|---|---|---|---|")
    for target, (quiet, busy) in results.items():
        within = sum(latency < GIVE_UP for latency in busy.latencies)
        total = len(busy.latencies) + busy.errors
        slowest = max(busy.latencies, default=float("nan"))
        print(
            f"| {target} | {ms(quiet.percentile(0.5))} / {ms(quiet.percentile(0.99))} "
            f"| {ms(busy.percentile(0.5))} / {ms(busy.percentile(0.99))} / {ms(slowest)} "
            f"| {busy.errors} | {within}/{total} |"
        )
