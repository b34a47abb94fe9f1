"""Benchmarks over HTTP: Crewcall beside a bare Bolt app, served the same way.

Run from the repository root: `.venv/bin/python bench/run.py [--scenario help|calltime|all]`.
Each server runs under gunicorn with the same processes and threads, against the fake
Slack; all run at once and are measured in interleaved rounds (a) open loop at a steady
rate and (b) closed loop with concurrent clients, so that the machine's drift falls on
all alike. Prints a table per scenario and the ratios the targets are set on.

Scenarios:
  help      signed `/crewcall help` (issue 2)
  calltime  signed `/calltime` from 200 different crew members of a production with
            300 crew and 60 shoot days (issue 3); then the first requests of the 100
            others, the first requests after --idle seconds, and whether answers are
            current right after another process changes a day (issue 20)
  broadcast a notice to 500 people through the sender, and one call at a time (issue 4)
  acks      1,000 Acknowledge clicks on one notice, open and closed loop (issue 4)
  schedule-change  preview and Send of a general-call move on each of 60 days of the
            300-crew production, one at a time (issue 5)
  planning  one evening's call sheets for 100 productions x 300 crew: seconds and
            peak memory of the planner (issue 6)
  calendar  personal feeds of 300 crew and the production feed, 60 shoot days: first
            read, after a schedule change, and polling (issue 9)
  scale     schedule changes broadcast and acknowledged per minute with 1, 2 and 3
            workers, Slack answering in 50 ms (issue 12)
  bolt      signed /calltime and Acknowledge clicks beside the bare app, for Crewcall now
            and at an earlier commit (--before), in one run (issue 24; bench/bolt.py)
  slow-clients  64 connections trickling their bodies beside signed /calltime, for
            Crewcall and the bare app (issue 22)
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import bolt, changes, feeds, freshness, notices, planning, scale, serving, slow  # noqa: E402
from bench.load import each_once, ms  # noqa: E402
from bench.production import user_id, write_production  # noqa: E402
from bot.console.slack import BOT_TOKEN, TEAM_ID, FakeSlack  # noqa: E402
from tests.slack_requests import SIGNING_SECRET  # noqa: E402

CREW, DAYS = 300, 60


def _crewcall(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def prepare_calltime(env: dict, slack: FakeSlack, folder: Path) -> dict:
    """A production of CREW people and DAYS shoot days from tomorrow, imported by the CLI."""
    files = write_production(folder, crew=CREW, days=DAYS, today=dt.datetime.now(dt.UTC).date())
    _crewcall(env, "migrate")
    _crewcall(env, "production", "create", "--name", "Bench", "--slug", "bench",
              "--timezone", "Europe/London", "--channel", "C0BENCH001",
              "--coordinator", user_id(0), "--team", TEAM_ID)  # fmt: skip
    for kind, path in files.items():
        _crewcall(env, "import", kind, str(path), "--production", "bench")
    for n in range(CREW):
        slack.add_user(user_id(n), tz="Europe/London" if n % 10 else "America/New_York")
    texts = ["", "tomorrow", "day 12", "fri camera"]
    return {"command": "/calltime", "users": [(user_id(n), texts[n % 4]) for n in range(CREW)]}


# People left out of the warm-up and the rounds, for their first request (issue 20).
NEVER_SEEN = 100


def run_slow_clients(env: dict, slack: FakeSlack, folder: Path, args: argparse.Namespace) -> None:
    """Slow clients beside signed /calltime, for Crewcall and the bare app (bench/slow.py)."""
    users = prepare_calltime(env, slack, folder)["users"]
    results = {}
    servers = {}
    try:
        for target in ("crewcall", serving.BARE):
            port = serving.free_port()
            servers[target] = (port, serving.server(target, port, env))
        for target, (port, _) in servers.items():
            asyncio.run(
                each_once(
                    "127.0.0.1", port, serving.signed_commands(port, "/calltime", users), clients=10
                )
            )
            print(f"slow clients: {target} ...", file=sys.stderr)
            seconds = args.seconds / 3
            count = int(args.rate * seconds) + 1
            results[target] = slow.measure(
                functools.partial(serving.signed_commands, port, "/calltime", users, count=count),
                rate=args.rate,
                seconds=seconds,
                port=port,
            )
    finally:
        for _port, process in servers.values():
            process.terminate()
            process.wait(timeout=20)
    slow.report(results, rate=args.rate)


def run_calltime(env: dict, slack: FakeSlack, folder: Path, args: argparse.Namespace) -> None:
    """The rounds on the people seen in warm-up, then what crew meet beyond them."""
    scenario = prepare_calltime(env, slack, folder)
    everyone = scenario["users"]
    scenario = {**scenario, "users": everyone[:-NEVER_SEEN]}
    extras = {target: freshness.Extras() for target in ("crewcall", serving.BARE)}
    today = dt.datetime.now(dt.UTC).date()

    def then(ports: dict[str, int]) -> None:
        print("  first requests of people never seen ...", file=sys.stderr)
        for target, port in ports.items():
            fresh = serving.signed_commands(port, "/calltime", everyone[-NEVER_SEEN:])
            extras[target].first_seen = freshness.first_seen(port, fresh, rate=args.rate)
        asked = {t: serving.signed_commands(p, "/calltime", everyone[:4]) for t, p in ports.items()}
        for target, first in freshness.after_idle(ports, asked, idle=args.idle).items():
            extras[target].after_idle = first
        day_12 = today + dt.timedelta(days=12)
        ask = [(user, "day 12") for user, _ in everyone[: 2 * serving.THREADS]]
        extras["crewcall"].current = freshness.current_after_change(
            ports["crewcall"], env, folder, ask=ask, date=day_12
        )

    print(f"calltime: measuring crewcall and {serving.BARE} ...", file=sys.stderr)
    results = serving.measure(["crewcall", serving.BARE], env, scenario, args, then=then)
    # Issue 20's targets replace issue 3's for /calltime: freshness.report checks them.
    report("calltime", results, args, targets=False)
    freshness.report(
        extras, {t: r[0] for t, r in results.items()}, bare=serving.BARE, rate=args.rate
    )


def run_bolt(env: dict, slack: FakeSlack, folder: Path, args: argparse.Namespace) -> None:
    """/calltime and Acknowledge clicks: Crewcall now, Crewcall at --before, the bare app."""
    scenario = prepare_calltime(env, slack, folder)
    before = f"crewcall at {args.before}"
    trees = {before: bolt.unpack(args.before, ROOT, folder)}
    targets = ["crewcall", before, serving.BARE]
    clicked: dict = {}

    def then(up: dict[str, int]) -> None:
        print("  Acknowledge clicks ...", file=sys.stderr)
        clicked.update(
            bolt.clicks(up, env["DATABASE_URL"], slack, people=CREW - 1, rounds=args.rounds,
                        rate=args.rate, clients=args.clients)
        )  # fmt: skip

    print(f"bolt: measuring {', '.join(targets)} ...", file=sys.stderr)
    results = serving.measure(targets, env, scenario, args, then=then, trees=trees)
    shared = {"rate": args.rate, "clients": args.clients, "after": "crewcall", "before": before,
              "bare": serving.BARE}  # fmt: skip
    bolt.report(f"signed /calltime; {serving.setup()}", results, **shared)
    bolt.report(f"Acknowledge clicks from {CREW - 1} DMs a round, each on a notice of its own",
                clicked, **shared)  # fmt: skip


def report(name: str, results: dict, args: argparse.Namespace, *, targets: bool = True) -> None:
    setup = serving.setup()
    timing = f"{args.seconds:.0f} s a server and load, in {args.rounds} interleaved rounds"
    print(f"\n## {name}: {setup}; {timing}\n")
    print(f"| server | (a) {args.rate:.0f} req/s open loop: p50 ms | p99 ms | errors "
          f"| (b) {args.clients} clients closed loop: req/s | p99 ms | errors |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for target, (steady, busy) in results.items():
        print(f"| {target} | {ms(steady.percentile(0.5))} | {ms(steady.percentile(0.99))} "
              f"| {steady.errors} | {busy.throughput:.0f} | {ms(busy.percentile(0.99))} "
              f"| {busy.errors} |")  # fmt: skip
    ours, bare = results["crewcall"], results[serving.BARE]
    p99_ratio = ours[0].percentile(0.99) / bare[0].percentile(0.99)
    throughput_ratio = ours[1].throughput / bare[1].throughput
    errors = ours[0].errors + ours[1].errors
    if not targets:
        print(f"\n(a) p99 ratio crewcall/bare: {p99_ratio:.2f}; (b) throughput ratio: "
              f"{throughput_ratio:.2f}; crewcall errors: {errors}")  # fmt: skip
        return
    print(f"\n(a) p99 ratio crewcall/bare: {p99_ratio:.2f} (target <= 1.5)"
          f" {'OK' if p99_ratio <= 1.5 else 'MISSED'}")  # fmt: skip
    print(f"(b) throughput ratio crewcall/bare: {throughput_ratio:.2f} (target >= 0.7)"
          f" {'OK' if throughput_ratio >= 0.7 else 'MISSED'}")  # fmt: skip
    print(f"crewcall errors: {errors} (target 0) {'OK' if errors == 0 else 'MISSED'}")


def prepare_crew(env: dict, folder: Path, people: int) -> None:
    """A production whose crew is a coordinator and `people` more, imported by the CLI."""
    _crewcall(env, "migrate")
    _crewcall(env, "production", "create", "--name", "Bench", "--slug", "bench",
              "--timezone", "Europe/London", "--channel", "C0BENCH001",
              "--coordinator", user_id(0), "--team", TEAM_ID)  # fmt: skip
    crew = notices.write_crew(folder, people=people)
    _crewcall(env, "import", "crew", str(crew), "--production", "bench")


def run_notices(name: str, env: dict, slack: FakeSlack, folder: Path, args) -> None:  # type: ignore[no-untyped-def]
    """The broadcast (in this process, as the worker runs it) or the clicks (over HTTP)."""
    from bot.runtime import SENDER_CONCURRENCY

    if name == "broadcast":
        prepare_crew(env, folder, notices.BROADCAST)
        figures = notices.broadcast(env["DATABASE_URL"], slack, concurrency=SENDER_CONCURRENCY)
        notices.report_broadcast(figures, notices.BROADCAST)
        return
    prepare_crew(env, folder, notices.CLICKS)
    servers = {}
    try:
        for target in ("crewcall", serving.BARE):
            port = serving.free_port()
            servers[target] = (port, serving.server(target, port, env))
        print("acks: measuring crewcall and the bare app ...", file=sys.stderr)
        results = notices.clicks(
            {target: port for target, (port, _) in servers.items()},
            env["DATABASE_URL"],
            slack,
            rate=args.rate,
            clients=args.clients,
        )
    finally:
        for _port, process in servers.values():
            process.terminate()
            process.wait(timeout=20)
    notices.report_clicks(results, rate=args.rate, clients=args.clients, bare=serving.BARE)


def run_changes(env: dict, slack: FakeSlack, folder: Path) -> None:
    """Each day's general call moved: previewed, then sent, one change at a time."""
    prepare_calltime(env, slack, folder)
    port = serving.free_port()
    server = serving.server("crewcall", port, env)
    try:
        print("schedule-change: previewing and sending ...", file=sys.stderr)
        today = dt.datetime.now(dt.UTC).date()
        preview, send, people = changes.changes(
            port, env["DATABASE_URL"], slack, days=DAYS, today=today
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    changes.report(preview, send, people, days=DAYS)


def run_calendar(env: dict, slack: FakeSlack, folder: Path, args) -> None:  # type: ignore[no-untyped-def]
    """Every crew member's feed and the production's, read over HTTP."""
    prepare_calltime(env, slack, folder)
    port = serving.free_port()
    server = serving.server("crewcall", port, env)
    try:
        print("calendar: reading feeds ...", file=sys.stderr)
        figures = feeds.run(port, env["DATABASE_URL"], clients=args.clients, seconds=5)
    finally:
        server.terminate()
        server.wait(timeout=20)
    backend = "SQLite" if env["DATABASE_URL"].startswith("sqlite") else "PostgreSQL"
    setup = serving.setup()
    feeds.report(figures, backend=backend, setup=setup)


def run_scale(env: dict, slack: FakeSlack, folder: Path) -> None:
    """1, 2 and 3 workers, each on a database of its own, behind one web process."""
    results = []
    for workers in (1, 2, 3):
        run_env = {**env, "DATABASE_URL": _fresh_database(env["DATABASE_URL"], folder, workers)}
        prepare_calltime(run_env, slack, folder)
        port = serving.free_port()
        server = serving.server("crewcall", port, run_env)
        print(f"scale: {workers} worker(s) ...", file=sys.stderr)
        try:
            results.append(
                scale.run(
                    workers=workers,
                    port=port,
                    database_url=run_env["DATABASE_URL"],
                    slack=slack,
                    start_worker=lambda run_env=run_env: _worker(run_env),
                    today=dt.datetime.now(dt.UTC).date(),
                )
            )
        finally:
            server.terminate()
            server.wait(timeout=20)
    backend = "SQLite" if env["DATABASE_URL"].startswith("sqlite") else "PostgreSQL"
    scale.report(results, backend=backend)


def _fresh_database(url: str, folder: Path, n: int) -> str:
    """A new SQLite file, or a new schema in the PostgreSQL database, for run `n`."""
    if url.startswith("sqlite"):
        return f"sqlite:///{folder}/scale-{n}.db"
    from sqlalchemy import create_engine, text

    schema = f"crewcall_bench_scale_{n}"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


def _worker(env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "worker"],
        env={**env, "LOG_LEVEL": "WARNING"},
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.5)  # let it connect and start its jobs
    return process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    scenarios = (
        "help", "calltime", "broadcast", "acks", "schedule-change", "planning", "calendar",
        "scale", "slow-clients", "bolt",
    )  # fmt: skip
    parser.add_argument("--scenario", choices=(*scenarios, "all"), default="all")
    parser.add_argument("--seconds", type=float, default=15, help="per server and load, in all")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved slices per server")
    parser.add_argument("--rate", type=float, default=100, help="open-loop requests/s")
    parser.add_argument("--clients", type=int, default=50, help="closed-loop clients")
    parser.add_argument(
        "--processes", type=int, default=serving.PROCESSES, help="gunicorn processes"
    )
    parser.add_argument("--threads", type=int, default=serving.THREADS, help="threads per process")
    parser.add_argument("--before", default=bolt.ROUTER_COMMIT, help="bolt: the commit to compare")
    parser.add_argument("--idle", type=float, default=60, help="calltime: seconds left idle")
    args = parser.parse_args()
    serving.configure(args.processes, args.threads)

    for name in scenarios if args.scenario == "all" else (args.scenario,):
        with FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
            env = {
                "PATH": os.environ["PATH"],
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": slack.api_url,
                "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.db"),
                "WEB_CONCURRENCY": str(serving.PROCESSES),
                "WEB_THREADS": str(serving.THREADS),
                "LOG_LEVEL": "WARNING",
            }
            if name in ("broadcast", "acks"):
                run_notices(name, env, slack, Path(tmp), args)
                continue
            if name == "schedule-change":
                run_changes(env, slack, Path(tmp))
                continue
            if name == "calendar":
                run_calendar(env, slack, Path(tmp), args)
                continue
            if name == "scale":
                run_scale(env, slack, Path(tmp))
                continue
            if name == "planning":
                print("planning: preparing 100 productions ...", file=sys.stderr)
                figures = planning.run(env["DATABASE_URL"], Path(tmp))
                backend = "SQLite" if env["DATABASE_URL"].startswith("sqlite") else "PostgreSQL"
                planning.report(figures, backend=backend)
                continue
            if name == "calltime":
                run_calltime(env, slack, Path(tmp), args)
                continue
            if name == "bolt":
                run_bolt(env, slack, Path(tmp), args)
                continue
            if name == "slow-clients":
                run_slow_clients(env, slack, Path(tmp), args)
                continue
            scenario = {"command": "/crewcall", "users": [("U0CREW0001", "help")]}
            targets = ["crewcall", serving.BARE, "bare bolt (default)"]
            print(f"{name}: measuring {', '.join(targets)} ...", file=sys.stderr)
            report(name, serving.measure(targets, env, scenario, args), args)


if __name__ == "__main__":
    main()
