"""Serving the real WSGI app on 127.0.0.1 for a test, in threads like gunicorn's gthread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from bot.slack.app import CrewcallApp
from bot.slack.web import CrewcallWeb


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    # socketserver's listen backlog is 5: the sixth of many clients connecting at one
    # instant is reset. A test's bursts of clicks come sixty-four at a time.
    request_queue_size = 128


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *_args: object) -> None:
        pass


@contextmanager
def serve(app: CrewcallApp) -> Iterator[str]:
    """Serve `app` behind CrewcallWeb; yields the base URL."""
    server = make_server(
        "127.0.0.1",
        0,
        CrewcallWeb(app),
        server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )
    # Polls for shutdown every 10 ms: a test waits that long for its server to stop.
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
