"""Starting and stopping the bot: Socket Mode, HTTP mode and the worker."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy.exc import OperationalError

from bot.config import SETTINGS_HELP, SETUP_HELP, ConfigError, Settings
from bot.imports.crew import slack_email_lookup
from bot.jobs.lookback import (
    HISTORY_EVERY_S,
    MARKETPLACE_HISTORY_BURST,
    MARKETPLACE_HISTORY_EVERY_S,
)
from bot.jobs.scheduler import DEFAULT_INTERVALS, Clock, Intervals, build_scheduler, utcnow
from bot.jobs.sender import SEND_TIMEOUT, Sender
from bot.slack.app import build_web_client, create_app
from bot.slack.asgi import BufferedWsgi
from bot.slack.server import GunicornServer, exit_with_parent, gunicorn_options
from bot.slack.tokens import WorkspaceTokens
from bot.slack.web import CrewcallWeb, HealthWeb
from bot.storage.db import Database
from bot.storage.installations import installation_store
from bot.storage.migrate import is_current, upgrade

log = logging.getLogger(__name__)

# Posts in flight at once per sender process. Each waits tens of milliseconds on Slack
# and spends about one of this process's CPU, so with this many a 300-person change is
# out in under half a second (bench/fanout.py): over 30 times faster than one post at a
# time. Into any one channel it is still a post a second, and a 429 holds them all.
SENDER_CONCURRENCY = 64
# A worker's connections to the database: the scheduler's jobs (planning, sending,
# follow-ups, housekeeping) run at once, the leader holds one for its lock, and the
# sender's pool threads, which talk to Slack, need one only for a refresh that failed.
SENDER_CONNECTIONS = 8


def open_database(settings: Settings, *, pool_size: int) -> Database:
    """Connect; migrate the embedded SQLite file, insist PostgreSQL was migrated."""
    db = Database(settings.database_url, pool_size=pool_size)
    try:
        if db.is_sqlite:
            upgrade(db.engine)
        elif not is_current(db.engine):
            raise ConfigError(
                "the database at DATABASE_URL is not migrated; run `crewcall migrate`"
            )
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "no answer"
        raise ConfigError(f"DATABASE_URL cannot be reached: {reason}") from None
    return db


def check_bot_token(settings: Settings) -> str:
    """Ask Slack (`auth.test`) who the bot token belongs to; one clear line if refused."""
    # Each failed attempt would be logged as an error; the outcome is said once, below.
    quiet = logging.getLogger("crewcall.startup.slack")
    quiet.setLevel(logging.CRITICAL)
    client = build_web_client(settings, logger=quiet)
    try:
        return str(client.auth_test()["team_id"])
    except SlackApiError as exc:
        error = exc.response.get("error", "refused")
        raise ConfigError(f"SLACK_BOT_TOKEN was refused by Slack ({error}); {SETUP_HELP}") from None
    except (SlackClientError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ConfigError(f"SLACK_API_URL cannot be reached ({reason}); {SETTINGS_HELP}") from None


def email_lookup(settings: Settings):
    """slack_email_lookup for the command line: a refusal stops it with one line."""
    found = slack_email_lookup(build_web_client(settings))

    def lookup(email: str) -> str | None:
        try:
            return found(email)
        except SlackApiError as exc:
            raise ConfigError(
                f"Slack refused users.lookupByEmail ({exc.response.get('error')})"
            ) from None

    return lookup


def run_socket_mode(settings: Settings, *, with_scheduler: bool) -> None:
    """Connect to Slack over a WebSocket and answer until SIGTERM or Ctrl-C."""
    if settings.oauth:
        raise ConfigError(
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET install Crewcall in several workspaces, "
            "which needs HTTP mode: crewcall run --http"
        )
    settings.require("slack_bot_token", "slack_app_token")
    check_bot_token(settings)
    db = open_database(settings, pool_size=settings.web_threads + SENDER_CONNECTIONS)
    app = create_app(settings, db=db)
    handler = SocketModeHandler(
        app,
        app_token=settings.slack_app_token.get_secret_value(),  # type: ignore[union-attr]
        concurrency=settings.web_threads,
    )
    stop = _stop_on_signals()
    handler.connect()
    health_server = _serve_health(settings.port, HealthWeb(db, handler.client.is_connected))
    jobs = Jobs(settings, db) if with_scheduler else None
    log.info("Crewcall is running in Socket Mode (health: GET /healthz on %s)", settings.port)
    _wait_for(stop)
    log.info("shutting down")
    health_server.shutdown()
    handler.close()
    if jobs:
        jobs.stop()
    db.dispose()


def run_http(settings: Settings, *, port: int, with_scheduler: bool) -> None:
    """Serve /slack/events, /healthz, calendars (and OAuth's pages) with gunicorn until SIGTERM."""
    _require_slack(settings, "slack_signing_secret")
    open_database(settings, pool_size=1).dispose()  # migrate once, before forking

    def load() -> BufferedWsgi:
        db = Database(settings.database_url, pool_size=settings.web_threads + 2)
        return BufferedWsgi(CrewcallWeb(create_app(settings, db=db)), threads=settings.web_threads)

    options = gunicorn_options(
        port=port, processes=settings.web_concurrency, log_level=settings.log_level
    )
    if with_scheduler:
        options["when_ready"], options["on_exit"] = _jobs_in_a_process_of_their_own()
    GunicornServer(load, options).run()


def run_worker(
    settings: Settings, *, clock: Clock = utcnow, intervals: Intervals = DEFAULT_INTERVALS
) -> None:
    """Scheduler and sender only, until SIGTERM."""
    _require_slack(settings)
    db = open_database(settings, pool_size=SENDER_CONNECTIONS)
    stop = _stop_on_signals()
    jobs = Jobs(settings, db, clock=clock, intervals=intervals)
    log.info("Crewcall worker is running as %s", jobs.sender.worker)
    _wait_for(stop)
    jobs.stop()
    db.dispose()


def workspace_tokens(settings: Settings, db: Database) -> WorkspaceTokens | None:
    """Installed through OAuth: each workspace's bot token, from the installation store."""
    if not settings.oauth:
        return None
    client_id = settings.slack_client_id or ""
    secret = settings.slack_client_secret.get_secret_value() if settings.slack_client_secret else ""
    rotator = TokenRotator(
        client_id=client_id, client_secret=secret, client=build_web_client(settings)
    )
    return WorkspaceTokens(db, installation_store(db, client_id=client_id), rotator)


def _require_slack(settings: Settings, *also: str) -> None:
    """One workspace: a bot token Slack accepts. Several (OAuth): the public URL to return
    to. And the settings named in `also`, before Slack is asked anything."""
    if settings.oauth:
        settings.require(*also, "public_url")
        return
    settings.require("slack_bot_token", *also)
    check_bot_token(settings)


class Jobs:
    """The scheduler with its sender, planner and leadership, started; `stop()` at shutdown."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        clock: Clock = utcnow,
        intervals: Intervals = DEFAULT_INTERVALS,
    ) -> None:
        client = build_web_client(settings, retries=0, timeout=SEND_TIMEOUT)
        self.sender = Sender(
            db,
            client,
            concurrency=SENDER_CONCURRENCY,
            tokens=workspace_tokens(settings, db),
            history_every=MARKETPLACE_HISTORY_EVERY_S
            if settings.slack_marketplace
            else HISTORY_EVERY_S,
            history_burst=MARKETPLACE_HISTORY_BURST if settings.slack_marketplace else 1,
        )
        self.scheduler, self.leadership = build_scheduler(
            db, self.sender, name=self.sender.worker, clock=clock, intervals=intervals
        )
        self.scheduler.start()

    def stop(self) -> None:
        """Within seconds: claim no more deliveries and hand back those not started, finish
        the posts under way and the running jobs, then let another process lead."""
        self.sender.stop()
        self.scheduler.shutdown(wait=True)
        self.sender.close()
        self.leadership.release()
        log.info("stopped: deliveries handed back, leadership released")


def _serve_health(port: int, web: HealthWeb) -> WSGIServer:
    """`GET /healthz` on `port`, in a thread, for Socket Mode (which serves nothing else)."""
    # All interfaces, as gunicorn binds: a platform's health check comes from outside.
    everywhere = "0.0.0.0"  # noqa: S104
    server = make_server(
        everywhere, port, web, server_class=_ThreadingWSGIServer, handler_class=_Quiet
    )
    threading.Thread(target=server.serve_forever, args=(0.5,), daemon=True).start()
    return server


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 64  # socketserver's 5 resets a burst of health checks


class _Quiet(WSGIRequestHandler):
    def log_message(self, *_args: object) -> None:
        pass


def _jobs_in_a_process_of_their_own():
    """gunicorn's when_ready and on_exit hooks: one `crewcall worker` beside the web processes.

    Not threads in gunicorn's master: it forks web processes (and forks again when one
    dies), and a fork taken while a job thread holds a lock (logging's, a database
    driver's) leaves the new process stuck on it. A process of its own has no such
    problem, and is still one per deployment.
    """
    started: list[subprocess.Popen] = []

    def when_ready(_server: object) -> None:
        master = os.getpid()
        started.append(
            subprocess.Popen(
                [sys.executable, "-m", "bot", "worker"],
                preexec_fn=lambda: exit_with_parent(master),
            )
        )

    def on_exit(_server: object) -> None:
        for process in started:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    return when_ready, on_exit


def _wait_for(stop: threading.Event) -> None:
    """Block until SIGTERM or SIGINT has set `stop`.

    Never without a timeout: the kernel may deliver the signal to another thread (one
    waiting on a socket), and Python runs the handler only when the main thread next
    runs; a main thread blocked with no timeout would not, and the process would
    ignore SIGTERM.
    """
    while not stop.wait(timeout=0.5):
        pass


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop
