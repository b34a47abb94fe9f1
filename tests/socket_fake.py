"""Slack's Socket Mode side: a WebSocket server that hands the bot envelopes and reads acks."""

from __future__ import annotations

import json
import queue
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from websockets.sync.server import ServerConnection, serve


class FakeSocketMode:
    """Accepts the bot's connection, says hello, and relays envelopes and acknowledgements."""

    def __init__(self) -> None:
        self.connected = threading.Event()
        self._outgoing: queue.Queue[dict] = queue.Queue()
        self._acks: queue.Queue[dict] = queue.Queue()
        self._server = serve(self._session, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link"

    def _session(self, connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        self.connected.set()
        while True:
            try:
                envelope = self._outgoing.get(timeout=0.05)
                connection.send(json.dumps(envelope))
            except queue.Empty:
                pass
            try:
                message = connection.recv(timeout=0.05)
            except TimeoutError:
                continue
            except Exception:  # the bot went away
                return
            self._acks.put(json.loads(message))

    def send(self, kind: str, payload: dict, timeout: float = 10) -> dict:
        """Deliver one envelope and return the bot's acknowledgement of it."""
        envelope_id = str(uuid.uuid4())
        self._outgoing.put(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )
        ack = self._acks.get(timeout=timeout)
        assert ack["envelope_id"] == envelope_id
        return ack


@contextmanager
def fake_socket_mode() -> Iterator[FakeSocketMode]:
    fake = FakeSocketMode()
    thread = threading.Thread(target=fake._server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake._server.shutdown()
