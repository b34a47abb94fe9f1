"""create_app: builds the Bolt app from settings, a database and a Slack client."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from bot.calendars.feeds import Feeds
from bot.clock import now as utcnow
from bot.config import Settings
from bot.core.deps import AfterAnswer, Deps
from bot.core.directory import Directory
from bot.core.logs import fields
from bot.core.timezones import TimezoneCache
from bot.slack import listeners
from bot.slack.errors import commit_failed_response, handle_error
from bot.slack.manifest import BOT_SCOPES
from bot.slack.middleware import DedupeEventRetries, RefuseUnstorableText, TextAsTyped
from bot.slack.tokens import ROTATE_BEFORE_MINUTES
from bot.storage.db import Database
from bot.storage.installations import installation_store, state_store

log = logging.getLogger(__name__)
Clock = Callable[[], dt.datetime]

# Retries inside a request stay short: Slack gives a command 3 seconds in all.
REQUEST_RETRIES = 2
# slack_sdk's own backoff factor: 0.5 s, then 1 s.
RETRY_BACKOFF_S = 0.5
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


def build_web_client(
    settings: Settings,
    *,
    logger: logging.Logger | None = None,
    retries: int = REQUEST_RETRIES,
    timeout: int = 10,
    backoff: float = RETRY_BACKOFF_S,
) -> WebClient:
    """The Web API client every listener inherits: our base URL, token and retry handlers.

    The sender asks for `retries=0`: it records each failure and retries it itself.
    Installed through OAuth, the client has no token of its own: each request's (and
    each workspace's) comes from the installation store.
    """
    token = None
    if settings.slack_bot_token and not settings.oauth:
        token = settings.slack_bot_token.get_secret_value()
    # Between tries of a failed connection or a 5xx: backoff, then twice that; a 429
    # waits for its Retry-After.
    waits = BackoffRetryIntervalCalculator(backoff_factor=backoff)
    handlers = [
        ConnectionErrorRetryHandler(max_retry_count=retries, interval_calculator=waits),
        RateLimitErrorRetryHandler(max_retry_count=retries),
        ServerErrorRetryHandler(max_retry_count=retries, interval_calculator=waits),
    ]
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=timeout,
        logger=logger,
        retry_handlers=handlers if retries else [],
    )


class CrewcallApp(App):
    """A Bolt App in which every request is one database unit of work.

    Bolt's global middleware cannot wrap a listener (next() only sets a flag), so
    the unit of work wraps dispatch itself. `context["db"]` is the request's
    session, created on first use (a request that never touches the database
    pays nothing), committed when the request succeeds, rolled back by the error
    handler when it does not, and ended when the answer leaves. Listeners run
    inside dispatch, in its thread, because the app uses process_before_response.
    """

    def __init__(self, *, db: Database, clock: Clock, deps: Deps, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.db = db
        self.clock = clock
        self.deps = deps
        # HTTP mode's signing secret (bot/slack/gate.py checks requests with it before Bolt).
        self.signing_secret = str(kwargs.get("signing_secret") or "")

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        """Answer the request in one unit of work, and log a line for it."""
        started = time.perf_counter()
        response = self._unit_of_work(req)
        if log.isEnabledFor(logging.INFO):
            _log_request(req, response, started)
        return response

    def _unit_of_work(self, req: BoltRequest) -> BoltResponse:
        scope = self.db.request_session
        req.context["db"] = scope
        req.context["now"] = self.clock()
        req.context["deps"] = self.deps
        try:
            response = super().dispatch(req)
            if not scope.registry.has() or not scope().in_transaction():
                return response
            try:
                scope.commit()
            except (DBAPIError, PoolTimeoutError):
                log.exception("commit failed")
                scope.rollback()
                return commit_failed_response(req)
            return response
        finally:
            scope.remove()


def _log_request(req: BoltRequest, response: BoltResponse, started: float) -> None:
    """One line per request: what it was, whose, its status and how long it took."""
    log.info(
        "request",
        extra=fields(
            **_request_fields(req.body),
            team=req.context.get("team_id"),
            user=req.context.get("user_id"),
            status=response.status,
            ms=round((time.perf_counter() - started) * 1000, 1),
        ),
    )


def _request_fields(body: dict) -> dict:
    """What a Slack request was, for its log line: its kind and which one."""
    if body.get("command"):
        return {"kind": "command", "name": body["command"]}
    if body.get("type") == "event_callback":
        event = body.get("event", {})
        return {"kind": "event", "name": event.get("type"), "event_id": body.get("event_id")}
    if body.get("type") == "block_actions":
        actions = body.get("actions") or [{}]
        return {"kind": "action", "name": actions[0].get("action_id")}
    if body.get("type") in ("view_submission", "view_closed"):
        return {"kind": "view", "name": body.get("view", {}).get("callback_id")}
    return {"kind": body.get("type") or "other"}


def create_app(
    settings: Settings,
    *,
    db: Database,
    client: WebClient | None = None,
    clock: Clock = utcnow,
) -> CrewcallApp:
    """The Bolt app with its middleware, error handler and every handler registered.

    Token verification calls `auth.test` on the given client's base URL at start-up.
    Listeners get `db` (the request's session), `now` (from `clock`) and `deps` (the
    schedules, checked against the database on every use, so that each request sees
    every write committed before it, in any process).
    """
    client = client or build_web_client(settings)
    secret = settings.slack_signing_secret
    # For calls made after the answer (deps.after_answer); sized like the web threads
    # that feed it.
    executor = ThreadPoolExecutor(
        max_workers=settings.web_threads, thread_name_prefix="crewcall-after"
    )
    app = CrewcallApp(
        db=db,
        clock=clock,
        deps=_deps(settings, db, AfterAnswer(executor)),
        client=client,
        **(oauth_options(settings, db) if settings.oauth else {}),
        signing_secret=secret.get_secret_value() if secret else "",
        request_verification_enabled=secret is not None,
        # Listeners answer inside the request: ack() carries the answer; what must
        # happen later goes through the database (the outbox).
        process_before_response=True,
        listener_executor=executor,
        name="crewcall",
    )
    app.use(RefuseUnstorableText())
    app.use(TextAsTyped())
    app.use(DedupeEventRetries())
    app.error(handle_error)
    listeners.register(app)
    return app


def _deps(settings: Settings, db: Database, after_answer: AfterAnswer) -> Deps:
    """What the app's handlers share: the directory, time zones, schedules and feeds."""
    directory = Directory(db)
    return Deps(
        directory,
        TimezoneCache(after_answer),
        after_answer,
        db.readers,
        db.glance,
        Feeds(db, directory),
        settings.public_url,
    )


def oauth_options(settings: Settings, db: Database) -> dict:
    """Bolt's OAuth flow on slack_sdk's SQLAlchemy stores: `/slack/install` and
    `/slack/oauth_redirect`, and each request authorized with its workspace's bot token.

    The store is also handed to the App itself, so that Bolt's authorizer (and its token
    rotation) uses the app's client, and with it SLACK_API_URL.
    """
    client_id = settings.slack_client_id or ""
    secret = settings.slack_client_secret.get_secret_value() if settings.slack_client_secret else ""
    store = installation_store(db, client_id=client_id)
    redirect = f"{settings.public_url}/slack/oauth_redirect" if settings.public_url else None
    return {
        "installation_store": store,
        "installation_store_bot_only": True,
        "oauth_settings": OAuthSettings(
            client_id=client_id,
            client_secret=secret,
            scopes=list(BOT_SCOPES),
            installation_store=store,
            installation_store_bot_only=True,
            state_store=state_store(db),
            install_path=INSTALL_PATH,
            redirect_uri_path=REDIRECT_PATH,
            redirect_uri=redirect,
            install_page_rendering_enabled=False,
            token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
        ),
    }
