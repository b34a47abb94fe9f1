"""HTTP mode's WSGI application: Slack's endpoint, calendar feeds and the health check."""

from __future__ import annotations

import email.utils
import io
import json
import logging
from collections.abc import Callable, Iterable
from wsgiref.types import StartResponse

from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy.exc import SQLAlchemyError

from bot.calendars.feeds import Rendered
from bot.slack.app import INSTALL_PATH, REDIRECT_PATH, CrewcallApp
from bot.slack.gate import MAX_BODY, Gate
from bot.slack.health import health
from bot.storage.db import Database

log = logging.getLogger(__name__)
CALENDAR_PREFIX = "/calendar/"
CALENDAR_SUFFIX = ".ics"
OAUTH_PATHS = (INSTALL_PATH, REDIRECT_PATH)

Environ = dict


class CrewcallWeb:
    """Routes `POST /slack/events` to Bolt, serves `GET /calendar/<secret>.ics` and
    `GET /healthz`; 404 otherwise."""

    def __init__(self, app: CrewcallApp) -> None:
        self.app = app
        self.slack = SlackRequestHandler(app, path="/slack/events")
        self.gate = Gate(app.signing_secret, app.db) if app.signing_secret else None

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        """Route the request: Slack's events, OAuth, the health check, calendar feeds; else 404."""
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == "/slack/events":
            if method != "POST":
                return _json(start_response, "405 Method Not Allowed", {"error": "POST only"})
            return self.slack_request(environ, start_response)
        if self.app.oauth_flow is not None and method == "GET" and path in OAUTH_PATHS:
            return self.slack(environ, start_response)
        if path == "/healthz" and method in ("GET", "HEAD"):
            return self.healthz(start_response)
        if (
            path.startswith(CALENDAR_PREFIX)
            and path.endswith(CALENDAR_SUFFIX)
            and method in ("GET", "HEAD")
        ):
            secret = path[len(CALENDAR_PREFIX) : -len(CALENDAR_SUFFIX)]
            return self.calendar(environ, start_response, secret=secret, head=method == "HEAD")
        return _not_found(start_response)

    def slack_request(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        """A POST from Slack, read whole and checked (bot/slack/gate.py) before Bolt sees it."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length > MAX_BODY:
            return _json(start_response, "413 Payload Too Large", {"error": "too large"})
        if length < 0:
            return _json(start_response, "400 Bad Request", {"error": "bad length"})
        body = environ["wsgi.input"].read(length) if length else b""
        if self.gate is not None:
            headers = {
                "x-slack-request-timestamp": environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""),
                "x-slack-signature": environ.get("HTTP_X_SLACK_SIGNATURE", ""),
                "content-type": environ.get("CONTENT_TYPE", ""),
            }
            if (refusal := self.gate.check(headers, body)) is not None:
                log.warning("request refused: %s", refusal.reason)
                answer = {} if refusal.status.startswith("200") else {"error": "refused"}
                return _json(start_response, refusal.status, answer)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return self.slack(environ, start_response)

    def calendar(
        self, environ: Environ, start_response: StartResponse, *, secret: str, head: bool
    ) -> Iterable[bytes]:
        """The feed, 304 when the client's copy is current, or the same 404 as any unknown path."""
        try:
            rendered = self.app.deps.feeds.serve(secret, now=self.app.clock())
        except SQLAlchemyError:
            log.exception("calendar feed: database unavailable")
            return _json(
                start_response,
                "503 Service Unavailable",
                {"error": "database unavailable"},
                [("Retry-After", "60")],
            )
        if rendered is None:
            return _not_found(start_response)
        headers = [
            ("ETag", rendered.etag),
            ("Last-Modified", email.utils.format_datetime(rendered.last_modified, usegmt=True)),
            # Calendar clients ask again often: they may keep the feed, but must check first.
            ("Cache-Control", "private, no-cache"),
        ]
        if _not_modified(environ, rendered):
            start_response("304 Not Modified", headers)
            return []
        headers += [
            ("Content-Type", "text/calendar; charset=utf-8"),
            ("Content-Disposition", f'inline; filename="{rendered.filename}"'),
            ("Content-Length", str(len(rendered.body))),
        ]
        start_response("200 OK", headers)
        return [] if head else [rendered.body]

    def healthz(self, start_response: StartResponse) -> Iterable[bytes]:
        """200 when healthy (bot/slack/health.py), 503 when not; the report either way."""
        return _health(start_response, self.app.db)


class HealthWeb:
    """Socket Mode's only HTTP: `GET /healthz` on PORT, for the platform's health checks.

    Nothing else is served: Socket Mode takes Slack's requests over its WebSocket, and
    has no signing secret to check HTTP ones with.
    """

    def __init__(self, db: Database, socket_connected: Callable[[], bool]) -> None:
        self.db = db
        self.socket_connected = socket_connected

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        """The health check; 404 for anything else."""
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in (
            "GET",
            "HEAD",
        ):
            return _health(start_response, self.db, socket_connected=self.socket_connected)
        return _not_found(start_response)


def _not_modified(environ: Environ, rendered: Rendered) -> bool:
    """Whether the client's copy is this one: If-None-Match first, else If-Modified-Since."""
    if (tags := environ.get("HTTP_IF_NONE_MATCH")) is not None:
        offered = {tag.strip().removeprefix("W/") for tag in tags.split(",")}
        return "*" in offered or rendered.etag in offered
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if not since:
        return False
    try:
        parsed = email.utils.parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    return parsed.tzinfo is not None and rendered.last_modified <= parsed


def _health(
    start_response: StartResponse,
    db: Database,
    *,
    socket_connected: Callable[[], bool] | None = None,
) -> list[bytes]:
    """200 when healthy (bot/slack/health.py), 503 when not; the report either way."""
    healthy, report = health(db, socket_connected=socket_connected)
    return _json(start_response, "200 OK" if healthy else "503 Service Unavailable", report)


def _not_found(start_response: StartResponse) -> list[bytes]:
    return _json(start_response, "404 Not Found", {"error": "not found"})


def _json(
    start_response: StartResponse,
    status: str,
    body: dict,
    extra: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    payload = json.dumps(body).encode()
    start_response(
        status,
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(payload))),
            *(extra or []),
        ],
    )
    return [payload]
