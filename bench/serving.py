"""Servers side by side: Crewcall and bare Bolt apps under gunicorn, started alike, and
measured in interleaved rounds so that the machine's drift falls on all of them alike."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.load import Result, closed_loop, each_once, http_request, open_loop
from tests.slack_requests import signed_headers, slash_command

ROOT = Path(__file__).resolve().parents[1]

PROCESSES, THREADS = 2, 8  # defaults; --processes and --threads change both servers alike
BARE = "bare bolt (process_before_response)"


def configure(processes: int, threads: int) -> None:
    """Serve both apps with this many gunicorn processes and threads."""
    global PROCESSES, THREADS
    PROCESSES, THREADS = processes, threads


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers, even if 404
        except OSError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def setup() -> str:
    """How the servers are run, for the tables' titles."""
    return (
        f"Crewcall: gunicorn, {PROCESSES} uvicorn workers, {THREADS} app threads each; "
        f"bare apps: gunicorn gthread {PROCESSES}x{THREADS}; {os.cpu_count()} cores"
    )


def server(target: str, port: int, env: dict, tree: Path = ROOT) -> subprocess.Popen:
    """`target` served on `port`; a Crewcall from another `tree` runs that tree's code."""
    if tree != ROOT:
        env = {**env, "PYTHONPATH": str(tree)}
    if target.startswith("crewcall"):
        command = [
            sys.executable,
            "-m",
            "bot",
            "run",
            "--http",
            "--no-scheduler",
            "--port",
            str(port),
        ]
    else:
        flag = "true" if target == BARE else "false"
        command = [
            sys.executable, "-m", "gunicorn", f"bench.bare_app:create('{flag}')",
            "--bind", f"127.0.0.1:{port}", "--workers", str(PROCESSES),
            "--worker-class", "gthread", "--threads", str(THREADS), "--keep-alive", "5",
            "--log-level", "warning",
        ]  # fmt: skip
    # Its log goes to a file, never to a pipe nobody reads: a full pipe would stall it.
    log = Path(tempfile.gettempdir()) / f"crewcall-bench-{port}.log"
    print(f"  {target}: log in {log}", file=sys.stderr)
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, env=env, cwd=tree, stderr=stderr)
    _wait_until_up(port, process, log)
    time.sleep(1.5)  # let every worker finish booting
    return process


def signed_commands(
    port: int, command: str, users: list[tuple[str, str]], *, count: int | None = None
) -> list[bytes]:
    """`count` signed requests (by default one per (user, text)), taking the users in turn.

    Every one is new, as each of Slack's is (its own trigger_id, signed now): Crewcall
    answers a request it has seen once only, so a load that repeated requests would
    measure its refusals of replays.
    """
    built = []
    for n in range(len(users) if count is None else count):
        user, text = users[n % len(users)]
        body, content_type = slash_command(command, text, user_id=user)
        headers = {"Content-Type": content_type, **signed_headers(body)}
        built.append(http_request("127.0.0.1", port, "/slack/events", body.encode(), headers))
    return built


# Closed loops get this many new requests a second; only a bare app (which does not
# refuse replays) is fast enough to come round to the first ones again.
CLOSED_LOOP_MAX = 6000


def measure(
    targets: list[str],
    env: dict,
    scenario: dict,
    args: argparse.Namespace,
    then=None,  # type: ignore[no-untyped-def]
    trees: dict[str, Path] | None = None,
) -> dict:
    """All servers up at once; measurements interleaved in rounds, pooled per server.

    Each round gives every server an open-loop slice, then a closed-loop slice, in turn,
    so that drift in the machine's speed falls on all of them alike. `then(ports)`, if
    given, measures more while the servers are still up.
    """
    servers = {}
    try:
        for target in targets:
            port = free_port()
            servers[target] = (port, server(target, port, env, (trees or {}).get(target, ROOT)))
        command, users = scenario["command"], scenario["users"]
        for port, _ in servers.values():
            # Warm-up: every distinct request once (first-use work such as users.info).
            warm_up = signed_commands(port, command, users)
            asyncio.run(each_once("127.0.0.1", port, warm_up, clients=10))
        pooled = {target: (Result(), Result()) for target in targets}
        slice_seconds = args.seconds / args.rounds
        for round_number in range(args.rounds):
            print(f"  round {round_number + 1}/{args.rounds}", file=sys.stderr)
            for target, (port, _) in servers.items():
                count = int(args.rate * slice_seconds) + 1
                steady_requests = signed_commands(port, command, users, count=count)
                steady = asyncio.run(
                    open_loop(
                        "127.0.0.1", port, steady_requests, rate=args.rate, seconds=slice_seconds
                    )
                )
                count = int(CLOSED_LOOP_MAX * slice_seconds)
                busy = asyncio.run(
                    closed_loop(
                        "127.0.0.1",
                        port,
                        signed_commands(port, command, users, count=count),
                        clients=args.clients,
                        seconds=slice_seconds,
                    )
                )
                for total, part in zip(pooled[target], (steady, busy), strict=True):
                    total.latencies.extend(part.latencies)
                    total.errors += part.errors
                    total.seconds += part.seconds
        if then is not None:
            then({target: port for target, (port, _) in servers.items()})
    finally:
        for _port, process in servers.values():
            process.terminate()
            process.wait(timeout=20)
    return pooled
