"""HTTP mode's WSGI application: Slack's endpoint plus the health check."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.app import CrewcallApp

Environ = dict
StartResponse = Callable[..., object]


class CrewcallWeb:
    """Routes `POST /slack/events` to Bolt and answers `GET /healthz`; 404 otherwise."""

    def __init__(self, app: CrewcallApp) -> None:
        self.app = app
        self.slack = SlackRequestHandler(app, path="/slack/events")

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == "/slack/events":
            if method != "POST":
                return _json(start_response, "405 Method Not Allowed", {"error": "POST only"})
            return self.slack(environ, start_response)
        if path == "/healthz" and method in ("GET", "HEAD"):
            return self.healthz(start_response)
        return _json(start_response, "404 Not Found", {"error": "not found"})

    def healthz(self, start_response: StartResponse) -> Iterable[bytes]:
        """200 when the database answers, 503 when it does not."""
        if self.app.db.ping():
            return _json(start_response, "200 OK", {"status": "ok", "database": "ok"})
        return _json(
            start_response, "503 Service Unavailable", {"status": "down", "database": "unreachable"}
        )


def _json(start_response: StartResponse, status: str, body: dict) -> list[bytes]:
    payload = json.dumps(body).encode()
    start_response(
        status,
        [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
    )
    return [payload]
