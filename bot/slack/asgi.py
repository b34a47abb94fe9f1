"""HTTP mode's front: each request read whole on the event loop, then answered in a thread.

gunicorn runs uvicorn's workers (uvicorn-worker), so that a connection's bytes are read by
an event loop, not by one of the app's threads: a client that sends its headers and
then trickles its body (or never finishes) holds no thread, and is answered 408 once it
has had READ_TIMEOUT_S to send it. A body longer than MAX_BODY is answered 413 unread.
Only a whole request reaches the WSGI app (bot/slack/web.py), in a pool of `threads`.
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from bot.slack.gate import MAX_BODY

log = logging.getLogger(__name__)
# A body not in after this long is a client too slow to be Slack (which gives up at 3 s).
READ_TIMEOUT_S = 10.0
Scope = dict
Message = dict
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
WsgiApp = Callable[[dict, Callable], Iterable[bytes]]


class BufferedWsgi:
    """An ASGI app around a WSGI app: whole requests in, a thread pool to answer them."""

    def __init__(
        self,
        wsgi: WsgiApp,
        *,
        threads: int,
        max_body: int = MAX_BODY,
        read_timeout: float = READ_TIMEOUT_S,
    ) -> None:
        self._wsgi = wsgi
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="crewcall-web")
        self._max_body = max_body
        self._read_timeout = read_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read the request whole on the event loop, then run the app in a worker thread."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        declared = _content_length(scope)
        if declared is not None and declared > self._max_body:
            await _plain(send, 413, b"too large")
            return
        try:
            body = await asyncio.wait_for(self._body(receive), self._read_timeout)
        except TimeoutError:
            await _plain(send, 408, b"request timeout")
            return
        except _TooLarge:
            await _plain(send, 413, b"too large")
            return
        except _Gone:
            return
        environ = _environ(scope, body)
        loop = asyncio.get_running_loop()
        status, headers, chunks = await loop.run_in_executor(self._pool, self._answer, environ)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"".join(chunks)})

    async def _body(self, receive: Receive) -> bytes:
        parts, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Gone
            part = message.get("body", b"")
            size += len(part)
            if size > self._max_body:
                raise _TooLarge
            parts.append(part)
            if not message.get("more_body", False):
                return b"".join(parts)

    def _answer(self, environ: dict) -> tuple[int, list[tuple[bytes, bytes]], list[bytes]]:
        """Run the WSGI app in a pool thread: (status, headers, body chunks)."""
        started: dict = {}

        def start_response(status: str, headers: list, exc_info=None):
            if exc_info and started:
                raise exc_info[1].with_traceback(exc_info[2])
            started["status"], started["headers"] = status, headers
            return lambda _data: None  # write(): not used by the app

        result = self._wsgi(environ, start_response)
        try:
            chunks = list(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        status = int(started["status"].split(" ", 1)[0])
        headers = [
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in started["headers"]
        ]
        return status, headers, chunks

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self._pool.shutdown(wait=True)
                await send({"type": "lifespan.shutdown.complete"})
                return


class _TooLarge(Exception):
    """The body went past the limit as it came."""


class _Gone(Exception):
    """The client left before its request was whole."""


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _environ(scope: Scope, body: bytes) -> dict:
    """The WSGI environ (PEP 3333) for a whole request."""
    server = scope.get("server") or ("127.0.0.1", 80)
    client = scope.get("client") or ("", 0)
    path = scope.get("raw_path") or scope["path"].encode()
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": "",
        "PATH_INFO": path.split(b"?", 1)[0].decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": str(client[0]),
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in scope.get("headers", []):
        key = name.decode("latin-1").upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value.decode("latin-1")
        elif key != "CONTENT_LENGTH":
            header = f"HTTP_{key}"
            text = value.decode("latin-1")
            environ[header] = f"{environ[header]},{text}" if header in environ else text
    return environ


async def _plain(send: Send, status: int, text: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain"),
                (b"content-length", str(len(text)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": text})
