"""The stand-in's HTTP side: Web API calls, file uploads and downloads, and response_url
posts, read off the wire and handed to FakeSlack."""

from __future__ import annotations

import base64
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from urllib.parse import parse_qsl


class Answering(Protocol):
    """What the server hands requests to (FakeSlack)."""

    def handle(self, method: str, params: dict, token: str | None) -> tuple[int, dict, dict]:
        """A Web API call's status, headers and answer."""

    def download(self, path: str, token: str | None) -> tuple[int, bytes, str]:
        """A shared file's status, content and content type."""

    def record_upload(self, file_id: str, content: bytes) -> bool:
        """Keep an uploaded file's content; False if no upload of that id was begun."""

    def record_response(self, key: str, body: dict) -> None:
        """Keep what was posted to a response_url."""


class SlackServer(ThreadingHTTPServer):
    """The stand-in's HTTP server, one thread a connection."""

    # socketserver's default backlog of 5 drops connections under a burst of
    # concurrent calls, and the client's SYN retry then costs a whole second.
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up mid-answer (a worker killed on purpose) is no error of
        the stand-in's; anything else is printed as socketserver prints it."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def handler_for(slack: Answering) -> type[BaseHTTPRequestHandler]:
    """The request handler answering for `slack`: the Web API, uploads, response_url."""
    return type("Handler", (_Handler,), {"slack": slack})


class _Handler(BaseHTTPRequestHandler):
    """One request to the stand-in, answered for its `slack`."""

    slack: Answering
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/upload/"):
            found = self.slack.record_upload(self.path.removeprefix("/upload/"), body)
            self._send(200 if found else 404, {}, b"OK", "text/plain")
            return
        if self.path.startswith("/respond/"):
            self.slack.record_response(self.path.removeprefix("/respond/"), json.loads(body))
            self._send(200, {}, b"ok", "text/plain")
            return
        if not self.path.startswith("/api/"):
            self._send(404, {}, b"not found", "text/plain")
            return
        params = _params(body, self.headers.get("Content-Type", ""))
        params |= _client_credentials(self.headers.get("Authorization"))
        token = _token(self.headers.get("Authorization"), params)
        status, headers, answer = self.slack.handle(self.path.removeprefix("/api/"), params, token)
        self._send(status, headers, json.dumps(answer).encode(), "application/json")

    def do_GET(self) -> None:
        if self.path.startswith("/files-pri/"):
            token = _token(self.headers.get("Authorization"), {})
            status, content, kind = self.slack.download(self.path.split("?")[0], token)
            self._send(status, {}, content, kind)
            return
        self.do_POST()

    def _send(self, status: int, headers: dict, payload: bytes, kind: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def _params(body: bytes, content_type: str) -> dict:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(body)
    return dict(parse_qsl(body.decode(), keep_blank_values=True))


def _client_credentials(authorization: str | None) -> dict:
    """oauth.v2.access's client id and secret, sent as HTTP Basic auth."""
    if not authorization or not authorization.startswith("Basic "):
        return {}
    decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode()
    client_id, _, secret = decoded.partition(":")
    return {"_client_id": client_id, "_client_secret": secret}


def _token(authorization: str | None, params: dict) -> str | None:
    if authorization and authorization.startswith("Bearer "):
        return authorization.removeprefix("Bearer ")
    return params.pop("token", None)
