"""Foundation benchmark: signed `/crewcall help` over HTTP, Crewcall beside a bare Bolt app.

Run from the repository root: `.venv/bin/python bench/run.py [--seconds N]`.
Each server runs under gunicorn with the same processes and threads, against the
fake Slack; each is measured (a) open loop at a steady rate and (b) closed loop
with concurrent clients. Prints a table and the ratios the targets are set on.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import Result, closed_loop, http_request, open_loop  # noqa: E402
from tests.slack_fake import BOT_TOKEN, FakeSlack  # noqa: E402
from tests.slack_requests import SIGNING_SECRET, signed_headers, slash_command  # noqa: E402

PROCESSES, THREADS = 2, 8


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {process.stderr.read().decode()[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers, even if 404
        except OSError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def _server(target: str, port: int, env: dict) -> subprocess.Popen:
    if target == "crewcall":
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
        flag = "true" if target == "bare bolt (process_before_response)" else "false"
        command = [
            sys.executable, "-m", "gunicorn", f"bench.bare_app:create('{flag}')",
            "--bind", f"127.0.0.1:{port}", "--workers", str(PROCESSES),
            "--worker-class", "gthread", "--threads", str(THREADS), "--keep-alive", "5",
            "--log-level", "warning",
        ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.PIPE)
    _wait_until_up(port, process)
    time.sleep(1.5)  # let every worker finish booting
    return process


def _request(port: int) -> bytes:
    body, content_type = slash_command("/crewcall", "help")
    headers = {"Content-Type": content_type, **signed_headers(body)}
    return http_request("127.0.0.1", port, "/slack/events", body.encode(), headers)


def measure(target: str, env: dict, *, rate: float, clients: int, seconds: float) -> tuple:
    port = _free_port()
    process = _server(target, port, env)
    try:
        request = _request(port)
        asyncio.run(closed_loop("127.0.0.1", port, request, clients=clients, seconds=2))  # warm-up
        steady = asyncio.run(open_loop("127.0.0.1", port, request, rate=rate, seconds=seconds))
        busy = asyncio.run(
            closed_loop("127.0.0.1", port, request, clients=clients, seconds=seconds)
        )
    finally:
        process.terminate()
        process.wait(timeout=20)
    return steady, busy


def _ms(value: float) -> str:
    return f"{value * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="per measurement")
    parser.add_argument("--rate", type=float, default=100, help="open-loop requests/s")
    parser.add_argument("--clients", type=int, default=50, help="closed-loop clients")
    args = parser.parse_args()

    targets = ["crewcall", "bare bolt (process_before_response)", "bare bolt (default)"]
    results: dict[str, tuple[Result, Result]] = {}
    with FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
        env = {
            "PATH": os.environ["PATH"],
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
            "WEB_CONCURRENCY": str(PROCESSES),
            "WEB_THREADS": str(THREADS),
            "LOG_LEVEL": "WARNING",
        }
        for target in targets:
            print(f"measuring {target} ...", file=sys.stderr)
            results[target] = measure(
                target, env, rate=args.rate, clients=args.clients, seconds=args.seconds
            )

    print(
        f"\nsigned /crewcall help over HTTP; gunicorn gthread {PROCESSES}x{THREADS}; "
        f"{os.cpu_count()} cores; {args.seconds:.0f} s per measurement\n"
    )
    print(
        f"| server | (a) {args.rate:.0f} req/s open loop: p50 ms | p99 ms | errors "
        f"| (b) {args.clients} clients closed loop: req/s | p99 ms | errors |"
    )
    print("|---|---|---|---|---|---|---|")
    for target, (steady, busy) in results.items():
        print(
            f"| {target} | {_ms(steady.percentile(0.5))} | {_ms(steady.percentile(0.99))} "
            f"| {steady.errors} | {busy.throughput:.0f} | {_ms(busy.percentile(0.99))} "
            f"| {busy.errors} |"
        )
    ours, bare = results["crewcall"], results["bare bolt (process_before_response)"]
    p99_ratio = ours[0].percentile(0.99) / bare[0].percentile(0.99)
    throughput_ratio = ours[1].throughput / bare[1].throughput
    errors = ours[0].errors + ours[1].errors
    print(
        f"\n(a) p99 ratio crewcall/bare: {p99_ratio:.2f} (target <= 1.5)"
        f" {'OK' if p99_ratio <= 1.5 else 'MISSED'}"
    )
    print(
        f"(b) throughput ratio crewcall/bare: {throughput_ratio:.2f} (target >= 0.7)"
        f" {'OK' if throughput_ratio >= 0.7 else 'MISSED'}"
    )
    print(f"crewcall errors: {errors} (target 0) {'OK' if errors == 0 else 'MISSED'}")


if __name__ == "__main__":
    main()
